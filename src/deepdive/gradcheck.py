"""Check an engine's gradients against finite differences, and against deepdive.

These are the graders of the course's exercises. They work on any value class
with deepdive's interface (data, grad, _op, _prev and backward()), such as the
MyValue a learner builds, so one check serves every engine.

An expression is Python text over inputs named by single words, such as
"a * b + a". It may name a value on the way, so that the value is used twice:
"t = a * b; t + t.tanh()" is out = t + t.tanh(), where t = a * b. The checks
pick the inputs at random (from a fixed seed, so the same check gives the same
numbers every time), compute the data with deepdive's Value too, and when
something is wrong they say which number, with yours and the expected one:

    d out/d b: yours 3.0, finite differences -2.0, for out = a * b at a = 2.0, b = -3.0

The second half of this file checks the exercises of chapter 2, one function
each, so that a later exercise can first check the earlier ones it builds on
(check_earlier) and send the learner back to the right one.
"""

import ast
import math
import random

from deepdive.engine import Value
from deepdive.nn import Neuron

H = 1e-6  # the nudge of a central finite difference
TOLERANCE = 1e-4  # relative, and absolute near 0


def check_gradients(cls, expression, between=(-2.0, 2.0), trials=3, seed=0, **functions):
    """Check what backward() leaves in each input's .grad against finite differences.

    cls makes a value from a number (MyValue, or deepdive's Value). Any names
    the expression calls besides its inputs are passed as keyword arguments,
    such as neuron=neuron; without them, the data is compared with deepdive's.
    """
    names = input_names(expression, functions)
    rng = random.Random(seed)
    for _ in range(trials):
        xs = random_inputs(rng, names, between)
        inputs = {name: cls(x) for name, x in xs.items()}
        scope = {**functions, **inputs}
        out = evaluate(expression, scope, cls)
        forward = cls if functions else Value  # functions such as neuron are written for cls
        if not functions:
            check_data(out, expression, xs)
        call(out.backward, "backward()", cls)
        for name, value in inputs.items():
            estimate = finite_difference(forward, expression, xs, name, functions)
            agree(value.grad, estimate, name, "finite differences", expression, xs)
        if not functions:
            check_intermediate_gradients(scope, expression, xs)


def check_intermediate_gradients(scope, expression, xs):
    """The gradients of the values named on the way ("t = a * b; ..."), against deepdive's."""
    theirs = {n: Value(x) for n, x in xs.items()}
    evaluate(expression, theirs, Value).backward()
    for name in [n for n in theirs if n not in xs]:
        agree(scope[name].grad, theirs[name].grad, name, "deepdive", expression, xs)


def check_local_gradients(cls, expression, between=(-2.0, 2.0), trials=3, seed=0):
    """Check the data and the local gradients that one operation records, before any backward().

    For out = a * b, out.data should be deepdive's, out._prev the parents in
    operand order, (a, b), and out._local_grads one number d(out)/d(parent)
    for each of them, in the same order. A parent used twice is listed twice:
    (a, a) for a * a.
    """
    names = input_names(expression, {})
    rng = random.Random(seed)
    for _ in range(trials):
        xs = random_inputs(rng, names, between)
        inputs = {name: cls(x) for name, x in xs.items()}
        out = evaluate(expression, dict(inputs), cls)
        check_data(out, expression, xs)
        parents = check_parents(out, [inputs[name] for name in operand_names(expression)], expression)
        local_grads = check_local_grads(out, parents, expression, cls)
        for name, value in inputs.items():
            # a parent listed twice (a * a) collects both of its local gradients
            yours = sum(g for p, g in zip(parents, local_grads) if p is value)
            estimate = finite_difference(Value, expression, xs, name, {})
            agree(yours, estimate, name, "finite differences", expression, xs)


def check_accumulation(cls, expression, between=(-2.0, 2.0), seed=0, **functions):
    """Check that a second backward() adds the same gradients again, as PyTorch's does."""
    names = input_names(expression, functions)
    xs = random_inputs(random.Random(seed), names, between)
    inputs = {name: cls(x) for name, x in xs.items()}
    out = evaluate(expression, {**functions, **inputs}, cls)
    call(out.backward, "backward()", cls)
    once = {name: value.grad for name, value in inputs.items()}
    for name, grad in once.items():
        if not is_number(grad):
            raise AssertionError(f"d out/d {name} after backward() is a number, but yours is {kind(grad)}, "
                                 f"for {described(expression)}")
    call(out.backward, "a second backward()", cls)
    for name, value in inputs.items():
        if is_number(value.grad) and close(value.grad, once[name]) and not close(once[name], 0):
            why = ": the second call set .grad instead of adding to it"
        else:
            why = ": does what the first call left in .grad leak into the second's chain rule?"
        agree(value.grad, 2 * once[name], name, "twice one call", expression, xs,
              after=" after two backward() calls", why=why)


def compare_with(cls, reference=Value, expressions=30, names="abc", seed=0):
    """Compare two engines: each operation alone, then graphs that use a value twice, then random expressions.

    Both give the same data and the same gradients after backward(); a second
    backward() of yours must then give twice the gradients, as PyTorch's does.
    Each operation's _prev must be a tuple of its parents in operand order.
    Half the random expressions use an intermediate value twice. The
    reference is deepdive's Value in the course.
    """
    rng = random.Random(seed)
    for expression in OPERATIONS:
        xs = random_inputs(rng, input_names(expression, {}), (0.5, 2.0))
        compare_on(cls, reference, expression, xs, method=METHODS[expression])
        if expression in PRIMITIVES:
            operands = {name: cls(x) for name, x in xs.items()}
            out = evaluate(expression, dict(operands), cls)
            check_parents(out, [operands[name] for name in operand_names(expression)], expression)
    for expression in SHARED:
        compare_on(cls, reference, expression, random_inputs(rng, input_names(expression, {}), (-2.0, 2.0)))
    checked = 0
    while checked < expressions:
        expression = random_expression(rng, names) if checked % 2 else random_shared(rng, names)
        checked += compare_on(cls, reference, expression,
                              random_inputs(rng, input_names(expression, {}), (-2.0, 2.0)))


def compare_on(cls, reference, expression, xs, method=None):
    """Compare two engines on one expression; False if the reference cannot compute it."""
    source = reference.__module__.split(".")[0]
    theirs = {n: reference(x) for n, x in xs.items()}
    try:
        expected = evaluate(expression, dict(theirs), reference)
    except (ArithmeticError, ValueError):  # such as exp(exp(exp(2))): not a fair test
        return False
    if abs(expected.data) > 1e6:
        return False
    why = f" (your {method})" if method else ""
    yours = {n: cls(x) for n, x in xs.items()}
    out = evaluate(expression, dict(yours), cls)
    agree(out.data, expected.data, None, source, expression, xs, what="out.data", why=why)
    expected.backward()
    call(out.backward, "backward()", cls)
    for name in xs:
        agree(yours[name].grad, theirs[name].grad, name, source, expression, xs, why=why)
    call(out.backward, "a second backward()", cls)
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
    """Unlink a graph one value at a time. Freeing a long chain all at once would recurse
    once per value, and the browser's Python (Pyodide) has too small a stack for that.
    It reads _prev as any collection (a tuple, a list, or micrograd's set), and drops
    micrograd-style _backward closures, which hold the parents too."""
    stack = [end]
    while stack:
        v = stack.pop()
        stack.extend(getattr(v, "_prev", ()))
        v._prev = ()
        if hasattr(v, "_backward"):
            v._backward = None


def input_names(expression, functions):
    """The inputs of an expression, in order of first appearance: "b * a + b" -> [b, a].
    Names given a value on the way ("t = a * b; t + t") are not inputs."""
    made = {node.id for node in names_in(expression) if isinstance(node.ctx, ast.Store)}
    return list(dict.fromkeys(name for name in operand_names(expression, functions) if name not in made))


def operand_names(expression, functions=()):
    """Every use of an input, in the order written: "a * a" -> [a, a]."""
    uses = [node for node in names_in(expression) if isinstance(node.ctx, ast.Load) and node.id not in functions]
    return [node.id for node in sorted(uses, key=lambda node: node.col_offset)]


def names_in(expression):
    """Every name in the expression's text, read or given a value."""
    return [node for node in ast.walk(ast.parse(expression)) if isinstance(node, ast.Name)]


def random_inputs(rng, names, between):
    """A random number for each input, rounded to 2 decimals so that messages read easily."""
    low, high = between
    return {name: round(rng.uniform(low, high), 2) for name in names}


def evaluate(expression, scope, cls):
    """The expression's value, computed with the names in scope (inputs, and functions it calls);
    it must be a value of cls. A value named on the way ("t = a * b; ...") is left in scope."""
    *steps, last = expression.split(";")
    try:
        for step in steps:
            exec(step.strip(), {"__builtins__": {}}, scope)
        out = eval(last.strip(), {"__builtins__": {}}, scope)
    except (RecursionError, AttributeError, TypeError) as error:
        raise AssertionError(f"{described(expression)} raised {hint(error, cls)}") from None
    if not isinstance(out, cls):
        got = "None" if out is None else f"a {type(out).__name__}"
        raise AssertionError(f"{described(expression)} gave {got}, not a {cls.__name__}")
    return out


def call(method, what, cls):
    """Call one of the learner's methods; an error from it comes with a hint of where to look."""
    try:
        return method()
    except (RecursionError, AttributeError, TypeError) as error:
        raise AssertionError(f"{what} raised {hint(error, cls)}") from None


def hint(error, cls):
    """The learner's error, and what to look at."""
    name = cls.__name__
    if isinstance(error, RecursionError):
        return ("RecursionError: a method calls itself again and again. A reflected method such as __radd__ that "
                "computes other + self asks itself again (other is a plain number): write self + other. "
                "A method that recurses on a deep graph needs a stack of its own.")
    if isinstance(error, AttributeError) and ("'float' object" in str(error) or "'int' object" in str(error)):
        return (f"AttributeError: {error}. Does each operation return a {name}, and wrap a plain number "
                f"in a {name} before it reads .data?")
    if isinstance(error, TypeError) and "unsupported operand" in str(error):
        return (f"TypeError: {error}. Does {name} have that operation, and its reflected one (such as "
                f"__radd__ for a number on the left), each returning a {name}?")
    return f"{type(error).__name__}: {error}"


def described(expression):
    """The expression as messages write it: "out = a * b", or "t = a * b; out = t + t.tanh()"."""
    *steps, last = [step.strip() for step in expression.split(";")]
    return "; ".join(steps + [f"out = {last}"])


def finite_difference(cls, expression, xs, name, functions):
    """d out/d name by a central difference: (out(x + h) - out(x - h)) / 2h."""
    def out(x):
        nudged = {n: cls(x if n == name else v) for n, v in xs.items()}
        return evaluate(expression, {**functions, **nudged}, cls).data
    x = xs[name]
    return (out(x + H) - out(x - H)) / (2 * H)


def check_data(out, expression, xs, method=None):
    """out.data against deepdive's, for the same expression at the same inputs."""
    expected = evaluate(expression, {n: Value(x) for n, x in xs.items()}, Value)
    agree(out.data, expected.data, None, "deepdive", expression, xs, what="out.data",
          why=f" (your {method})" if method else "")


def check_parents(out, operands, expression):
    """out._prev, as a tuple: the operands, in order. A list will do; a set, which has no order, will not."""
    wanted = f"({', '.join(operand_names(expression))})"
    prev = getattr(out, "_prev", None)
    if not isinstance(prev, (tuple, list)):
        raise AssertionError(f"{described(expression)}: out._prev should be a tuple of the parents in operand "
                             f"order, {wanted}; yours is {kind(prev)}")
    if len(prev) != len(operands) or any(p is not v for p, v in zip(prev, operands)):
        raise AssertionError(f"{described(expression)}: out._prev should be {wanted}: the parents, in operand order")
    return tuple(prev)


def check_local_grads(out, parents, expression, cls):
    """out._local_grads: one number for each parent, in the order of _prev."""
    local_grads = getattr(out, "_local_grads", None)
    if not isinstance(local_grads, (tuple, list)):
        raise AssertionError(f"{described(expression)}: out._local_grads should be a tuple of numbers, one for "
                             f"each parent; yours is {kind(local_grads)}")
    if len(local_grads) != len(parents):
        raise AssertionError(f"{described(expression)}: {len(parents)} parents in _prev, "
                             f"but {len(local_grads)} local gradients in _local_grads")
    for g in local_grads:
        if not is_number(g):
            raise AssertionError(f"{described(expression)}: local gradients are floats; yours holds "
                                 f"{kind(g)}: use the number, such as other.data, not the {cls.__name__}")
    return tuple(local_grads)


def agree(yours, expected, name, source, expression, xs, what=None, after="", why=""):
    """Raise AssertionError, with both numbers, unless yours is close to expected."""
    what = what or f"d out/d {name}"
    at = ", ".join(f"{n} = {x}" for n, x in xs.items())
    if not is_number(yours):
        raise AssertionError(f"{what}{after} is a number ({source}: {short(expected)}), but yours is "
                             f"{kind(yours)}, for {described(expression)} at {at}")
    if close(yours, expected):
        return
    raise AssertionError(f"{what}{after}: yours {short(yours)}, {source} {short(expected)}, "
                         f"for {described(expression)} at {at}{why}")


def close(x, y):
    return math.isclose(x, y, rel_tol=TOLERANCE, abs_tol=TOLERANCE)


def is_number(x):
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def short(x):
    """A number to 6 decimals, as Python prints it: -2.0, not -1.9999999999."""
    return repr(round(x, 6)) if is_number(x) else repr(x)


def kind(x):
    """What x is, for a message: "a set", "None", "a MyValue (MyValue(data=1.0, grad=0.0))"."""
    if x is None:
        return "None"
    if isinstance(x, (set, frozenset)):
        return f"a {type(x).__name__}, which keeps no order"
    return f"a {type(x).__name__} ({x!r})"


# Each operation alone, the name of the method that computes it, and those that record their own parents
METHODS = {"a + b": "__add__", "a * b": "__mul__", "a ** 2": "__pow__", "a ** -1": "__pow__",
           "a.tanh()": "tanh", "a.exp()": "exp", "-a": "__neg__", "a - b": "__sub__", "1 + a": "__radd__",
           "2 * a": "__rmul__", "1 - a": "__rsub__", "a / b": "__truediv__", "1 / a": "__rtruediv__"}
OPERATIONS = list(METHODS)
PRIMITIVES = ["a + b", "a * b", "a ** 2", "a.tanh()", "a.exp()"]
# Graphs where an intermediate value t is used more than once: order and += matter
SHARED = ["t = a * b; t + t.tanh()",                                          # used twice
          "t = a * b; t * t.tanh() + t.exp() * t + 3 * t - t * c",            # a wide fan-in
          "t = a * b; " + "t = (t * c).tanh() + t; " * 8 + "t * a"]            # a deep chain
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


def random_shared(rng, names):
    """A random expression that uses an intermediate value t at least twice: "t = a * b; (t + c) * t"."""
    t = random_expression(rng, names)
    while True:
        out = random_expression(rng, names + "tt")
        if operand_names(out).count("t") >= 2:
            return f"t = {t}; {out}"


def operand(expression):
    """The expression, in brackets unless it is a name or a method call such as a.tanh()."""
    atom = isinstance(ast.parse(expression, mode="eval").body, (ast.Name, ast.Call))
    return expression if atom else f"({expression})"


# --- chapter 2's exercises, one check each ---------------------------------------------------------

def check_records(cls, trials=3, seed=0):
    """2.1, "A value that remembers": + and * give a value with the right data, its _op and its parents."""
    rng = random.Random(seed)
    for _ in range(trials):
        xs = random_inputs(rng, ["a", "b"], (-3.0, 3.0))
        for expression, op in [("a * b", "*"), ("a + b", "+"), ("b + a", "+"), ("b * a", "*")]:
            scope = {n: cls(x) for n, x in xs.items()}
            out = evaluate(expression, dict(scope), cls)
            check_data(out, expression, xs)
            if getattr(out, "_op", None) != op:
                raise AssertionError(f'({expression})._op should be "{op}", not {getattr(out, "_op", None)!r}')
            check_parents(out, [scope[name] for name in operand_names(expression)], expression)
        scope = {n: cls(x) for n, x in xs.items()}
        out = evaluate("c = a * b; d = a + b; c + d", scope, cls)
        check_parents(out, [scope["c"], scope["d"]], "c + d")


def check_numbers(cls, trials=3, seed=0):
    """2.1, "Numbers, minus and the other side": -, reflected + * -, each built from + and *."""
    rng = random.Random(seed)
    for _ in range(trials):
        xs = random_inputs(rng, ["a", "b"], (-3.0, 3.0))
        for expression in ["-a", "a - b", "1 + a", "2 * a", "1 - a"]:
            names = input_names(expression, {})
            inputs = {n: cls(xs[n]) for n in names}
            out = evaluate(expression, dict(inputs), cls)
            check_data(out, expression, {n: xs[n] for n in names}, METHODS[expression])
            check_built_from_add_mul(out, expression, inputs)


def check_built_from_add_mul(out, expression, inputs):
    """Every value in out's graph is made by + or * and holds what its parents make; the inputs are in it."""
    method = METHODS[expression]
    seen, stack = set(), [out]
    while stack:
        v = stack.pop()
        if id(v) in seen:
            continue
        seen.add(id(v))
        parents = list(getattr(v, "_prev", ()))
        stack += parents
        if v is out and not parents:
            raise AssertionError(f"your {method}: {expression} should be built from + and *, but it has no parents "
                                 f"(its _op is {getattr(v, '_op', None)!r}): compute it from the values, not from their .data")
        if not parents:
            continue
        if getattr(v, "_op", None) not in ("+", "*"):
            raise AssertionError(f"your {method}: {expression} should be built from + and *, "
                                 f"but it holds a value made by {v._op!r}")
        numbers = [p.data for p in parents]
        made = sum(numbers) if v._op == "+" else math.prod(numbers)
        if not close(made, v.data):
            raise AssertionError(f"your {method}: {expression} holds a value that records {v._op!r} of {numbers}, "
                                 f"which makes {short(made)}, but it holds {short(v.data)}: "
                                 f"build it from + and *, such as self + (-other)")
    for name, value in inputs.items():
        if id(value) not in seen:
            raise AssertionError(f"your {method}: {expression} should be built from + and * on {name} itself, "
                                 f"but {name} is not one of its parents or theirs")


def check_add_mul(cls):
    """2.3, "Local gradients of + and *"."""
    check_records(cls)
    for expression in ["a + b", "a * b", "a * a", "b * a"]:
        check_local_gradients(cls, expression)


def check_pow_tanh_exp(cls):
    """2.3, "Local gradients of **, tanh and exp", and the division built on **."""
    for expression in ["a ** 2", "a ** 3", "a.tanh()", "a.exp()"]:
        check_local_gradients(cls, expression)
    for expression in ["a ** -1", "a ** 0.5"]:
        check_local_gradients(cls, expression, between=(0.5, 2.0))
    rng = random.Random(0)
    for expression in ["a / b", "1 / a"]:
        xs = random_inputs(rng, input_names(expression, {}), (0.5, 2.0))
        out = evaluate(expression, {n: cls(x) for n, x in xs.items()}, cls)
        check_data(out, expression, xs, METHODS[expression])


# Graphs where reversed breadth-first and reversed pre-order walks put a value before one of its parents
ORDER_GRAPHS = ["z = x + y; q = z * x; q", "t = a * b; u = t.tanh(); t + u",
                "t = a * b; u = t.exp(); v = u * t; w = v + u; w * a", "t = a + b; t * t * t * t"]


def check_topological_order(cls):
    """2.4, "A topological order without recursion": each value once, each after all of its parents."""
    rng = random.Random(0)
    for expression in ORDER_GRAPHS:
        scope = {n: cls(x) for n, x in random_inputs(rng, input_names(expression, {}), (0.5, 2.0)).items()}
        out = evaluate(expression, scope, cls)
        names = {id(v): n for n, v in scope.items()}
        graph = every_value(out)
        order = call(out.topological_order, "topological_order()", cls)
        check_order(order, graph, names, described(expression))
    start, order = through_deep_chain(cls, "topological_order")
    if not isinstance(order, (list, tuple)) or len(order) != 8_001:
        got = f"{len(order)} values" if isinstance(order, (list, tuple)) else kind(order)
        raise AssertionError(f"a chain of 4,000 additions holds 8,001 values, but its order has {got}")


def check_order(order, graph, names, what):
    """Each value of the graph once, and every value after all of its parents."""
    def name(v):
        return names.get(id(v)) or f"the value {short(v.data)} made by {v._op!r}"
    if not isinstance(order, (list, tuple)):
        raise AssertionError(f"topological_order() should return a list of values, not {kind(order)}")
    place = {}
    for i, v in enumerate(order):
        if id(v) in place:
            raise AssertionError(f"the order of {what} holds {name(v)} twice: each value once")
        place[id(v)] = i
    for v in graph:
        if id(v) not in place:
            raise AssertionError(f"the order of {what} misses {name(v)}: it should hold every value out depends on")
    if len(order) != len(graph):
        raise AssertionError(f"the order of {what} holds {len(order)} values, but the graph has {len(graph)}")
    for v in order:
        for parent in v._prev:
            if place[id(parent)] > place[id(v)]:
                raise AssertionError(f"in the order of {what}, {name(parent)} comes after {name(v)}, which is made "
                                     f"from it: every value must come after all of its parents")


def every_value(out):
    """Every value out depends on, and out, once each, without recursion."""
    values, seen, stack = [], set(), [out]
    while stack:
        v = stack.pop()
        if id(v) not in seen:
            seen.add(id(v))
            values.append(v)
            stack.extend(v._prev)
    return values


def check_backward(cls):
    """2.4, "backward(), adding up": gradients on graphs that share values, and a second call that adds."""
    check_gradients(cls, "a * b + a")
    for expression in SHARED:
        check_gradients(cls, expression)
    check_gradients(cls, "(a * b + c).tanh() * a + (b / c) ** 2 + (c - a).exp()", between=(0.5, 2.0))
    check_accumulation(cls, "(a * b) * 2 + a")
    check_accumulation(cls, SHARED[0])


def check_neuron(cls, neuron_cls, seed=0):
    """2.5, "A neuron": tanh(w·x + b) for any number of inputs, with gradients, leaving its parameters as they were."""
    rng = random.Random(seed)
    for nin in (2, 3, 1, 5):
        ws = [round(rng.uniform(-1, 1), 2) for _ in range(nin)]
        b = round(rng.uniform(-1, 1), 2)
        x = [round(rng.uniform(-2, 2), 2) for _ in range(nin)]
        what = f"MyNeuron({nin}) with w = {ws}, b = {b}, at x = {x}"
        n = neuron_cls(nin)
        if len(n.w) != nin:
            raise AssertionError(f"MyNeuron({nin}) should hold {nin} weights in .w, one per input, not {len(n.w)}")
        n.w, n.b = [cls(w) for w in ws], cls(b)
        parameters = n.w + [n.b]
        ours = Neuron(nin, activation="tanh")
        ours.w, ours.b = [Value(w) for w in ws], Value(b)
        expected = ours(x)
        out = call(lambda: n(x if nin != 3 else tuple(x)), "calling the neuron", cls)
        if not isinstance(out, cls):
            raise AssertionError(f"{what}: the neuron should give a {cls.__name__}, not {kind(out)}")
        if not close(out.data, expected.data):
            raise AssertionError(f"{what}: yours gives {short(out.data)}, deepdive's Neuron "
                                 f"{short(expected.data)}: tanh(w1·x1 + … + b), over every input")
        check_unchanged(n, parameters, ws + [b], what)
        again = call(lambda: n(x), "calling the neuron a second time", cls)
        if not close(again.data, out.data):
            raise AssertionError(f"{what}: a second call gives {short(again.data)}, the first {short(out.data)}: "
                                 f"calling a neuron must leave its weights and bias as they were")
        expected.backward()
        call(out.backward, "backward()", cls)
        labels = [f"w{i + 1}" for i in range(nin)] + ["b"]
        for label, p, q in zip(labels, parameters, ours.w + [ours.b]):
            if not is_number(p.grad) or not close(p.grad, q.grad):
                raise AssertionError(f"d out/d {label}: yours {short(p.grad)}, deepdive's Neuron {short(q.grad)}, "
                                     f"for {what}")


def check_unchanged(n, parameters, numbers, what):
    """The neuron still holds the same weights and bias, with the same data."""
    if n.b is not parameters[-1] or any(w is not p for w, p in zip(n.w, parameters)):
        raise AssertionError(f"{what}: calling the neuron replaced its bias or a weight with another value: "
                             f"compute the sum in a variable of its own, and leave self.b and self.w as they were")
    for p, x in zip(parameters, numbers):
        if p.data != x:
            raise AssertionError(f"{what}: calling the neuron changed a parameter from {x} to {p.data}: "
                                 f"leave self.b and self.w as they were")


def check_train_step(train_step, cls, neuron_cls, steps=3, learning_rate=0.05):
    """2.5, "A training step": each step moves every parameter as deepdive's would, and returns the loss before it.

    When a step goes wrong, it says how: with the gradients of earlier steps
    added in, uphill, or not at all.
    """
    xs = [[2.0, -1.0], [0.5, 1.0], [-1.0, 0.5]]
    ys = [0.8, -0.5, 0.2]
    ours = Neuron(2, activation="tanh")  # deepdive's, as the reference
    ours.w, ours.b = [Value(0.5), Value(1.5)], Value(0.25)
    yours = neuron_cls(2)
    yours.w, yours.b = [cls(0.5), cls(1.5)], cls(0.25)
    so_far = [0.0, 0.0, 0.0]  # every step's gradient, summed
    for step in range(steps):
        ours.zero_grad()
        expected = sum((ours(x) - y) ** 2 for x, y in zip(xs, ys))
        expected.backward()
        grads = [p.grad for p in ours.parameters()]
        so_far = [s + g for s, g in zip(so_far, grads)]
        before = [p.data for p in ours.parameters()]
        for p in ours.parameters():
            p.data -= learning_rate * p.grad
        loss = call(lambda: train_step(yours, xs, ys, learning_rate), "train_step()", cls)
        if not is_number(loss):
            raise AssertionError(f"train_step() should return the loss before the step as a number, "
                                 f"loss.data, not {kind(loss)}")
        if not close(loss, expected.data):
            raise AssertionError(f"step {step}: loss yours {loss:.6f}, deepdive {expected.data:.6f}: "
                                 f"the sum of (neuron(x) - y) ** 2, before the step")
        after = [p.data for p in yours.w + [yours.b]]
        moved = [a - b for a, b in zip(after, before)]
        if not all(close(m, -learning_rate * g) for m, g in zip(moved, grads)):
            wanted = [round(p.data, 6) for p in ours.parameters()]
            raise AssertionError(f"after step {step}, w1, w2 and b are {[round(a, 6) for a in after]}, "
                                 f"deepdive's {wanted}" + diagnosis(moved, grads, so_far, learning_rate, yours))


def diagnosis(moved, grads, so_far, learning_rate, neuron):
    """What a step that moved the parameters by `moved` did wrong, if it is a usual mistake."""
    def moved_by(gradients):
        return all(close(m, -learning_rate * g) for m, g in zip(moved, gradients))
    if moved_by(so_far):
        return (": the step used this step's gradients plus those of the steps before, still in .grad. "
                "Did you call zero_grad() before backward()?")
    if moved_by([-g for g in grads]):
        return (": each parameter moved with its gradient, uphill. Gradient descent moves against it: "
                "p.data -= learning_rate * p.grad")
    if moved_by([0.0 for _ in grads]):
        if all(p.grad == 0 for p in neuron.w + [neuron.b]):
            return (": the parameters did not move, and their .grad is 0. "
                    "Is zero_grad() called after backward(), before the update uses the gradients?")
        return ": the parameters did not move. Does train_step() change p.data?"
    return ""


EARLIER = {  # chapter 2's exercises: lesson, title, check
    "my-value": ("2.1", "A value that remembers", check_records),
    "numbers": ("2.1", "Numbers, minus and the other side", check_numbers),
    "add-mul": ("2.3", "Local gradients of + and *", check_add_mul),
    "pow-tanh-exp": ("2.3", "Local gradients of **, tanh and exp", check_pow_tanh_exp),
    "topological-order": ("2.4", "A topological order without recursion", check_topological_order),
    "backward": ("2.4", "backward(), adding up", check_backward),
    "neuron": ("2.5", "A neuron", check_neuron),
}


def check_earlier(cls, *exercises, neuron=None):
    """Before an exercise's own checks: the earlier exercises it builds on, in order.

    A mistake there is named, with the lesson to go back to, so that it is never
    blamed on the exercise at hand. neuron is the MyNeuron class, for "neuron".
    """
    for exercise in exercises:
        lesson, title, check = EARLIER[exercise]
        try:
            check(cls, neuron) if exercise == "neuron" else check(cls)
        except Exception as failure:
            said = str(failure) if isinstance(failure, AssertionError) else f"{type(failure).__name__}: {failure}"
            stop = "" if said.endswith(("?", ".")) else "."
            raise AssertionError(f"{said}{stop} That is your code from {lesson} (\"{title}\"), which this exercise "
                                 f"builds on: go back to {lesson}") from None
