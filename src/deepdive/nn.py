"""Neurons, layers and a multi-layer perceptron built from Values."""

import random

from deepdive.engine import Value


class Module:
    """Anything with parameters that gradient descent can tune."""

    def parameters(self):
        return []

    def zero_grad(self):
        """Set the grad of every parameter back to 0, before each backward() (backward adds)."""
        for p in self.parameters():
            p.grad = 0.0


class Neuron(Module):
    """act(w · x + b): a weighted sum of the inputs, then a nonlinearity.

    activation is "relu" (micrograd's choice), "tanh", or None for linear.
    nonlin=False is micrograd's way of saying activation=None.
    """

    def __init__(self, nin, nonlin=True, activation="relu"):
        self.w = [Value(random.uniform(-1, 1)) for _ in range(nin)]
        self.b = Value(0.0)
        self.activation = activation if nonlin else None

    def __call__(self, x):
        act = sum((wi * xi for wi, xi in zip(self.w, x)), self.b)
        if self.activation is None:
            return act
        return getattr(act, self.activation)()

    def parameters(self):
        return self.w + [self.b]

    def __repr__(self):
        kind = {"relu": "ReLU", "tanh": "Tanh", None: "Linear"}.get(self.activation)
        return f"{kind or self.activation}Neuron({len(self.w)})"


class Layer(Module):
    """nout neurons, each looking at the same nin inputs."""

    def __init__(self, nin, nout, **kwargs):
        self.neurons = [Neuron(nin, **kwargs) for _ in range(nout)]

    def __call__(self, x):
        out = [n(x) for n in self.neurons]
        return out[0] if len(out) == 1 else out

    def parameters(self):
        return [p for n in self.neurons for p in n.parameters()]

    def __repr__(self):
        return f"Layer of [{', '.join(str(n) for n in self.neurons)}]"


class MLP(Module):
    """Layers in sequence; the last is linear, so it can output any number."""

    def __init__(self, nin, nouts, activation="relu"):
        sizes = [nin] + nouts
        last = len(nouts) - 1
        self.layers = [Layer(sizes[i], sizes[i + 1], nonlin=i != last,
                             activation=activation)
                       for i in range(len(nouts))]

    def __call__(self, x):
        for layer in self.layers:
            x = layer(x)
        return x

    def parameters(self):
        return [p for layer in self.layers for p in layer.parameters()]

    def __repr__(self):
        return f"MLP of [{', '.join(str(layer) for layer in self.layers)}]"
