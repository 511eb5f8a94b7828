"""A scalar Value that remembers how it was made, and backpropagation.

Each Value stores its parents (`_prev`, one per operand, in order) and the
local derivative of itself with respect to each parent (`_local_grads`).
Backward is then one loop: the chain rule multiplies each local derivative by
the gradient from above, and adds it to what the parent has already received.

As in PyTorch, backward() adds into .grad: call zero_grad() between steps.
"""

import contextlib
import gc
import math
import sys
from numbers import Real


class Value:
    """A number with a little memory: its parents and how it was made."""

    __slots__ = ("data", "grad", "label", "_prev", "_local_grads", "_op")

    def __init__(self, data, _prev=(), _local_grads=(), _op="", label=""):
        if type(data) is not float:  # a shortcut: nearly every value holds a float
            check_number(data, _prev, _op)
        if not math.isfinite(data):
            raise not_finite(data, _prev, _op)
        if not grad_enabled:  # inside no_grad(): nothing to backpropagate through, so no parents kept
            _prev = _local_grads = ()
        self.data = data
        self.grad = 0.0
        self.label = label                # a name for show() and draw(), such as "a"
        self._prev = _prev                # the parents, one per operand, in order
        self._local_grads = _local_grads  # d(self)/d(parent), one per parent
        self._op = _op

    def __add__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        return Value(self.data + other.data, (self, other), (1.0, 1.0), "+")

    def __mul__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        return Value(self.data * other.data, (self, other),
                     (other.data, self.data), "*")

    def __sub__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        return Value(self.data - other.data, (self, other), (1.0, -1.0), "-")

    def __truediv__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        a, b = self.data, other.data
        if b == 0:
            raise ZeroDivisionError(f"{a} / {b}: division by zero")
        q = a / b
        # d(a/b)/da = 1/b,  d(a/b)/db = -a/b² = -q/b
        return Value(q, (self, other), finite((1 / b, -q / b), f"{a} / {b}"), "/")

    def __pow__(self, k):
        if not is_number(k):
            raise TypeError(f"the exponent must be a number, not {kind(k)}")
        x = self.data
        if x < 0 and k != int(k):
            raise ValueError(f"{x} ** {k} is not a real number")
        try:
            # d(x^k)/dx = k x^(k-1)
            y, slope = x**k, k * x**(k - 1)
            return Value(y, (self,), finite((slope,), f"{x} ** {k}"), f"**{k}")
        except ZeroDivisionError:  # 0 to a negative power, in x^k or in its slope
            raise ZeroDivisionError(f"{x} ** {k} or its slope {k} * {x} ** {k - 1} divides by zero") from None
        except OverflowError:  # a float that overflows, or an int too large for one
            raise OverflowError(f"{x} ** {k} or its slope is too large for a float") from None

    def __neg__(self):
        return Value(-self.data, (self,), (-1.0,), "neg")

    def __radd__(self, other):  # other + self, where other is a plain number
        return Value(other) + self

    def __rmul__(self, other):
        return Value(other) * self

    def __rsub__(self, other):
        return Value(other) - self

    def __rtruediv__(self, other):
        return Value(other) / self

    def exp(self):
        """e to the power of this value."""
        x = self.data
        if x > LARGEST_EXP:
            raise OverflowError(f"exp({x}) is too large for a float")
        e = math.exp(x)
        return Value(e, (self,), (e,), "exp")

    def log(self):
        """The natural logarithm; defined only for positive values."""
        x = self.data
        if x <= 0:
            raise ValueError(f"log({x}): log needs a positive number")
        return Value(math.log(x), (self,), finite((1 / x,), f"log({x})"), "log")

    def tanh(self):
        """The hyperbolic tangent, squashing any number into (-1, 1)."""
        t = math.tanh(self.data)
        return Value(t, (self,), (1 - t**2,), "tanh")

    def relu(self):
        """max(0, x): passes positive numbers, zeroes the rest."""
        if self.data > 0:
            return Value(self.data, (self,), (1.0,), "relu")
        return Value(0.0, (self,), (0.0,), "relu")

    def sigmoid(self):
        """1 / (1 + e^-x), squashing any number into (0, 1)."""
        x = self.data
        # Two forms of the same function, so that exp never overflows.
        if x >= 0:
            s = 1 / (1 + math.exp(-x))
        else:
            s = math.exp(x) / (1 + math.exp(x))
        return Value(s, (self,), (s * (1 - s),), "sigmoid")

    def backward(self):
        """Add d(self)/d(v) into v.grad, for self and every value v it depends on.

        Gradients accumulate, as in PyTorch: a second call adds the same amounts
        again, so zero them between training steps (zero_grad). Each call works
        out its own d(self)/d(v) from scratch, so what an earlier call left in
        .grad never leaks into the chain rule.
        """
        order = topological_order(self)
        earlier = {}  # what earlier calls left in .grad, set aside until the end
        for v in order:
            if v.grad:
                earlier[v] = v.grad
                v.grad = 0.0
        self.grad = 1.0
        for v in reversed(order):
            for parent, local_grad in zip(v._prev, v._local_grads):
                # the chain rule; += adds up every path to the parent
                parent.grad += local_grad * v.grad
        for v, grad in earlier.items():
            v.grad += grad

    def zero_grad(self):
        """Set .grad back to 0 on this value and every value it depends on."""
        for v in topological_order(self):
            v.grad = 0.0

    def __repr__(self):
        label = f", label={self.label!r}" if self.label else ""
        return f"Value(data={self.data}, grad={self.grad}{label})"


LARGEST_FLOAT = sys.float_info.max
LARGEST_EXP = math.log(LARGEST_FLOAT)  # exp of anything larger overflows


def is_number(x):
    """True for a real number, such as an int or a float (but not a bool)."""
    return type(x) is int or (isinstance(x, Real) and not isinstance(x, bool))


def check_number(x, operands, op):
    """An error unless x is a number that a float can hold."""
    if not is_number(x):
        raise TypeError(f"Value() takes an int or float, not {kind(x)}")
    if abs(x) > LARGEST_FLOAT:  # an int can grow past any float
        raise not_finite(x, operands, op)


def kind(x):
    """What x is, for an error message: "str '2'"."""
    return f"{type(x).__name__} {x!r}"


def finite(local_grads, what):
    """The local gradients, if each is a finite number; an error that names the operation if not."""
    if not all(map(math.isfinite, local_grads)):
        raise OverflowError(f"the slope of {what} is too large for a float: {local_grads}")
    return local_grads


def not_finite(data, operands, op):
    """The error for a Value that would hold inf or nan, or an int too large for a float."""
    if type(data) is int:
        data = "an int too large for a float"
    if not op:
        return ValueError(f"Value() needs a finite number, got {data}")
    inputs = [v.data for v in operands]
    what = f"{inputs[0]} {op} {inputs[1]}" if len(inputs) == 2 else f"{op}({inputs[0]})"
    error = ValueError if data != data else OverflowError  # nan is the one number unequal to itself
    return error(f"{what} gives {data}: not a finite number")


def topological_order(*roots):
    """Every value the roots depend on, each after all of its parents.

    An explicit stack instead of recursion, so that a graph a million values
    deep does not hit Python's recursion limit. It reads only `_prev`, so it
    walks any value-like object's graph.
    """
    order, seen = [], set()
    for root in roots:
        if root in seen:
            continue
        seen.add(root)
        stack = [(root, iter(root._prev))]
        while stack:
            v, parents = stack[-1]
            for p in parents:
                if p not in seen:  # visit p's own parents first
                    seen.add(p)
                    stack.append((p, iter(p._prev)))
                    break
            else:  # every parent of v is placed, so v can follow them
                stack.pop()
                order.append(v)
    return order


grad_enabled = True  # False inside no_grad(): new Values then keep no parents


@contextlib.contextmanager
def no_grad():
    """Make Values that keep no parents, as PyTorch's torch.no_grad() does: for measuring a model, not training it.

    A loss computed inside the block has the same data, but backward() has
    nothing to go back through. Each Value is freed as soon as nothing uses it,
    instead of being kept by the graph until the loss is: the course's GPT
    scores a name in about two thirds of the time. The switch is the whole
    process's, as the cycle collector is: measure in one thread at a time.
    """
    global grad_enabled
    was_enabled = grad_enabled
    grad_enabled = False
    try:
        yield
    finally:
        grad_enabled = was_enabled


@contextlib.contextmanager
def cycle_collector_off():
    """Pause Python's cycle collector while the block builds and drops many graphs, as training does.

    A Value points only at its parents, so graphs of Values hold no reference
    cycles: reference counting frees a graph as soon as nothing names it. The
    cycle collector, which CPython starts every few hundred new objects, finds
    nothing to free and walks the graph still being built, again and again;
    without it, a training step of the course's GPT takes about a third of the
    time. Results are the same to the last bit.
    """
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()
