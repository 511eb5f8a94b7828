"""Check an engine's gradients against finite differences, and against deepdive.

These are the graders of the course's exercises. They work on any value class
with deepdive's interface (data, grad, _op, _prev and backward()), such as the
MyValue a learner builds, so one check serves every engine.

An expression is Python text over inputs named by single words, such as
"a * b + a". The checks pick the inputs at random (from a fixed seed, so the
same check gives the same numbers every time), and when something is wrong
they say which derivative, with both numbers:

    d out/d b: yours 3.0, finite differences -2.0, for out = a * b at a = 2.0, b = -3.0
"""

import ast
import math
import random

H = 1e-6  # the nudge of a central finite difference
TOLERANCE = 1e-4  # relative, and absolute near 0


def check_gradients(cls, expression, between=(-2.0, 2.0), trials=3, seed=0, **functions):
    """Check what backward() leaves in each input's .grad against finite differences.

    cls makes a value from a number (MyValue, or deepdive's Value). Any names
    the expression calls besides its inputs are passed as keyword arguments,
    such as neuron=neuron.
    """
    names = input_names(expression, functions)
    rng = random.Random(seed)
    for _ in range(trials):
        xs = random_inputs(rng, names, between)
        inputs = {name: cls(x) for name, x in xs.items()}
        out = evaluate(expression, inputs, functions, cls)
        out.backward()
        for name, value in inputs.items():
            estimate = finite_difference(cls, expression, xs, name, functions)
            agree(value.grad, estimate, name, "finite differences", expression, xs)


def check_local_gradients(cls, expression, between=(-2.0, 2.0), trials=3, seed=0):
    """Check the local gradients that one operation records, before any backward().

    For out = a * b, out._prev should be the parents in operand order, (a, b),
    and out._local_grads one d(out)/d(parent) for each of them, in the same
    order. A parent used twice is listed twice: (a, a) for a * a.
    """
    names = input_names(expression, {})
    rng = random.Random(seed)
    for _ in range(trials):
        xs = random_inputs(rng, names, between)
        inputs = {name: cls(x) for name, x in xs.items()}
        out = evaluate(expression, inputs, {}, cls)
        operands = tuple(inputs[name] for name in operand_names(expression))
        parents, local_grads = tuple(out._prev), tuple(getattr(out, "_local_grads", ()))
        if len(parents) != len(operands) or any(p is not v for p, v in zip(parents, operands)):
            wanted = ", ".join(operand_names(expression))
            raise AssertionError(f"out = {expression}: out._prev should be ({wanted}): the parents, in operand order")
        if len(local_grads) != len(parents):
            raise AssertionError(f"out = {expression}: {len(parents)} parents in _prev, "
                                 f"but {len(local_grads)} local gradients in _local_grads")
        for name, value in inputs.items():
            # a parent listed twice (a * a) collects both of its local gradients
            yours = sum(g for p, g in zip(parents, local_grads) if p is value)
            estimate = finite_difference(cls, expression, xs, name, {})
            agree(yours, estimate, name, "finite differences", expression, xs)


def check_accumulation(cls, expression, between=(-2.0, 2.0), seed=0, **functions):
    """Check that a second backward() adds the same gradients again, as PyTorch's does."""
    names = input_names(expression, functions)
    xs = random_inputs(random.Random(seed), names, between)
    inputs = {name: cls(x) for name, x in xs.items()}
    out = evaluate(expression, inputs, functions, cls)
    out.backward()
    once = {name: value.grad for name, value in inputs.items()}
    out.backward()
    for name, value in inputs.items():
        agree(value.grad, 2 * once[name], name, "twice one call", expression, xs,
              after=" after two backward() calls")


def compare_with(cls, reference, expressions=30, names="abc", seed=0):
    """Compare two engines: each operation alone, then random expressions.

    Both give the same data and the same gradients after backward(); a second
    backward() of yours must then give twice the gradients, as PyTorch's does.
    The reference is deepdive's Value in the course.
    """
    rng = random.Random(seed)
    for expression in OPERATIONS:
        compare_on(cls, reference, expression, random_inputs(rng, input_names(expression, {}), (0.5, 2.0)))
    checked = 0
    while checked < expressions:
        expression = random_expression(rng, names)
        checked += compare_on(cls, reference, expression,
                              random_inputs(rng, input_names(expression, {}), (-2.0, 2.0)))


def compare_on(cls, reference, expression, xs):
    """Compare two engines on one expression; False if the reference cannot compute it."""
    source = reference.__module__.split(".")[0]
    theirs = {n: reference(x) for n, x in xs.items()}
    try:
        expected = evaluate(expression, theirs, {}, reference)
    except (ArithmeticError, ValueError):  # such as exp(exp(exp(2))): not a fair test
        return False
    if abs(expected.data) > 1e6:
        return False
    yours = {n: cls(x) for n, x in xs.items()}
    out = evaluate(expression, yours, {}, cls)
    agree(out.data, expected.data, None, source, expression, xs, what="out.data")
    expected.backward()
    out.backward()
    for name in xs:
        agree(yours[name].grad, theirs[name].grad, name, source, expression, xs)
    out.backward()
    for name in xs:
        agree(yours[name].grad, 2 * theirs[name].grad, name, f"twice {source}'s", expression, xs,
              after=" after a second backward()")
    return True


def through_deep_chain(cls, method, length=4_000):
    """Call `method` (such as "backward") on the end of a chain of `length` additions.

    4,000 is deeper than Python lets calls nest (1,000 by default, 3,000 in a
    notebook), so a method that recurses fails. Returns the chain's start and
    what the method returned.
    """
    start = end = cls(0.0)
    for _ in range(length):
        end = end + 1
    try:
        return start, getattr(end, method)()
    except RecursionError:
        raise AssertionError(f"a chain of {length:,} additions is too deep for {method}(): it still recurses") from None
    finally:
        take_apart(end)


def take_apart(end):
    """Unlink a chain one value at a time. Freeing it all at once would recurse
    once per value, and the browser's Python (Pyodide) has too small a stack for that."""
    v = end
    while v._prev:
        parent = v._prev[0]
        v._prev = ()
        v = parent


def input_names(expression, functions):
    """The inputs of an expression, in order of first appearance: "b * a + b" -> [b, a]."""
    return list(dict.fromkeys(operand_names(expression, functions)))


def operand_names(expression, functions=()):
    """Every use of an input, in the order written: "a * a" -> [a, a]."""
    uses = [node for node in ast.walk(ast.parse(expression, mode="eval"))
            if isinstance(node, ast.Name) and node.id not in functions]
    return [node.id for node in sorted(uses, key=lambda node: node.col_offset)]


def random_inputs(rng, names, between):
    """A random number for each input, rounded to 2 decimals so that messages read easily."""
    low, high = between
    return {name: round(rng.uniform(low, high), 2) for name in names}


def evaluate(expression, inputs, functions, cls):
    """The expression's value, computed with the given inputs; it must be a value of cls."""
    out = eval(expression, {"__builtins__": {}}, {**functions, **inputs})
    if not isinstance(out, cls):
        got = "None" if out is None else f"a {type(out).__name__}"
        raise AssertionError(f"out = {expression} gave {got}, not a {cls.__name__}")
    return out


def finite_difference(cls, expression, xs, name, functions):
    """d out/d name by a central difference: (out(x + h) - out(x - h)) / 2h."""
    def out(x):
        nudged = {n: cls(x if n == name else v) for n, v in xs.items()}
        return evaluate(expression, nudged, functions, cls).data
    x = xs[name]
    return (out(x + H) - out(x - H)) / (2 * H)


def agree(yours, expected, name, source, expression, xs, what=None, after=""):
    """Raise AssertionError, with both numbers, unless yours is close to expected."""
    if isinstance(yours, (int, float)) and math.isclose(yours, expected, rel_tol=TOLERANCE, abs_tol=TOLERANCE):
        return
    at = ", ".join(f"{n} = {x}" for n, x in xs.items())
    what = what or f"d out/d {name}"
    raise AssertionError(f"{what}{after}: yours {short(yours)}, {source} {short(expected)}, "
                         f"for out = {expression} at {at}")


def short(x):
    """A number to 6 decimals, as Python prints it: -2.0, not -1.9999999999."""
    return repr(round(x, 6)) if isinstance(x, (int, float)) else repr(x)


OPERATIONS = ["a + b", "a * b", "a ** 2", "a ** -1", "a.tanh()", "a.exp()",
              "-a", "a - b", "1 + a", "2 * a", "1 - a", "a / b", "1 / a"]
UNARY = ["-{}", "{} ** 2", "{} ** 3", "{}.tanh()", "{}.exp()", "2 * {}", "{} + 1", "1 / {}"]
BINARY = ["{} + {}", "{} * {}", "{} - {}", "{} / {}"]


def random_expression(rng, names, depth=3):
    """Random Python text over the names, such as "(a * b).tanh() + a"; never a bare name."""
    if depth == 0 or (depth < 3 and rng.random() < 0.25):
        return rng.choice(names)
    if rng.random() < 0.4:
        return rng.choice(UNARY).format(operand(random_expression(rng, names, depth - 1)))
    left, right = (operand(random_expression(rng, names, depth - 1)) for _ in range(2))
    return rng.choice(BINARY).format(left, right)


def operand(expression):
    """The expression, in brackets unless it is a name or a method call such as a.tanh()."""
    atom = isinstance(ast.parse(expression, mode="eval").body, (ast.Name, ast.Call))
    return expression if atom else f"({expression})"
