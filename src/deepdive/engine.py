"""A scalar Value that remembers how it was made, and backpropagation.

Each Value stores its parents (`_children`) and the local derivative of itself
with respect to each parent (`_local_grads`). Backward is then one loop: the
chain rule multiplies each local derivative by the gradient from above.
"""

import math
from numbers import Real


class Value:
    """A number with a little memory: its parents and how it was made."""

    __slots__ = ("data", "grad", "_children", "_local_grads", "_op")

    def __init__(self, data, _children=(), _local_grads=(), _op=""):
        # type() first, as a shortcut: nearly every value holds a float
        if type(data) is not float and not is_number(data):
            raise TypeError(f"Value() takes an int or float, not {kind(data)}")
        if not math.isfinite(data):
            made_by = "Value() got"
            if _op:
                made_by = f"{_op!r} of {', '.join(map(repr, _children))} gave"
            raise ValueError(f"{made_by} {data}, which is not a finite number")
        self.data = data
        self.grad = 0.0
        self._children = _children        # parents, in operand order
        self._local_grads = _local_grads  # d(self)/d(parent), one per parent
        self._op = _op

    @property
    def _prev(self):
        """The parents in operand order, each once."""
        return tuple(dict.fromkeys(self._children))

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
        q = self.data / other.data
        # d(a/b)/da = 1/b,  d(a/b)/db = -a/b² = -q/b
        return Value(q, (self, other), (1 / other.data, -q / other.data), "/")

    def __pow__(self, k):
        if not is_number(k):
            raise TypeError(f"the exponent must be a number, not {kind(k)}")
        if self.data < 0 and k != int(k):
            raise ValueError(f"{self.data} ** {k} is not a real number")
        # d(x^k)/dx = k x^(k-1)
        return Value(self.data**k, (self,), (k * self.data**(k - 1),),
                     f"**{k}")

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
        e = math.exp(self.data)
        return Value(e, (self,), (e,), "exp")

    def log(self):
        """The natural logarithm; defined only for positive values."""
        if self.data <= 0:
            raise ValueError(f"log needs a positive number, got {self!r}")
        return Value(math.log(self.data), (self,), (1 / self.data,), "log")

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
        """Fill .grad of every value this one depends on with d(self)/d(value).

        Gradients are computed afresh on each call, so calling backward()
        twice gives the same grads as calling it once.
        """
        order = topological_order(self)
        for v in order:
            v.grad = 0.0
        self.grad = 1.0
        for v in reversed(order):
            for child, local_grad in zip(v._children, v._local_grads):
                # the chain rule; += adds up every path to the child
                child.grad += local_grad * v.grad

    def __repr__(self):
        return f"Value(data={self.data}, grad={self.grad})"


def is_number(x):
    """True for a real number, such as an int or a float (but not a bool)."""
    return isinstance(x, Real) and not isinstance(x, bool)


def kind(x):
    """What x is, for an error message: "str '2'"."""
    return f"{type(x).__name__} {x!r}"


def topological_order(*roots):
    """Every value the roots depend on, each after all of its parents.

    An explicit stack instead of recursion, so that a graph a million values
    deep does not hit Python's recursion limit.
    """
    order, seen = [], set()
    for root in roots:
        if root in seen:
            continue
        seen.add(root)
        stack = [(root, iter(root._children))]
        while stack:
            v, parents = stack[-1]
            for p in parents:
                if p not in seen:  # visit p's own parents first
                    seen.add(p)
                    stack.append((p, iter(p._children)))
                    break
            else:  # every parent of v is placed, so v can follow them
                stack.pop()
                order.append(v)
    return order
