"""The exercise graders: right engines pass, and a wrong one is told which derivative, with both numbers."""

import math
import re

import pytest

from deepdive.gradcheck import (check_accumulation, check_gradients, check_local_gradients, compare_with,
                                input_names, operand_names, through_deep_chain)


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
