"""backward() adds into .grad, as PyTorch's does, and zero_grad() clears it.

The oracle is a central finite difference: (f(x + h) - f(x - h)) / 2h.
"""

import math
import random

import pytest

from deepdive import Value
from deepdive.engine import topological_order
from deepdive.nn import MLP

H = 1e-6


def slope(f, xs, i):
    """d f / d xs[i], by central finite differences on plain floats."""
    up, down = list(xs), list(xs)
    up[i] += H
    down[i] -= H
    return (f(*up) - f(*down)) / (2 * H)


def f(a, b, c):
    """Uses a three times and c twice, so gradients meet along several paths."""
    u = a * b + c
    return u * a + (c - a) ** 2 + u / (a * a + 1)


def build(xs):
    """f on fresh Values, and the inputs and the interior value u, by name."""
    a, b, c = (Value(x) for x in xs)
    u = a * b + c
    out = u * a + (c - a) ** 2 + u / (a * a + 1)
    return out, {"a": a, "b": b, "c": c, "u": u}


XS = [0.7, -1.3, 2.1]


def test_one_call_gives_the_finite_difference_slopes():
    out, v = build(XS)
    out.backward()
    for i, name in enumerate("abc"):
        assert math.isclose(v[name].grad, slope(f, XS, i), rel_tol=1e-7)
    # u = a*b + c enters out as u * a + u / (a² + 1), so d out/d u = a + 1 / (a² + 1)
    a = XS[0]
    assert math.isclose(v["u"].grad, a + 1 / (a * a + 1), rel_tol=1e-12)


def test_two_calls_give_exactly_twice_one_call_on_every_value():
    out, v = build(XS)
    out.backward()
    once = {name: value.grad for name, value in v.items()}
    out.backward()
    assert {name: value.grad for name, value in v.items()} == {name: 2 * g for name, g in once.items()}
    assert out.grad == 2.0


def test_grads_left_on_interior_values_do_not_leak_into_the_next_call():
    # micrograd's two calls give a.grad -18 here, three times one call, because the
    # second call sends c's stale grad down again. PyTorch, and deepdive, give -12.
    a, b = Value(2.0), Value(-3.0)
    c = a * b
    d = c * 2
    d.backward()
    assert (a.grad, c.grad) == (-6.0, 2.0)
    d.backward()
    assert (a.grad, b.grad, c.grad) == (-12.0, 8.0, 4.0)


def test_a_grad_set_by_hand_stays_where_it_was_put():
    out, v = build(XS)
    v["u"].grad = 100.0   # say, by a learner backpropagating by hand
    out.backward()
    assert math.isclose(v["a"].grad, slope(f, XS, 0), rel_tol=1e-7)
    assert math.isclose(v["u"].grad, 100.0 + XS[0] + 1 / (XS[0] ** 2 + 1), rel_tol=1e-12)


def test_per_example_calls_add_up_to_one_call_on_the_summed_loss():
    xs = [[2.0, 3.0, -1.0], [3.0, -1.0, 0.5], [0.5, 1.0, 1.0], [1.0, 1.0, -1.0]]
    ys = [1.0, -1.0, -1.0, 1.0]

    random.seed(3)
    model = MLP(3, [4, 4, 1], activation="tanh")
    for x, y in zip(xs, ys):
        ((model(x) - y) ** 2).backward()
    per_example = [p.grad for p in model.parameters()]

    random.seed(3)
    model = MLP(3, [4, 4, 1], activation="tanh")
    sum((model(x) - y) ** 2 for x, y in zip(xs, ys)).backward()
    summed = [p.grad for p in model.parameters()]

    assert any(g != 0 for g in summed)
    assert all(math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-12) for a, b in zip(per_example, summed))


def test_forgetting_zero_grad_adds_the_previous_step_in():
    random.seed(0)
    model = MLP(2, [3, 1])
    first = model([1.0, -1.0])
    first.backward()
    step_one = [p.grad for p in model.parameters()]
    model([1.0, -1.0]).backward()   # the same graph again, grads not zeroed
    assert [p.grad for p in model.parameters()] == [2 * g for g in step_one]
    model.zero_grad()
    model([1.0, -1.0]).backward()
    assert [p.grad for p in model.parameters()] == step_one


def test_zero_grad_on_a_value_clears_its_whole_graph():
    out, v = build(XS)
    out.backward()
    assert all(value.grad != 0 for value in v.values())
    out.zero_grad()
    assert all(value.grad == 0.0 for value in topological_order(out))


def test_backward_from_an_input_adds_one_to_it():
    a = Value(3.0)
    a.backward()
    a.backward()
    assert a.grad == 2.0


# -- PyTorch, where it is installed ---------------------------------------------

def test_accumulation_matches_pytorch():
    torch = pytest.importorskip("torch")
    a, b, c = (torch.tensor(x, dtype=torch.float64, requires_grad=True) for x in XS)
    u = a * b + c
    u.retain_grad()
    out = u * a + (c - a) ** 2 + u / (a * a + 1)
    out.backward(retain_graph=True)
    out.backward()

    ours, v = build(XS)
    ours.backward()
    ours.backward()
    assert math.isclose(ours.data, out.item(), rel_tol=1e-12)
    for name, theirs in {"a": a, "b": b, "c": c, "u": u}.items():
        assert math.isclose(v[name].grad, theirs.grad.item(), rel_tol=1e-12), name


def test_per_example_accumulation_and_zero_grad_match_pytorch():
    torch = pytest.importorskip("torch")
    random.seed(5)
    model = MLP(2, [3, 1], activation="tanh")
    params = model.parameters()
    weights = torch.tensor([p.data for p in params], dtype=torch.float64, requires_grad=True)

    def torch_model(x):
        """The same MLP in PyTorch, reading its weights in parameters() order."""
        hidden, k = [], 0
        for _ in range(3):
            hidden.append(torch.tanh(weights[k:k + 2] @ torch.tensor(x, dtype=torch.float64) + weights[k + 2]))
            k += 3
        return weights[k:k + 3] @ torch.stack(hidden) + weights[k + 3]

    xs, ys = [[1.0, -2.0], [0.5, 0.25], [-1.0, 1.5]], [1.0, -1.0, 0.5]
    for x, y in zip(xs, ys):
        ((model(x) - y) ** 2).backward()
        ((torch_model(x) - y) ** 2).backward()
    assert all(math.isclose(p.grad, g, rel_tol=1e-12, abs_tol=1e-15) for p, g in zip(params, weights.grad.tolist()))

    model.zero_grad()
    weights.grad = None
    ((model(xs[0]) - ys[0]) ** 2).backward()
    ((torch_model(xs[0]) - ys[0]) ** 2).backward()
    assert all(math.isclose(p.grad, g, rel_tol=1e-12, abs_tol=1e-15) for p, g in zip(params, weights.grad.tolist()))
