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
import sys
import time

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
    """Compare softmax with probabilities, and gradients, computed another way."""
    xs = [2.0, 1.0, 0.1, -1.0]
    logits = [Value(x) for x in xs]
    probs = softmax(logits)
    if probs is None:
        print("softmax returns None: write its body first.")
        return
    assert isinstance(probs, (list, tuple)) and len(probs) == len(xs), (
        f"softmax should return a list of {len(xs)} probabilities, one per logit, not {probs!r}")
    assert all(isinstance(p, Value) for p in probs), (
        "softmax must return Values, so that gradients can flow through it")
    data = [p.data for p in probs]
    expected = [math.exp(x) / sum(math.exp(y) for y in xs) for x in xs]
    assert all(math.isclose(a, b) for a, b in zip(data, expected)), (
        f"softmax gives {data}, expected {expected}")
    probs[0].backward()  # d p0 / d z_k = p0 · ((1 if k == 0 else 0) - p_k)
    grads = [logit.grad for logit in logits]
    wanted = [expected[0] * ((k == 0) - p) for k, p in enumerate(expected)]
    assert all(math.isclose(g, w, abs_tol=1e-9) for g, w in zip(grads, wanted)), (
        f"backward() from softmax(logits)[0] gives the logits the gradients {[round(g, 4) for g in grads]}, "
        f"not {[round(w, 4) for w in wanted]}: compute the probabilities from the logits with Value "
        f"operations, so that the graph reaches them")
    for xs in ([1000.0, 999.0], [1000.0, 0.0, -1000.0]):
        try:
            large = [p.data for p in softmax([Value(x) for x in xs])]
        except OverflowError:
            raise AssertionError(f"exp overflowed on the logits {xs}: "
                                 "subtract the largest logit first") from None
        top = max(xs)
        wanted = [math.exp(x - top) / sum(math.exp(y - top) for y in xs) for x in xs]
        assert all(math.isclose(a, b, abs_tol=1e-12) for a, b in zip(large, wanted)), (
            f"softmax({xs}) gives {large}, expected {wanted}")
        if len(xs) == 2:
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
    # It builds on exercise 1: check that softmax first.
    halves = softmax([Value(0.0), Value(math.log(3))])
    halves = None if halves is None else [getattr(p, "data", p) for p in halves]
    assert halves is not None and [round(p, 9) for p in halves] == [0.25, 0.75], (
        "cross_entropy builds on your softmax from exercise 1, which gives "
        f"{halves} for the logits [0, log 3], not "
        "[0.25, 0.75]: make exercise 1's check pass first")
    assert isinstance(loss, Value), (
        f"cross_entropy should return a Value, so that backward() can run, not {type(loss).__name__}")
    for xs, target in [([1.5, -0.5, 0.3], 2), ([0.2, 2.0, -1.0, 0.5], 0)]:
        logits = [Value(x) for x in xs]
        loss = cross_entropy(logits, target)
        loss.backward()
        probs = [math.exp(x) for x in xs]
        probs = [p / sum(probs) for p in probs]
        assert math.isclose(loss.data, -math.log(probs[target])), (
            f"for logits {xs} and target {target} the loss is {loss.data}, "
            f"but -log p[{target}] is {-math.log(probs[target])}")
        if target == 2:
            print(f"loss {loss.data:.4f}")
        grads = [logit.grad for logit in logits]
        mine = [predicted_grad(probs, target, k) for k in range(len(xs))]
        if None in mine:
            print("fill in predicted_grad to compare your rule with backward()")
            return
        assert all(isinstance(m, (int, float)) for m in mine), (
            f"predicted_grad should return a number, not {[type(m).__name__ for m in mine]}")
        if target == 2:
            print("backward():", [round(g, 4) for g in grads])
            print("your rule: ", [round(g, 4) for g in mine])
        for k, (g, m) in enumerate(zip(grads, mine)):
            assert math.isclose(g, m, abs_tol=1e-9), (
                f"your rule and backward() disagree for logits {xs}, target {target}: "
                f"d loss / d logit {k} is {g:.4f}, your rule says {m:.4f}")


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
# names and compares how often each character follows each other one (and
# how often a name starts with each letter) with what the table says. It
# stops a sampler that runs for more than 10 seconds.

# %%
names = ["emma", "olivia", "ava", "isabella", "sophia", "mia",
         "amelia", "harper", "evelyn", "abigail", "emily", "ella"]
vocab = Vocabulary(names)
V = len(vocab)
N = [[0] * V for _ in range(V)]
for (i,), j in examples(names, vocab, context_size=1):
    N[i][j] += 1
P = [[n / sum(row) for n in row] for row in N]


class TooLong(BaseException):
    """Raised inside a function that ran past its time."""


def within(seconds, function, *args):
    """function(*args), stopped with TooLong once it has run for `seconds`."""
    deadline = time.monotonic() + seconds

    def tracer(frame, event, arg):
        if time.monotonic() > deadline:
            raise TooLong
        return tracer
    before = sys.gettrace()
    sys.settrace(tracer)
    try:
        return function(*args)
    finally:
        sys.settrace(before)


def check_sampler(sample_name, draws=4000, seconds=10):
    random.seed(0)
    made = []

    def draw_all():
        for _ in range(draws):
            made.append(sample_name(P, vocab))
            if made[0] is None:
                return
    try:
        within(seconds, draw_all)
    except TooLong:
        raise AssertionError(
            f"sample_name ran for {seconds} s and made {len(made)} names: does each draw "
            "come from the row of the character just drawn, and does the loop stop at '.'?") from None
    if made[0] is None:
        print("sample_name returns None: write its body first.")
        return
    assert all(isinstance(name, str) and "." not in name for name in made), (
        "a name is a string of letters, without the '.' token, not "
        f"{next(name for name in made if not isinstance(name, str) or '.' in name)!r}")
    # Each bigram of the names made, start and end included, by its first character.
    strange = next((ch for name in made for ch in name if ch not in vocab.stoi), None)
    assert strange is None, (
        f"a name is made of the letters of vocab.itos; one of yours holds {strange!r}")
    seen = [[0] * V for _ in range(V)]
    for name in made:
        ids = [0] + [vocab.stoi[ch] for ch in name] + [0]
        for i, j in zip(ids, ids[1:]):
            seen[i][j] += 1
    for i in range(V):
        total = sum(seen[i])
        if total < 300:  # too few to judge
            continue
        shares = [n / total for n in seen[i]]
        # How far a share may stray by chance: four standard deviations, and a little more.
        slack = [4 * math.sqrt(p * (1 - p) / total) + 0.02 for p in P[i]]
        j = max(range(V), key=lambda j: abs(shares[j] - P[i][j]) - slack[j])
        after = "at the start" if i == 0 else f"after '{vocab.itos[i]}'"
        assert abs(shares[j] - P[i][j]) < slack[j], (
            f"{after}, your names have '{vocab.itos[j]}' {shares[j]:.3f} of the time "
            f"(of {total}), the table says {P[i][j]:.3f}: draw each character from "
            "the row of the one before it, until '.'")
    for letter in "aei":
        share = sum(name[:1] == letter for name in made) / draws
        expected = P[0][vocab.stoi[letter]]
        print(f"names starting with {letter}: {share:.3f}, the table says {expected:.3f}")
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
