"""The Value engine: each operation's value and gradient, errors, and depth."""

import math

import pytest

from deepdive import Value


def grads_of(f, *xs):
    """Build f from fresh Values, run backward, return (output data, input grads)."""
    inputs = [Value(x) for x in xs]
    out = f(*inputs)
    out.backward()
    return out.data, [v.grad for v in inputs]


@pytest.mark.parametrize("f, xs, data, grads", [
    (lambda a, b: a + b, (2.0, -3.0), -1.0, [1.0, 1.0]),
    (lambda a, b: a * b, (2.0, -3.0), -6.0, [-3.0, 2.0]),
    (lambda a, b: a - b, (2.0, -3.0), 5.0, [1.0, -1.0]),
    (lambda a, b: a / b, (3.0, 2.0), 1.5, [0.5, -0.75]),
    (lambda a: a ** 3, (2.0,), 8.0, [12.0]),
    (lambda a: a ** -1, (4.0,), 0.25, [-0.0625]),
    (lambda a: -a, (2.0,), -2.0, [-1.0]),
    (lambda a: a.exp(), (0.0,), 1.0, [1.0]),
    (lambda a: a.log(), (2.0,), math.log(2.0), [0.5]),
    (lambda a: a.tanh(), (0.0,), 0.0, [1.0]),
    (lambda a: a.relu(), (2.0,), 2.0, [1.0]),
    (lambda a: a.relu(), (-2.0,), 0.0, [0.0]),
    (lambda a: a.sigmoid(), (0.0,), 0.5, [0.25]),
])
def test_each_operation_gives_its_value_and_gradient(f, xs, data, grads):
    out, got = grads_of(f, *xs)
    assert out == pytest.approx(data)
    assert got == pytest.approx(grads)


@pytest.mark.parametrize("expr, data, op, parents", [
    (lambda a: 2 * a, 4.0, "*", [2, "a"]),
    (lambda a: a * 2, 4.0, "*", ["a", 2]),
    (lambda a: 1 - a, -1.0, "-", [1, "a"]),
    (lambda a: 1 + a, 3.0, "+", [1, "a"]),
    (lambda a: 6 / a, 3.0, "/", [6, "a"]),
])
def test_plain_numbers_work_on_either_side_and_keep_operand_order(expr, data, op, parents):
    a = Value(2.0)
    out = expr(a)
    assert (out.data, out._op) == (data, op)
    assert [p if p is a else p.data for p in out._prev] == [a if x == "a" else x for x in parents]


def test_prev_lists_parents_in_operand_order_without_repeats():
    a, b = Value(2.0), Value(-3.0)
    assert (a * b)._prev == (a, b)
    assert (b * a)._prev == (b, a)
    assert (a + a)._prev == (a,)
    assert Value(1.0)._prev == ()


def test_a_value_used_twice_gets_the_sum_of_both_paths():
    x, y = Value(4.0), Value(10.0)
    z = x + y
    q = z * x            # dq/dx = z + x = 2x + y
    q.backward()
    assert (x.grad, y.grad, z.grad) == (18.0, 4.0, 4.0)
    a = Value(3.0)
    (a + a).backward()
    assert a.grad == 2.0
    b = Value(3.0)
    (b * b).backward()
    assert b.grad == 6.0


def test_calling_backward_twice_gives_the_same_grads():
    x, y = Value(4.0), Value(10.0)
    q = (x + y) * x
    q.backward()
    first = (x.grad, y.grad, q.grad)
    q.backward()
    assert (x.grad, y.grad, q.grad) == first == (18.0, 4.0, 1.0)


def test_backward_from_an_intermediate_value_fills_only_what_it_depends_on():
    a, b, c = Value(2.0), Value(-3.0), Value(10.0)
    d = a * b
    e = d + c
    d.backward()
    assert (a.grad, b.grad, c.grad, e.grad) == (-3.0, 2.0, 0.0, 0.0)


def test_a_million_deep_chain_runs_forward_and_backward():
    x = Value(1.0)
    v = x
    for _ in range(1_000_000):
        v = v + x
    v.backward()
    assert v.data == 1_000_001.0
    assert x.grad == 1_000_001.0


def test_micrograd_api_is_covered():
    a = Value(2.0)
    for name in ("data", "grad", "_prev", "_op", "backward", "relu"):
        assert hasattr(a, name)
    assert repr(Value(2.0)) == "Value(data=2.0, grad=0.0)"
    assert len({a, Value(2.0)}) == 2   # hashable by identity, as micrograd's is


@pytest.mark.parametrize("make, error, words", [
    (lambda: Value("2"), TypeError, "not str '2'"),
    (lambda: Value(None), TypeError, "not NoneType None"),
    (lambda: Value(True), TypeError, "not bool True"),
    (lambda: Value(2.0) + "x", TypeError, "Value() takes an int or float, not str 'x'"),
    (lambda: "x" * Value(2.0), TypeError, "not str 'x'"),
    (lambda: Value(2.0) * [1], TypeError, "not list [1]"),
    (lambda: Value(2.0) ** Value(2.0), TypeError, "exponent must be a number, not Value"),
    (lambda: Value(0.0).log(), ValueError, "log needs a positive number"),
    (lambda: Value(-1.0).log(), ValueError, "data=-1.0"),
    (lambda: Value(1e308) * 10, ValueError, "'*' of Value(data=1e+308, grad=0.0), Value(data=10, grad=0.0) gave inf"),
    (lambda: Value(1e300) ** 2, OverflowError, ""),
    (lambda: Value(float("nan")), ValueError, "got nan"),
    (lambda: Value(float("inf")), ValueError, "got inf"),
    (lambda: Value(1.0) / 0, ZeroDivisionError, ""),
    (lambda: Value(-8.0) ** (1 / 3), ValueError, "-8.0 ** 0.3333333333333333 is not a real number"),
])
def test_bad_input_gets_an_error_that_names_what_it_got(make, error, words):
    with pytest.raises(error) as caught:
        make()
    assert words in str(caught.value)


def test_tiny_and_integer_like_numbers_follow_float_rules():
    out, grads = grads_of(lambda a, b: a / b, 1.0, 1e-300)  # b² underflows; a/b does not
    assert out == pytest.approx(1e300) and grads[0] == pytest.approx(1e300)
    assert (Value(-8.0) ** 2).data == 64.0
    assert (Value(2) * 3).data == 6


def test_sigmoid_does_not_overflow_for_large_inputs():
    assert Value(-1000.0).sigmoid().data == 0.0
    assert Value(1000.0).sigmoid().data == 1.0
