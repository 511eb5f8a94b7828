"""backward() agrees with central finite differences on random expressions, and a second call doubles it."""

import math

from hypothesis import assume, given, settings, strategies as st

from deepdive import Value

small = st.floats(min_value=-2.0, max_value=2.0, allow_nan=False).filter(lambda x: abs(x) > 0.1)

# Each step combines earlier values (so a value is often used more than once).
BINARY = [lambda a, b: a + b, lambda a, b: a * b, lambda a, b: a - b]
UNARY = [lambda a: a.tanh(), lambda a: a.sigmoid(), lambda a: a ** 2, lambda a: -a,
         lambda a: (a * a + 1).log(), lambda a: (a * 0.5).exp()]

programs = st.lists(
    st.one_of(
        st.tuples(st.just("binary"), st.integers(0, len(BINARY) - 1), st.integers(0, 99), st.integers(0, 99)),
        st.tuples(st.just("unary"), st.integers(0, len(UNARY) - 1), st.integers(0, 99), st.just(0)),
    ),
    min_size=1, max_size=12,
)


def evaluate(program, inputs):
    """Run a program of steps on the inputs; every step may reuse any earlier value."""
    values = list(inputs)
    for kind, op, i, j in program:
        a, b = values[i % len(values)], values[j % len(values)]
        values.append(BINARY[op](a, b) if kind == "binary" else UNARY[op](a))
    return values[-1]


@settings(max_examples=200, deadline=None)
@given(program=programs, xs=st.lists(small, min_size=1, max_size=3))
def test_backward_matches_central_finite_differences(program, xs):
    inputs = [Value(x) for x in xs]
    try:
        out = evaluate(program, inputs)
    except (OverflowError, ValueError):  # e.g. squaring twelve times; not what this test is about
        assume(False)
    assume(abs(out.data) < 1e6)  # beyond this, finite differences lose their precision
    out.backward()
    h = 1e-6
    for k, x in enumerate(xs):
        up = evaluate(program, [Value(v + h if n == k else v) for n, v in enumerate(xs)]).data
        down = evaluate(program, [Value(v - h if n == k else v) for n, v in enumerate(xs)]).data
        numeric = (up - down) / (2 * h)
        assert math.isclose(inputs[k].grad, numeric, rel_tol=1e-4, abs_tol=1e-4), (k, inputs[k].grad, numeric)
    once = [v.grad for v in inputs]
    out.backward()  # a second call adds the same gradients again
    assert [v.grad for v in inputs] == [2 * g for g in once]
