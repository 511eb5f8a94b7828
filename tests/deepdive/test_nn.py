"""deepdive.nn: neurons, layers and an MLP that learns."""

import random

from deepdive import Value
from deepdive.nn import MLP, Layer, Neuron


def test_parameter_counts():
    assert len(Neuron(3).parameters()) == 4
    assert len(Layer(3, 4).parameters()) == 16
    assert len(MLP(2, [16, 16, 1]).parameters()) == 2 * 16 + 16 + 16 * 16 + 16 + 16 + 1


def test_the_last_layer_is_linear_and_the_others_use_the_activation():
    model = MLP(3, [4, 1], activation="tanh")
    assert [n.activation for n in model.layers[0].neurons] == ["tanh"] * 4
    assert model.layers[1].neurons[0].activation is None


def test_a_neuron_computes_tanh_of_w_dot_x_plus_b():
    n = Neuron(2, activation="tanh")
    n.w[0].data, n.w[1].data, n.b.data = 0.5, -1.0, 0.25
    out = n([Value(2.0), Value(1.0)])
    assert abs(out.data - 0.24491866240370913) < 1e-12   # tanh(0.5*2 - 1*1 + 0.25)


def test_zero_grad_clears_every_parameter():
    random.seed(0)
    model = MLP(2, [3, 1])
    model([1.0, -1.0]).backward()
    assert any(p.grad != 0 for p in model.parameters())
    model.zero_grad()
    assert all(p.grad == 0 for p in model.parameters())


def test_gradient_descent_makes_the_loss_fall():
    random.seed(1337)
    model = MLP(2, [8, 1], activation="tanh")
    xs = [[2.0, 3.0], [3.0, -1.0], [0.5, 1.0], [1.0, 1.0]]
    ys = [1.0, -1.0, -1.0, 1.0]
    losses = []
    for _ in range(30):
        loss = sum((model(x) - y) ** 2 for x, y in zip(xs, ys))
        model.zero_grad()
        loss.backward()
        for p in model.parameters():
            p.data -= 0.05 * p.grad
        losses.append(loss.data)
    assert losses[-1] < losses[0] / 4
