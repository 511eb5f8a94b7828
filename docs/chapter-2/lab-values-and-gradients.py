# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Lab: values and gradients
#
# Three exercises on what Chapter 2 built: an operation made from other
# operations, a gradient worked out by hand, and a small network that learns.
#
# Each exercise has a cell for you to fill in and a check that tells you how
# you did. Its solution follows in a closed "Solution" block: open it once you
# have an answer. (In the notebook, the solution cells start collapsed.)
#
# The best place to work is the downloaded notebook: get it with the button at
# the top of the page, delete the solution cells if you like, and open it in
# Jupyter, Colab or VS Code: its first code cell installs what it needs.

# %%
import math
import random

from deepdive import Value
from deepdive.engine import topological_order
from deepdive.nn import MLP

# %% [markdown]
# ## Exercise 1: subtraction from plus and times
#
# `Value` has its own `-`, but it does not need one: subtraction can be built
# from the two operations it already has. Write `sub(a, b)` using only `+` and `*`. The check compares it with `a - b`:
# the same `.data`, the same gradients for `a` and `b`, and no operation other
# than `+` and `*` in the graph.

# %%
def check_sub(sub):
    """Compare sub(a, b) with a - b: data, grads and operations."""
    a, b = Value(2.0), Value(-3.0)
    out = sub(a, b)
    if out is None:
        print("sub returns None: write its body first.")
        return
    out.backward()
    ops = sorted({v._op for v in topological_order(out) if v._op})

    a2, b2 = Value(2.0), Value(-3.0)
    expected = a2 - b2
    expected.backward()

    assert set(ops) <= {"+", "*"}, f"sub used {ops}: only + and *"
    assert out.data == expected.data, (
        f"sub(a, b).data is {out.data}, a - b is {expected.data}")
    grads = (a.grad, b.grad)
    assert grads == (a2.grad, b2.grad), (
        f"grads of (a, b) are {grads}, "
        f"a - b gives {a2.grad, b2.grad}")
    print(f"sub(a, b) = {out.data}, grads {grads}, ops {ops}")
    print("it matches a - b")


# %%
def sub(a, b):
    ...  # your code: only + and *


check_sub(sub)

# %% [markdown] tags=["solution"] jupyter={"source_hidden": true}
# Multiplying by `-1` flips the sign, and adding that is subtracting. The
# gradient of `b` comes out as `-1` because the `*` node passes back
# `other.data`, which is `-1`.

# %% tags=["solution"] jupyter={"source_hidden": true, "outputs_hidden": true}
def sub(a, b):
    return a + b * -1


check_sub(sub)

# %% [markdown]
# ## Exercise 2: a gradient by hand
#
# Take `a = 2`, `b = -3`, `c = 10` and
#
# ```text
# L = (a·b + c)²
# ```
#
# Work out `∂L/∂a`, `∂L/∂b` and `∂L/∂c` on paper with the chain rule, then
# fill them in. The check compares your numbers with `backward()` and with a
# finite difference: nudge one input by a tiny `h` and see how much `L` moves.

# %%
def L(a, b, c):
    return (a * b + c) ** 2


def finite_difference(f, inputs, i, h=1e-6):
    """Slope of f along its i-th input, by nudging (plain floats)."""
    nudged = list(inputs)
    nudged[i] += h
    return (f(*nudged) - f(*inputs)) / h


def check_by_hand(by_hand):
    inputs = [2.0, -3.0, 10.0]
    values = [Value(x) for x in inputs]
    L(*values).backward()
    for i, name in enumerate("abc"):
        nudged = finite_difference(L, inputs, i)
        assert math.isclose(values[i].grad, nudged, rel_tol=1e-4)
        mine = by_hand[name]
        if mine is None:  # no spoiler before you have an answer
            print(f"dL/d{name}: fill in your number")
            continue
        print(f"dL/d{name}: by hand {mine}, backward() {values[i].grad}, "
              f"finite difference {nudged:.4f}")
        assert math.isclose(mine, values[i].grad), (
            f"dL/d{name} is not {mine}: try again")


# %%
by_hand = {"a": None, "b": None, "c": None}  # your numbers

check_by_hand(by_hand)

# %% [markdown] tags=["solution"] jupyter={"source_hidden": true}
# Call the inside `u = a·b + c = 4`, so `L = u² = 16` and `∂L/∂u = 2u = 8`.
# The chain rule multiplies that by each local gradient: `∂u/∂a = b = -3`,
# `∂u/∂b = a = 2` and `∂u/∂c = 1`.

# %% tags=["solution"] jupyter={"source_hidden": true, "outputs_hidden": true}
by_hand = {"a": 8 * -3.0, "b": 8 * 2.0, "c": 8 * 1.0}

check_by_hand(by_hand)

# %% [markdown]
# ## Exercise 3: train the MLP on new points
#
# Six points in the plane, each labelled `1.0` or `-1.0`. Write one step of
# gradient descent: predict every point, add up the squared errors into one
# loss, zero the gradients, call `backward()`, and move every parameter a
# little against its gradient. Return the loss's `.data`. The check trains a
# fresh `MLP` for 40 steps and tells you whether the loss fell.

# %%
xs = [
    [2.0, 3.0], [3.0, -1.0], [0.5, 1.0],
    [1.0, -2.0], [-1.0, -1.5], [-2.0, 0.5],
]
ys = [1.0, -1.0, 1.0, -1.0, -1.0, 1.0]


def check_training(train_step, steps=40):
    """Train a fresh MLP with train_step; print how the loss fell."""
    random.seed(1)  # the same starting weights on every run
    model = MLP(2, [8, 8, 1], activation="tanh")
    losses = [train_step(model, xs, ys, learning_rate=0.02)
              for _ in range(steps)]
    if losses[0] is None:
        print("train_step returns None: write its body first.")
        return model
    print(f"loss after step 1: {losses[0]:.4f}, "
          f"after step {steps}: {losses[-1]:.4f}")
    assert losses[-1] < losses[0] / 10, (
        "the loss did not fall tenfold: check the sign of the update")
    return model


# %%
def train_step(model, xs, ys, learning_rate):
    ...  # your code: forward, loss, zero_grad, backward, update, return loss.data


model = check_training(train_step)

# %% tags=["solution"] jupyter={"source_hidden": true, "outputs_hidden": true}
def train_step(model, xs, ys, learning_rate):
    predictions = [model(x) for x in xs]
    loss = sum((p - y) ** 2 for p, y in zip(predictions, ys))
    model.zero_grad()
    loss.backward()
    for p in model.parameters():
        p.data -= learning_rate * p.grad
    return loss.data


model = check_training(train_step)

# %% [markdown] tags=["solution"] jupyter={"source_hidden": true}
# The trained model now puts every point on the right side of zero:

# %% tags=["solution"] jupyter={"source_hidden": true, "outputs_hidden": true}
for x, y in zip(xs, ys):
    prediction = model(x).data
    print(f"{x} wants {y:+.0f}, gets {prediction:+.3f}")
    assert (prediction > 0) == (y > 0)
