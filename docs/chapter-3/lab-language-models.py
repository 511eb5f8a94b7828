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
# # Lab: language models
#
# Three exercises on what Chapter 3 built: a softmax that never overflows, the
# cross-entropy loss and its gradient, and a sampler that makes up names from
# a table of probabilities.
#
# Each exercise has a cell for you to fill in and a check that tells you how
# you did. Its solution follows in a closed "Solution" block: open it once you
# have an answer. (In the notebook, the solution cells start collapsed.)
#
# The best place to work is the downloaded notebook: get it with the button at
# the top of the page, delete the solution cells if you like, and open it in
# Jupyter or VS Code, in an environment where `deepdive` is installed: clone the
# course's repository and run `pip install -e .` in it (`make serve` does this
# for you). The lab needs no data file: it brings its own dozen names.

# %%
import math
import random

from deepdive import Value
from deepdive.data import Vocabulary, examples

# %% [markdown]
# ## Exercise 1: a softmax that never overflows
#
# Write `softmax(logits)`: it takes a list of `Value`s and returns a list of
# `Value`s, the probabilities, each `exp(z)` divided by the sum of all the
# `exp`s. Lesson 3.3 showed why you should first subtract the largest logit (a
# plain float): the result is the same, and `exp` never sees a large number.
# The check tries ordinary logits, then logits around 1000, where a plain
# `exp` is too large for a float.

# %%
def check_softmax(softmax):
    """Compare softmax with probabilities computed another way."""
    logits = [Value(x) for x in [2.0, 1.0, 0.1, -1.0]]
    probs = softmax(logits)
    if probs is None:
        print("softmax returns None: write its body first.")
        return
    data = [p.data for p in probs]
    expected = [math.exp(x) / sum(math.exp(y) for y in [2.0, 1.0, 0.1, -1.0])
                for x in [2.0, 1.0, 0.1, -1.0]]
    assert all(isinstance(p, Value) for p in probs), (
        "softmax must return Values, so that gradients can flow through it")
    assert all(math.isclose(a, b) for a, b in zip(data, expected)), (
        f"softmax gives {data}, expected {expected}")
    try:
        large = [p.data for p in softmax([Value(1000.0), Value(999.0)])]
    except OverflowError:
        raise AssertionError("exp overflowed on logits near 1000: "
                             "subtract the largest logit first") from None
    assert math.isclose(large[0], 1 / (1 + math.exp(-1))), (
        f"softmax([1000, 999]) gives {large}")
    print("probabilities:", [round(p, 4) for p in data])
    print("softmax([1000, 999]):", [round(p, 4) for p in large])


# %%
def softmax(logits):
    ...  # your code: a list of Values in, a list of Values out


check_softmax(softmax)

# %% [markdown] tags=["solution"] jupyter={"source_hidden": true}
# The largest logit is read as a plain float (`.data`), so it is a constant,
# not part of the graph; subtracting it multiplies every `exp` by the same
# factor, which the division cancels.

# %% tags=["solution"] jupyter={"source_hidden": true, "outputs_hidden": true}
def softmax(logits):
    top = max(logit.data for logit in logits)
    exps = [(logit - top).exp() for logit in logits]
    total = sum(exps)
    return [e / total for e in exps]


check_softmax(softmax)

# %% [markdown]
# ## Exercise 2: cross-entropy and its gradient
#
# Write `cross_entropy(logits, target)`: minus the log of the probability that
# `softmax` gives to position `target`. Then predict, before you run the
# check, what `backward()` puts in each logit's `.grad`, and fill in your
# rule as a function of the probabilities `probs` (plain floats) and the
# target. The check compares both with `backward()`.

# %%
def check_cross_entropy(cross_entropy, predicted_grad):
    logits = [Value(x) for x in [1.5, -0.5, 0.3]]
    loss = cross_entropy(logits, 2)
    if loss is None:
        print("cross_entropy returns None: write its body first.")
        return
    loss.backward()
    probs = [math.exp(x) for x in [1.5, -0.5, 0.3]]
    probs = [p / sum(probs) for p in probs]
    assert math.isclose(loss.data, -math.log(probs[2])), (
        f"the loss is {loss.data}, but -log p[2] is {-math.log(probs[2])}")
    print(f"loss {loss.data:.4f}")
    grads = [logit.grad for logit in logits]
    mine = [predicted_grad(probs, 2, k) for k in range(3)]
    if None in mine:
        print("fill in predicted_grad to compare your rule with backward()")
        return
    print("backward():", [round(g, 4) for g in grads])
    print("your rule: ", [round(g, 4) for g in mine])
    assert all(math.isclose(a, b, abs_tol=1e-9) for a, b in zip(grads, mine)), (
        "your rule and backward() disagree")


# %%
def cross_entropy(logits, target):
    ...  # your code


def predicted_grad(probs, target, k):
    """Your rule for d loss / d logit k."""
    return None


check_cross_entropy(cross_entropy, predicted_grad)

# %% [markdown] tags=["solution"] jupyter={"source_hidden": true}
# The gradient of each logit is its probability, minus `1` at the target: the
# rule lessons 2.5 and 3.3 found.

# %% tags=["solution"] jupyter={"source_hidden": true, "outputs_hidden": true}
def cross_entropy(logits, target):
    return -softmax(logits)[target].log()


def predicted_grad(probs, target, k):
    return probs[k] - (1 if k == target else 0)


check_cross_entropy(cross_entropy, predicted_grad)

# %% [markdown]
# ## Exercise 3: make up names
#
# Here are a dozen names, their vocabulary, and the bigram model counted from
# them, as in lesson 3.2. Write `sample_name(P, vocab)`: start at
# `.` (number `0`), draw the next character from row `P[i]` with
# `random.choices`, and stop when you draw `.` again. The check draws many
# names and compares how often they start with each letter with what the
# table says.

# %%
names = ["emma", "olivia", "ava", "isabella", "sophia", "mia",
         "amelia", "harper", "evelyn", "abigail", "emily", "ella"]
vocab = Vocabulary(names)
V = len(vocab)
N = [[0] * V for _ in range(V)]
for (i,), j in examples(names, vocab, context_size=1):
    N[i][j] += 1
P = [[n / sum(row) for n in row] for row in N]


def check_sampler(sample_name, draws=4000):
    random.seed(0)
    first = sample_name(P, vocab)
    if first is None:
        print("sample_name returns None: write its body first.")
        return
    made = [first] + [sample_name(P, vocab) for _ in range(draws - 1)]
    assert all(isinstance(name, str) and "." not in name for name in made), (
        "a name is a string of letters, without the '.' token")
    for letter in "aei":
        share = sum(name[:1] == letter for name in made) / draws
        expected = P[0][vocab.stoi[letter]]
        print(f"names starting with {letter}: {share:.3f}, the table says {expected:.3f}")
        assert abs(share - expected) < 0.03, f"too far from {expected:.3f}"
    print("some names:", made[:8])


# %%
def sample_name(P, vocab):
    ...  # your code


check_sampler(sample_name)

# %% tags=["solution"] jupyter={"source_hidden": true, "outputs_hidden": true}
def sample_name(P, vocab):
    out, i = [], 0
    while True:
        i = random.choices(range(len(vocab)), weights=P[i])[0]
        if i == 0:
            return "".join(out)
        out.append(vocab.itos[i])


check_sampler(sample_name)
