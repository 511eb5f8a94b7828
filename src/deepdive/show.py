"""Print a value's graph as cards: name, data, _op, _prev (and grad, once it exists).

show() and draw() read only data, grad, _op, _prev and an optional label, so
they work on any value class with those fields, such as one a learner writes.
"""

import sys

from deepdive.engine import topological_order

FIELDS = ("data", "grad", "_op", "_prev")


def show(*values, grad=None, whole_graph=True):
    """Print one card per value that the given values depend on, inputs first.

    A value's label names it, else the caller's variable; a value with neither
    is shown by its expression, such as `a * b`. Pass grad=True or grad=False to force the
    `grad:` line on or off; by default it appears once any grad is non-zero.
    whole_graph=False prints the cards of the given values only.
    """
    check_values(values, "show")
    names = variable_names(sys._getframe(1))
    print(graph_text(*values, names=names, grad=grad, whole_graph=whole_graph))


def graph_text(*values, names=None, grad=None, whole_graph=True):
    """The cards that show() prints, as one string."""
    graph, label, grad = labelled_graph(values, names, grad)
    shown = graph if whole_graph else values
    return "\n\n".join(card(v, label, grad) for v in shown)


def labelled_graph(values, names, grad):
    """The values' graph, inputs first; a Labels for it; and whether to show grads."""
    graph = topological_order(*values)
    label = Labels(names or {})
    for v in values:
        label(v)  # labels the whole graph in one pass
    if grad is None:
        grad = any(v.grad != 0 for v in graph)
    return graph, label, grad


def card(v, label, grad):
    lines = [label(v), f"data: {v.data}"]
    if grad:
        lines.append(f"grad: {v.grad}")
    lines.append(f'_op: "{v._op}"')
    lines.append("_prev: {" + ", ".join(label(p) for p in parents(v)) + "}")
    return "\n".join(lines)


def parents(v):
    """v's parents in operand order, each once: `a + a` has one parent, a."""
    return list(dict.fromkeys(v._prev))


def is_value(obj):
    """True for a value: an object with data, grad, _op and _prev (a class is not one)."""
    return not isinstance(obj, type) and all(hasattr(obj, field) for field in FIELDS)


def check_values(values, function):
    """A TypeError that names what was passed, unless it is one or more values."""
    if not values:
        raise TypeError(f"{function}() takes one or more values")
    for v in values:
        if not is_value(v):
            raise TypeError(f"{function}() takes values with data, grad, _op and _prev, "
                            f"not {type(v).__name__} {v!r}")


def variable_names(frame):
    """Map id(value) -> the first variable name bound to it in a frame.

    Local names win over global ones; names starting with _ are skipped.
    """
    names = {}
    for scope in (frame.f_locals, frame.f_globals):
        for name, obj in scope.items():
            if name.isidentifier() and not name.startswith("_") and is_value(obj):
                names.setdefault(id(obj), name)
    return names


class Labels:
    """Names values by their label, else their variable, else their expression.

    An expression longer than LONGEST_LABEL characters is replaced by #k, the
    value's place in the printed order, so labels stay short in deep graphs.
    """

    LONGEST_LABEL = 40

    def __init__(self, names):
        self.names = names
        self.known = {}  # value -> label

    def __call__(self, v):
        if v not in self.known:
            for k, u in enumerate(topological_order(v), start=1):  # parents first
                if u not in self.known:
                    self.known[u] = self.name(u) or self.expression(u, k)
        return self.known[v]

    def name(self, v):
        """v's label if it has one, else its variable's name, else ""."""
        return str(getattr(v, "label", "") or self.names.get(id(v)) or "")

    def expression(self, v, k):
        if not v._prev:
            return repr(v.data)
        operands = [self.known[p] for p in v._prev]
        if v._op in ("+", "-", "*", "/"):
            text = f" {v._op} ".join(map(parenthesized, operands))
        elif v._op.startswith("**"):
            text = f"{parenthesized(operands[0])}{v._op}"
        elif v._op == "neg":
            text = f"-{parenthesized(operands[0])}"
        else:
            text = f"{v._op}({operands[0]})"
        return text if len(text) <= self.LONGEST_LABEL else f"#{k}"


def parenthesized(label):
    """A label made safe to place inside a larger expression."""
    return f"({label})" if " " in label else label
