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
    """Compare sub(a, b) with a - b: data, grads and operations, on three pairs of inputs."""
    for x, y in [(2.0, -3.0), (0.5, 4.0), (-1.5, -2.5)]:
        a, b = Value(x), Value(y)
        out = sub(a, b)
        if out is None:
            print("sub returns None: write its body first.")
            return
        assert isinstance(out, Value), (
            f"sub(a, b) should return a Value built from a and b, not a {type(out).__name__}")
        ops = sorted({v._op for v in topological_order(out) if v._op})
        assert set(ops) <= {"+", "*"}, f"sub used {ops}: only + and *"

        a2, b2 = Value(x), Value(y)
        expected = a2 - b2
        assert math.isclose(out.data, expected.data), (
            f"sub(a, b).data is {out.data} for a = {x}, b = {y}; a - b is {expected.data}")
        out.backward()
        expected.backward()
        grads = (a.grad, b.grad)
        assert grads != (0.0, 0.0), (
            "a and b got no gradient: build the result from a and b themselves, with + and *, "
            "not from their .data")
        assert all(math.isclose(g, e) for g, e in zip(grads, (a2.grad, b2.grad))), (
            f"grads of (a, b) are {grads}, "
            f"a - b gives {a2.grad, b2.grad}")
        if x == 2.0:
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
    local = {"a": inputs[1], "b": inputs[0], "c": 1.0}  # of u = a·b + c alone
    assert isinstance(by_hand, dict), (
        f'by_hand should be a dict, {{"a": ..., "b": ..., "c": ...}}, not a {type(by_hand).__name__}')
    for i, name in enumerate("abc"):
        nudged = finite_difference(L, inputs, i)
        assert math.isclose(values[i].grad, nudged, rel_tol=1e-4)
        mine = by_hand.get(name)
        if mine is None:  # no spoiler before you have an answer
            print(f"dL/d{name}: fill in your number")
            continue
        assert isinstance(mine, (int, float)), (
            f"by_hand[{name!r}] should be a number, not {type(mine).__name__}: {mine!r}")
        print(f"dL/d{name}: by hand {mine}, backward() {values[i].grad}, "
              f"finite difference {nudged:.4f}")
        assert not math.isclose(mine, local[name]) or math.isclose(mine, values[i].grad), (
            f"dL/d{name} is not {mine}: that is d{name} of u = a·b + c alone; "
            f"the chain rule multiplies it by dL/du")
        assert math.isclose(mine, values[i].grad), (
            f"dL/d{name} is not {mine}: try again, with u = a·b + c, L = u² "
            f"and dL/d{name} = dL/du · du/d{name}")


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
# fresh `MLP`: it compares your first two steps with gradient descent done in
# the check, then takes 38 more and tells you whether the loss fell.

# %%
xs = [
    [2.0, 3.0], [3.0, -1.0], [0.5, 1.0],
    [1.0, -2.0], [-1.0, -1.5], [-2.0, 0.5],
]
ys = [1.0, -1.0, 1.0, -1.0, -1.0, 1.0]


def check_training(train_step, steps=40, learning_rate=0.02):
    """Check two steps against gradient descent done here, then train on: did the loss fall?"""
    random.seed(1)  # the same starting weights on every run
    model = MLP(2, [8, 8, 1], activation="tanh")
    random.seed(1)
    reference = MLP(2, [8, 8, 1], activation="tanh")  # the same weights, trained here
    losses, last_grads = [], None
    for step in (1, 2):
        before = [p.data for p in model.parameters()]
        loss = train_step(model, xs, ys, learning_rate=learning_rate)
        if loss is None:
            print("train_step returns None: write its body first.")
            return model
        assert isinstance(loss, (int, float)), (
            f"train_step should return the loss's .data, a float, not a {type(loss).__name__}")
        expected = sum((reference(x) - y) ** 2 for x, y in zip(xs, ys))
        reference.zero_grad()
        expected.backward()
        grads = [p.grad for p in reference.parameters()]
        for p in reference.parameters():
            p.data -= learning_rate * p.grad
        assert math.isclose(loss, expected.data, rel_tol=1e-9), (
            f"step {step}: train_step returned {loss:.6f}, but the sum of the squared errors "
            f"before the update is {expected.data:.6f}")
        moves = [p.data - b for p, b in zip(model.parameters(), before)]
        down = [-learning_rate * g for g in grads]

        def like(expected_moves):
            return all(math.isclose(m, e, rel_tol=1e-6, abs_tol=1e-12)
                       for m, e in zip(moves, expected_moves))
        if not like(down):
            if all(m == 0 for m in moves):
                if all(p.grad == 0 for p in model.parameters()):
                    raise AssertionError(
                        f"step {step}: no parameter moved, and every .grad is 0: "
                        "call zero_grad() before backward(), not after it")
                raise AssertionError(f"step {step}: no parameter moved: "
                                     "change each p.data by -learning_rate * p.grad")
            if like([-d for d in down]):
                raise AssertionError(f"step {step}: every parameter moved up its gradient: "
                                     "subtract learning_rate * p.grad, to go downhill")
            if last_grads and like([-learning_rate * (g + h) for g, h in zip(grads, last_grads)]):
                raise AssertionError(f"step {step}: the gradients of the step before are still "
                                     "in .grad: call zero_grad() before backward()")
            k = next(k for k, (m, d) in enumerate(zip(moves, down))
                     if not math.isclose(m, d, rel_tol=1e-6, abs_tol=1e-12))
            raise AssertionError(f"step {step}: parameter {k} moved by {moves[k]:+.6f}; a step of "
                                 f"gradient descent at learning_rate {learning_rate} moves it "
                                 f"by {down[k]:+.6f}")
        losses.append(loss)
        last_grads = grads
    losses += [train_step(model, xs, ys, learning_rate=learning_rate)
               for _ in range(steps - 2)]
    print(f"loss after step 1: {losses[0]:.4f}, "
          f"after step {steps}: {losses[-1]:.4f}")
    assert losses[-1] < losses[0] / 10, "the loss did not fall tenfold"
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
