"""The exercise graders: right engines pass, and a wrong one is told which derivative, with both numbers."""

import math
import re

import pytest

from deepdive.gradcheck import (check_accumulation, check_add_mul, check_backward, check_earlier, check_gradients,
                                check_local_gradients, check_neuron, check_numbers, check_records,
                                check_topological_order, check_train_step, compare_with, input_names,
                                operand_names, through_deep_chain)


class Learner:
    """A learner's engine with the course's interface: data, grad, _op, _prev, _local_grads, backward()."""

    def __init__(self, data, _prev=(), _local_grads=(), _op=""):
        self.data = data
        self.grad = 0.0
        self._prev = _prev
        self._local_grads = _local_grads
        self._op = _op

    def __add__(self, other):
        other = other if isinstance(other, Learner) else type(self)(other)
        return type(self)(self.data + other.data, (self, other), (1.0, 1.0), "+")

    def __mul__(self, other):
        other = other if isinstance(other, Learner) else type(self)(other)
        return type(self)(self.data * other.data, (self, other), (other.data, self.data), "*")

    def __pow__(self, k):
        return type(self)(self.data**k, (self,), (k * self.data**(k - 1),), f"**{k}")

    def tanh(self):
        t = math.tanh(self.data)
        return type(self)(t, (self,), (1 - t**2,), "tanh")

    def exp(self):
        e = math.exp(self.data)
        return type(self)(e, (self,), (e,), "exp")

    def __neg__(self):
        return self * -1

    def __sub__(self, other):
        return self + (-other)

    def __radd__(self, other):
        return self + other

    def __rmul__(self, other):
        return self * other

    def __rsub__(self, other):
        return -self + other

    def __truediv__(self, other):
        return self * other**-1

    def __rtruediv__(self, other):
        return other * self**-1

    def backward(self):
        order, seen, stack = [], set(), [self]
        while stack:  # parents before children, without recursion
            v = stack.pop()
            if v in seen:
                order.append(v)
                continue
            seen.add(v)
            stack.append(v)
            stack.extend(p for p in v._prev if p not in seen)
        order = list(dict.fromkeys(order))
        grad = dict.fromkeys(order, 0.0)
        grad[self] = 1.0
        for v in reversed(order):
            for parent, local_grad in zip(v._prev, v._local_grads):
                grad[parent] += local_grad * grad[v]
        for v in order:
            v.grad += grad[v]


class WrongMul(Learner):
    """Multiplication that hands each side its own value instead of the other's."""

    def __mul__(self, other):
        other = other if isinstance(other, Learner) else Learner(other)
        return type(self)(self.data * other.data, (self, other), (self.data, other.data), "*")


class Forgetful(Learner):
    """backward() that sets .grad instead of adding into it."""

    def backward(self):
        for v in collect(self):
            v.grad = 0.0
        Learner.backward(self)


def collect(v):
    values, stack = [], [v]
    while stack:
        u = stack.pop()
        values.append(u)
        stack.extend(u._prev)
    return values


def test_a_right_engine_passes_every_check():
    for expression in ["a + b", "a * b", "a ** 3", "a.tanh()", "a.exp()", "a * a"]:
        check_local_gradients(Learner, expression)
    for expression in ["a * b + a", "(a * b).tanh() * a - b ** 2", "2 * a + 1"]:
        check_gradients(Learner, expression)
        check_accumulation(Learner, expression)
    compare_with(Learner, Learner, expressions=50)


def test_a_wrong_local_gradient_names_its_input_and_both_numbers():
    with pytest.raises(AssertionError) as failure:
        check_local_gradients(WrongMul, "a * b")
    message = str(failure.value)
    found = re.match(r"d out/d (\w): yours (\S+), finite differences (\S+), for out = a \* b at a = (\S+), b = (\S+)$",
                     message)
    assert found, message
    name, yours, estimate, a, b = found.groups()
    # the first input whose gradient is wrong is a: it got its own value, a, where b belongs
    assert name == "a" and float(yours) == float(a) and float(estimate) == pytest.approx(float(b))


def test_a_wrong_backward_rule_is_named_after_backward():
    with pytest.raises(AssertionError, match=r"^d out/d b: yours .*, finite differences .*, for out = b \* a \* b"):
        check_gradients(WrongMul, "b * a * b")


def test_a_backward_that_does_not_accumulate_fails_the_accumulation_check():
    check_gradients(Forgetful, "a * b + a")  # one call is right
    with pytest.raises(AssertionError, match=r"^d out/d a after two backward\(\) calls: yours .*, twice one call "):
        check_accumulation(Forgetful, "a * b + a")


def test_comparing_engines_names_the_expression_and_what_differs():
    with pytest.raises(AssertionError, match=r"^d out/d \w after a second backward\(\): yours .*, twice \S+'s .*, for out = "):
        compare_with(Forgetful, Learner)

    class WrongTanh(Learner):
        def tanh(self):
            return type(self)(math.sin(self.data), (self,), (math.cos(self.data),), "tanh")

    with pytest.raises(AssertionError, match=r"^out.data: yours .*, \S+ .*, for out = .*tanh"):
        compare_with(WrongTanh, Learner, expressions=100)


def test_an_operation_that_returns_nothing_says_so():
    class Unfinished(Learner):
        def __mul__(self, other):
            ...

    with pytest.raises(AssertionError, match=r"^out = a \* b gave None, not a Unfinished$"):
        check_local_gradients(Unfinished, "a * b")
    with pytest.raises(AssertionError, match=r"^out = a \* b gave None, not a Unfinished$"):
        compare_with(Unfinished, Learner)


def test_parents_in_the_wrong_order_are_named():
    class Swapped(Learner):
        def __add__(self, other):
            return type(self)(self.data + other.data, (other, self), (1.0, 1.0), "+")

    with pytest.raises(AssertionError, match=r"out._prev should be \(a, b\): the parents, in operand order"):
        check_local_gradients(Swapped, "a + b")


def test_the_same_check_gives_the_same_numbers_every_time():
    messages = set()
    for _ in range(3):
        with pytest.raises(AssertionError) as failure:
            check_gradients(WrongMul, "a * b")
        messages.add(str(failure.value))
    assert len(messages) == 1


def test_inputs_are_named_in_the_order_written():
    assert input_names("b * a + b.tanh()", {}) == ["b", "a"]
    assert operand_names("a * a") == ["a", "a"]
    assert input_names("neuron([a, b], c)", {"neuron": None}) == ["a", "b", "c"]


def test_a_deep_chain_fails_a_method_that_recurses_and_passes_one_that_does_not():
    class Recursive(Learner):
        def depth(self):
            return 1 + max((p.depth() for p in self._prev), default=0)

    start, _ = through_deep_chain(Learner, "backward")
    assert start.grad == 1.0
    with pytest.raises(AssertionError, match=r"^a chain of 4,000 additions is too deep for depth\(\): it still recurses$"):
        through_deep_chain(Recursive, "depth")


# --- graphs that share a value, forms the text demands, and messages that say what was expected ----------

class Ordered(Learner):
    """A right engine with the topological_order() method of lesson 2.4."""

    def topological_order(self):
        order, seen, stack = [], {self}, [(self, iter(self._prev))]
        while stack:
            v, parents = stack[-1]
            for parent in parents:
                if parent not in seen:
                    seen.add(parent)
                    stack.append((parent, iter(parent._prev)))
                    break
            else:
                stack.pop()
                order.append(v)
        return order

    def backward(self):
        order = self.topological_order()
        earlier = [v.grad for v in order]
        for v in order:
            v.grad = 0.0
        self.grad = 1.0
        for v in reversed(order):
            self.pass_down(v)
        for v, grad in zip(order, earlier):
            v.grad += grad

    @staticmethod
    def pass_down(v):
        for parent, local_grad in zip(v._prev, v._local_grads):
            parent.grad += local_grad * v.grad


class ReversedBreadthFirst(Ordered):
    def topological_order(self):
        order, seen, queue = [], {self}, [self]
        while queue:
            v = queue.pop(0)
            order.append(v)
            for parent in v._prev:
                if parent not in seen:
                    seen.add(parent)
                    queue.append(parent)
        return order[::-1]


class ReversedPreOrder(Ordered):
    def topological_order(self):
        order, seen = [], set()

        def visit(v):
            if v not in seen:
                seen.add(v)
                order.append(v)
                for parent in v._prev:
                    visit(parent)

        visit(self)
        return order[::-1]


def test_an_order_is_checked_as_an_order_on_graphs_that_use_a_value_twice():
    check_topological_order(Ordered)
    for wrong in (ReversedBreadthFirst, ReversedPreOrder):
        with pytest.raises(AssertionError, match=r"comes after .*, which is made from it: every value must come after"):
            check_topological_order(wrong)


def test_a_backward_in_the_wrong_order_fails_on_a_value_used_twice_and_in_compare_with():
    check_gradients(ReversedBreadthFirst, "a * b + a")  # no intermediate value is shared: it passes
    with pytest.raises(AssertionError, match=r"for t = a \* b; out = t \+ t\.tanh\(\) at a = "):
        check_backward(ReversedBreadthFirst)
    with pytest.raises(AssertionError, match=r"for t = a \* b; out = t \+ t\.tanh\(\) at a = "):
        compare_with(ReversedBreadthFirst)


def test_a_second_backward_says_whether_it_set_or_leaked():
    with pytest.raises(AssertionError, match=r"the second call set \.grad instead of adding to it$"):
        check_accumulation(Forgetful, "a * b + a")

    class Leaky(Ordered):
        def backward(self):
            self.grad = 1.0
            for v in reversed(self.topological_order()):
                for parent, local_grad in zip(v._prev, v._local_grads):
                    parent.grad += local_grad * v.grad

    with pytest.raises(AssertionError, match=r"leak into the second's chain rule\?$"):
        check_accumulation(Leaky, "(a * b) * 2 + a")


def test_forward_values_are_compared_with_deepdive_not_with_the_learners_own():
    class Doubled(Learner):  # a consistent pair: 2 tanh(x), and its true derivative
        def tanh(self):
            t = math.tanh(self.data)
            return type(self)(2 * t, (self,), (2 * (1 - t**2),), "tanh")

    with pytest.raises(AssertionError, match=r"^out.data: yours .*, deepdive .*, for out = a.tanh\(\)"):
        check_local_gradients(Doubled, "a.tanh()")


def test_local_gradients_are_numbers_and_the_message_says_so():
    class Values(Learner):
        def __mul__(self, other):
            other = other if isinstance(other, Learner) else type(self)(other)
            return type(self)(self.data * other.data, (self, other), (other, self), "*")

    with pytest.raises(AssertionError, match=r"local gradients are floats; yours holds a Values \("):
        check_local_gradients(Values, "a * b")


def test_a_micrograd_engine_fails_on_its_set_and_the_grader_never_raises():
    class Micro:
        def __init__(self, data, _children=(), _op=""):
            self.data, self.grad, self._op = data, 0.0, _op
            self._prev = set(_children)
            self._backward = lambda: None

        def __add__(self, other):
            other = other if isinstance(other, Micro) else Micro(other)
            out = Micro(self.data + other.data, (self, other), "+")

            def _backward():
                self.grad += out.grad
                other.grad += out.grad
            out._backward = _backward
            return out

        def backward(self):
            order, seen, stack = [], set(), [(self, False)]
            while stack:
                v, done = stack.pop()
                if done:
                    order.append(v)
                elif v not in seen:
                    seen.add(v)
                    stack.append((v, True))
                    stack.extend((p, False) for p in v._prev)
            self.grad = 1.0
            for v in reversed(order):
                v._backward()

    start, _ = through_deep_chain(Micro, "backward")  # its clean-up reads any _prev
    assert start.grad == 1.0
    with pytest.raises(AssertionError, match=r"^out = a \+ b: out._prev should be a tuple of the parents in operand "
                                             r"order, \(a, b\); yours is a set, which keeps no order$"):
        check_local_gradients(Micro, "a + b")


def test_the_learners_errors_come_with_a_hint():
    class Recursive(Learner):
        def __radd__(self, other):
            return other + self

    with pytest.raises(AssertionError, match=r"^out = 1 \+ a raised RecursionError: .*write self \+ other"):
        check_numbers(Recursive)

    class Floats(Learner):
        def __mul__(self, other):
            return self.data * (other.data if isinstance(other, Learner) else other)

    with pytest.raises(AssertionError, match=r"raised AttributeError: .*Does each operation return a Floats"):
        check_gradients(Floats, "(a * b).tanh()")


def test_numbers_are_checked_at_inputs_where_operations_differ_and_built_from_add_and_mul():
    check_numbers(Learner)

    class AddingRmul(Learner):
        def __rmul__(self, other):
            return self + other

    with pytest.raises(AssertionError, match=r"^out.data: yours .*, deepdive .*, for out = 2 \* a at a = .* \(your __rmul__\)"):
        check_numbers(AddingRmul)

    class OwnSub(Learner):
        def __sub__(self, other):
            return type(self)(self.data - other.data, (self, other), (1.0, -1.0), "+")

    with pytest.raises(AssertionError, match=r"^your __sub__: a - b holds a value that records '\+' of "):
        check_numbers(OwnSub)


def test_an_earlier_mistake_is_named_with_its_lesson():
    class WrongSub(Ordered):
        def __sub__(self, other):
            return self + other

    with pytest.raises(AssertionError, match=r"\(your __sub__\)\. That is your code from 2\.1 \(\"Numbers, minus and "
                                             r"the other side\"\), which this exercise builds on: go back to 2\.1$"):
        check_earlier(WrongSub, "add-mul", "numbers", "pow-tanh-exp", "topological-order")


class Neuron2:
    """MyNeuron of lesson 2.5, right."""

    def __init__(self, nin):
        self.w = [Ordered(0.5) for _ in range(nin)]
        self.b = Ordered(0.0)

    def __call__(self, x):
        return sum((wi * xi for wi, xi in zip(self.w, x)), self.b).tanh()

    def parameters(self):
        return self.w + [self.b]

    def zero_grad(self):
        for p in self.parameters():
            p.grad = 0.0


def test_a_neuron_takes_any_number_of_inputs_and_keeps_its_bias():
    check_neuron(Ordered, Neuron2)

    class TwoInputs(Neuron2):
        def __call__(self, x):
            return (self.w[0] * x[0] + self.w[1] * x[1] + self.b).tanh()

    with pytest.raises(AssertionError, match=r"^MyNeuron\(3\) with w = .*: yours gives .*, deepdive's Neuron "):
        check_neuron(Ordered, TwoInputs)

    class Overwrites(Neuron2):
        def __call__(self, x):
            self.b = sum((wi * xi for wi, xi in zip(self.w, x)), self.b)
            return self.b.tanh()

    with pytest.raises(AssertionError, match=r"calling the neuron replaced its bias or a weight with another value"):
        check_neuron(Ordered, Overwrites)


def step(zero="before", sign=-1):
    def train_step(neuron, xs, ys, learning_rate):
        loss = sum((neuron(x) - y) ** 2 for x, y in zip(xs, ys))
        if zero == "before":
            neuron.zero_grad()
        loss.backward()
        if zero == "after backward":
            neuron.zero_grad()
        for p in neuron.parameters():
            p.data += sign * learning_rate * p.grad
        if zero == "at the end":
            neuron.zero_grad()
        return loss.data
    return train_step


def test_a_training_step_is_told_what_went_wrong_only_when_that_is_the_diagnosis():
    check_train_step(step("before"), Ordered, Neuron2)
    check_train_step(step("at the end"), Ordered, Neuron2)  # also clears them before each backward()
    for train_step, says in [(step(None), r"Did you call zero_grad\(\) before backward\(\)\?$"),
                             (step("before", sign=1), r"uphill\. Gradient descent moves against it"),
                             (step("after backward"), r"Is zero_grad\(\) called after backward\(\)")]:
        with pytest.raises(AssertionError, match=says) as failure:
            check_train_step(train_step, Ordered, Neuron2)
        assert says.startswith("Did") or "zero_grad() before" not in str(failure.value)


def test_closure_style_and_sequences_pass():
    class Closures(Ordered):  # micrograd's _backward functions, with a tuple of parents and no _local_grads
        def __init__(self, data, _prev=(), _local_grads=(), _op=""):
            super().__init__(data, tuple(_prev), None, _op)

            def _backward():
                for parent, local_grad in zip(self._prev, _local_grads):
                    parent.grad += local_grad * self.grad
            self._backward = _backward

        @staticmethod
        def pass_down(v):
            v._backward()

    compare_with(Closures, expressions=10)
    start, _ = through_deep_chain(Closures, "backward")
    assert start.grad == 1.0

    class Lists(Ordered):
        def __init__(self, data, _prev=(), _local_grads=(), _op=""):
            super().__init__(data, list(_prev), list(_local_grads), _op)

    check_records(Lists)
    check_add_mul(Lists)


def test_the_values_in_the_middle_get_their_gradients_too_and_a_forward_walk_fails():
    class Tidy(Ordered):  # clears the gradients of the values in the middle afterwards
        def backward(self):
            super().backward()
            for v in self.topological_order():
                if v._prev and v is not self:
                    v.grad = 0.0

    with pytest.raises(AssertionError, match=r"^d out/d t: yours 0\.0, deepdive .*, for t = a \* b; out = t \+ t.tanh"):
        check_gradients(Tidy, "t = a * b; t + t.tanh()")

    class Forward(Ordered):  # walks the order forward: every value passes its gradient down before it has any
        def backward(self):
            self.grad = 1.0
            for v in self.topological_order():
                self.pass_down(v)

    with pytest.raises(AssertionError, match=r"^d out/d a: yours .*, finite differences .*, for out = a \* b \+ a "):
        check_backward(Forward)
