"""The Value engine: each operation's value and gradient, errors, and depth."""

import math

import pytest

from deepdive import Value
from deepdive.engine import no_grad


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


def test_prev_lists_parents_one_per_operand_in_order():
    a, b = Value(2.0), Value(-3.0)
    assert (a * b)._prev == (a, b)
    assert (b * a)._prev == (b, a)
    assert (a + a)._prev == (a, a)
    assert (a + a)._local_grads == (1.0, 1.0)
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
    for name in ("data", "grad", "_prev", "_op", "backward", "relu", "label"):
        assert hasattr(a, name)
    assert repr(Value(2.0)) == "Value(data=2.0, grad=0.0)"
    assert len({a, Value(2.0)}) == 2   # hashable by identity, as micrograd's is


def test_labels_are_given_read_and_set_as_in_micrograd():
    a = Value(2.0, label="a")
    e = a * 3
    assert (a.label, e.label) == ("a", "")
    e.label = "e"
    assert e.label == "e"
    assert repr(a) == "Value(data=2.0, grad=0.0, label='a')"


def test_grad_can_be_set_by_hand():
    a, b = Value(2.0), Value(-3.0)
    c = a * b
    c.grad = 1.0
    a.grad = b.data * c.grad   # the local derivative of a * b, times the grad from above
    assert (a.grad, c.grad) == (-3.0, 1.0)


@pytest.mark.parametrize("make, error, words", [
    (lambda: Value("2"), TypeError, "Value() takes an int or float, not str '2'"),
    (lambda: Value(None), TypeError, "not NoneType None"),
    (lambda: Value(True), TypeError, "not bool True"),
    (lambda: Value(2.0) + "x", TypeError, "Value() takes an int or float, not str 'x'"),
    (lambda: "x" * Value(2.0), TypeError, "not str 'x'"),
    (lambda: Value(2.0) * [1], TypeError, "not list [1]"),
    (lambda: Value(2.0) ** Value(2.0), TypeError, "exponent must be a number, not Value"),
    (lambda: Value(float("nan")), ValueError, "Value() needs a finite number, got nan"),
    (lambda: Value(float("inf")), ValueError, "got inf"),
    (lambda: Value(0.0) ** -1, ZeroDivisionError, "0.0 ** -1"),
    (lambda: Value(0.0) ** 0.5, ZeroDivisionError, "0.0 ** 0.5 or its slope 0.5 * 0.0 ** -0.5 divides by zero"),
    (lambda: Value(-8.0) ** (1 / 3), ValueError, "-8.0 ** 0.3333333333333333 is not a real number"),
    (lambda: Value(1e300) ** 2, OverflowError, "1e+300 ** 2 or its slope is too large for a float"),
    (lambda: Value(1e-200) ** -1.5, OverflowError, "1e-200 ** -1.5"),
    (lambda: Value(1.0) / 0, ZeroDivisionError, "1.0 / 0: division by zero"),
    (lambda: Value(1.0) / 1e-309, OverflowError, "the slope of 1.0 / 1e-309 is too large for a float"),
    (lambda: Value(0.0).log(), ValueError, "log(0.0): log needs a positive number"),
    (lambda: Value(-1.0).log(), ValueError, "log(-1.0)"),
    (lambda: Value(1e-310).log(), OverflowError, "the slope of log(1e-310) is too large"),
    (lambda: Value(1000.0).exp(), OverflowError, "exp(1000.0) is too large for a float"),
    (lambda: Value(1e308) * 10, OverflowError, "1e+308 * 10 gives inf: not a finite number"),
    (lambda: Value(1e308) + 1e308, OverflowError, "1e+308 + 1e+308 gives inf"),
    (lambda: Value(-1e308) - 1e308, OverflowError, "-1e+308 - 1e+308 gives -inf"),
    (lambda: Value(10) ** 400, OverflowError, "10 ** 400 or its slope is too large for a float"),
    (lambda: Value(10**200) * 10**200, OverflowError, "gives an int too large for a float"),
    (lambda: Value(10**400), ValueError, "Value() needs a finite number, got an int too large for a float"),
])
def test_bad_input_gets_an_error_that_names_what_it_got(make, error, words):
    with pytest.raises(error) as caught:
        make()
    assert words in str(caught.value)


def test_no_inf_or_nan_gets_into_a_value_or_a_local_gradient():
    """Right at the edge of the float range, every number stored is still finite."""
    for make in (lambda: Value(709.0).exp(), lambda: Value(1e-300).log(), lambda: Value(1e-100) ** -2,
                 lambda: Value(1.0) / 1e-150, lambda: Value(1e154) * 1e154):
        out = make()
        assert math.isfinite(out.data) and all(math.isfinite(g) for g in out._local_grads)


def test_tiny_and_integer_like_numbers_follow_float_rules():
    out, grads = grads_of(lambda a, b: a / b, 1e-100, 1e-200)  # b² underflows; -a/b² does not
    assert out == pytest.approx(1e100) and grads == pytest.approx([1e200, -1e300])
    assert (Value(-8.0) ** 2).data == 64.0
    assert (Value(2) * 3).data == 6


def test_sigmoid_does_not_overflow_for_large_inputs():
    assert Value(-1000.0).sigmoid().data == 0.0
    assert Value(1000.0).sigmoid().data == 1.0


def test_no_grad_makes_the_same_numbers_with_no_parents_and_is_undone_after_the_block():
    """As torch.no_grad(): a loss measured inside the block has the same data, but nothing to backpropagate through."""
    def loss(a, b):
        return ((a * b + a.exp()) / b - b ** 2).tanh()

    a, b = Value(0.5), Value(-1.5)
    with no_grad():
        measured = loss(a, b)
        measured.backward()
    assert (measured._prev, measured._local_grads) == ((), ())
    assert (a.grad, b.grad) == (0.0, 0.0)  # nothing went back to the inputs

    trained = loss(a, b)  # after the block, Values remember their parents again
    assert trained.data == measured.data
    trained.backward()
    assert a.grad != 0.0 and b.grad != 0.0


def test_no_grad_ends_even_when_its_block_raises():
    with pytest.raises(ZeroDivisionError):
        with no_grad():
            Value(1.0) / 0
    assert (Value(2.0) * 3.0)._prev != ()
