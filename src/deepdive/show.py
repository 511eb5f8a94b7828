"""Print a value's graph as cards: name, data, _op, _prev (and grad, once it exists)."""

import sys

from deepdive.engine import Value, topological_order


def show(*values, grad=None, whole_graph=True):
    """Print one card per value that the given values depend on, inputs first.

    Names come from the caller's variables; a value with no name is shown by
    its expression, such as `a * b`. Pass grad=True or grad=False to force the
    `grad:` line on or off; by default it appears once any grad is non-zero.
    whole_graph=False prints the cards of the given values only.
    """
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
    lines.append("_prev: {" + ", ".join(label(p) for p in v._prev) + "}")
    return "\n".join(lines)


def variable_names(frame):
    """Map id(value) -> the first variable name bound to it in a frame.

    Local names win over global ones; names starting with _ are skipped.
    """
    names = {}
    for scope in (frame.f_locals, frame.f_globals):
        for name, obj in scope.items():
            if isinstance(obj, Value) and name.isidentifier() and not name.startswith("_"):
                names.setdefault(id(obj), name)
    return names


class Labels:
    """Names values by their variables, and unnamed ones by their expression.

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
                    self.known[u] = self.names.get(id(u)) or self.expression(u, k)
        return self.known[v]

    def expression(self, v, k):
        if not v._children:
            return repr(v.data)
        operands = [self.known[c] for c in v._children]
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
