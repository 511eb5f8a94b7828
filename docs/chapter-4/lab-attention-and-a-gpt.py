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
# # Lab: attention and a GPT
#
# Three exercises that put Chapter 4's GPT to work on new questions: what
# Adam does when the gradient changes sign, where each of the trained model's
# heads looks, and which temperature fits names the model never saw.
#
# Each exercise has a cell for you to fill in and a check that tells you how
# you did. Its solution follows in a closed "Solution" block: open it once you
# have an answer. (In the notebook, the solution cells start collapsed.)
#
# The best place to work is the downloaded notebook: get it with the button at
# the top of the page, delete the solution cells if you like, and open it in
# Jupyter or VS Code, in an environment where `deepdive` is installed: clone the
# course's repository and run `pip install -e .` in it (`make serve` does this
# for you). The first exercise runs anywhere; the other two use the course's
# trained GPT, which needs the clone: it reads the names data set there, and
# trains the model once (a few minutes) if no page has done so yet.

# %%
import math

from deepdive import Value
from deepdive.gpt import Adam
from deepdive.loss import cross_entropy

# %% [markdown]
# ## Exercise 1: Adam when the gradient turns
#
# One parameter, two steps of Adam with `lr=0.1` and deepdive's settings
# `beta1=0.85`, `beta2=0.99`, `eps=1e-8`. On step 1 its gradient is `2.0`;
# on step 2 it is `-1.0`: the slope has turned. Before you compute anything,
# predict: on step 2, does the parameter move back?
#
# Then write `adam_moves(grads, lr, beta1, beta2, eps)`: by hand, with plain
# floats, the running averages `m` and `v`, their bias corrections and the
# step, and return how far the parameter moves on each step (its new value
# minus its old one). The check makes sure your function creates no `Value`,
# then runs `deepdive.gpt.Adam` on a `Value` with the same gradients and
# compares, for these gradients and settings and for four other steps with
# other settings.

# %%
grads = [2.0, -1.0]
settings = dict(lr=0.1, beta1=0.85, beta2=0.99, eps=1e-8)


def moves_of_deepdive_adam(grads, lr, beta1, beta2, eps):
    """How far deepdive's Adam moves a Value with these gradients."""
    p = Value(1.0)
    optimizer = Adam([p], lr=lr, betas=(beta1, beta2), eps=eps)
    moves = []
    for g in grads:
        optimizer.zero_grad()
        (p * g).backward()  # d(p * g)/dp = g
        before = p.data
        optimizer.step()
        moves.append(p.data - before)
    return moves


def by_hand(adam_moves, grads, settings):
    """adam_moves(grads, **settings), failing if it made a Value (used deepdive's Adam, say) on the way."""
    made, make = [], Value.__init__

    def spied(*args, **kwargs):
        made.append(1)
        return make(*args, **kwargs)
    Value.__init__ = spied
    try:
        moves = adam_moves(list(grads), **settings)
    finally:
        Value.__init__ = make
    assert not made, "adam_moves made Values: work the steps out by hand, with plain floats"
    return moves


def check_adam(adam_moves):
    if adam_moves(list(grads), **settings) is None:
        print("adam_moves returns None: write its body first.")
        return
    cases = [(grads, settings),
             ([0.5, 0.5, -3.0, 0.1], dict(lr=0.01, beta1=0.9, beta2=0.999, eps=1e-6))]
    for case_grads, case_settings in cases:
        mine = by_hand(adam_moves, case_grads, case_settings)
        where = "" if case_grads is grads else f" (gradients {case_grads}, {case_settings})"
        assert isinstance(mine, (list, tuple)), (
            f"adam_moves should return a list of moves, not a {type(mine).__name__}")
        assert len(mine) == len(case_grads), f"{len(mine)} moves for {len(case_grads)} steps{where}"
        assert all(isinstance(m, (int, float)) for m in mine), (
            f"each move is a plain float: {mine!r}")
        expected = moves_of_deepdive_adam(case_grads, **case_settings)
        for t, (m, e, g) in enumerate(zip(mine, expected, case_grads), start=1):
            assert math.isclose(m, e, rel_tol=1e-9), (
                f"step {t} (gradient {g:+}): yours moves by {m:+.4f}, "
                f"deepdive's Adam by {e:+.4f}{where}")
            if case_grads is grads:
                print(f"step {t}: gradient {g:+}, moves by {m:+.4f}, as Adam does")


# %%
def adam_moves(grads, lr, beta1, beta2, eps):
    ...  # your code: m, v, m_hat, v_hat and the move, for each step


check_adam(adam_moves)

# %% [markdown] tags=["solution"] jupyter={"source_hidden": true}
# No, it keeps moving down, a quarter as far. After step 1, `m = 0.15 · 2 = 0.3`.
# Step 2 mixes in the new gradient: `m = 0.85 · 0.3 + 0.15 · (−1) = 0.105`,
# still positive, because `m` remembers the earlier, larger gradient. That is
# momentum: one gradient against the trend slows the parameter down rather
# than turning it round. The bias corrections divide `m` by `1 − 0.85² = 0.2775`
# and `v` by `1 − 0.99² = 0.0199`; without them, step 1 would move by
# `0.1 · 0.3 / 0.2 = 0.15` instead of the learning rate.

# %% tags=["solution"] jupyter={"source_hidden": true, "outputs_hidden": true}
def adam_moves(grads, lr, beta1, beta2, eps):
    m = v = 0.0
    moves = []
    for t, g in enumerate(grads, start=1):
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g ** 2
        m_hat = m / (1 - beta1 ** t)
        v_hat = v / (1 - beta2 ** t)
        moves.append(-lr * m_hat / (math.sqrt(v_hat) + eps))
    return moves


check_adam(adam_moves)

# %% [markdown]
# ## The trained GPT
#
# The next two exercises use the GPT that lesson 4.5 trained: `trained()`
# loads it from disk, or downloads it from the course's site the first time
# (in a few seconds). They run it on 20 of the 1,000 names that training held
# out, names it never saw. The model reads each as `.` followed by its letters.

# %%
from deepdive.data import read_names, split
from deepdive.pretrained import trained

run = trained()
training, held_out = split(read_names())  # the split trained() made
held_out = held_out[:20]
readings = [run.vocab.encode("." + name) for name in held_out]
print(len(held_out), "held-out names:", ", ".join(held_out))

# %% [markdown]
# ## Exercise 2: where does each head look?
#
# Lesson 4.6 looked at the heads on one name. Measure them on twenty. Write
# `head_shares(model, readings)`: run the model on each reading with
# `attention=` a list to fill (it receives one table of weights per head, a
# row per position), and return one pair per head: the weight that a
# position puts on the token just before it, and the weight it puts on the
# start token `.`, each averaged over every position from 2 on of every name.
# (Position 1, the first letter, has the start token just before it; from
# position 2 on, the two are different tokens.)
#
# The check works the weights out a second way, in plain floats from the
# model's own matrices, and compares. Then read the table: is any head a
# "previous letter" head, the one thing a bigram model needs?

# %%
def rmsnorm_floats(x):
    scale = (sum(xi * xi for xi in x) / len(x) + 1e-5) ** -0.5
    return [xi * scale for xi in x]


def times(w, x):
    """The matrix of Values w times the list of floats x, in floats."""
    return [sum(wi.data * xi for wi, xi in zip(row, x)) for row in w]


def attention_from_matrices(model, tokens):
    """The block's attention weights, head by head, worked out again
    in plain floats from the model's matrices."""
    c, block = model.config, model.blocks[0]
    xs = [rmsnorm_floats([t.data + p.data
                          for t, p in zip(model.wte[token], model.wpe[pos])])
          for pos, token in enumerate(tokens)]
    qs = [times(block["wq"], x) for x in xs]
    ks = [times(block["wk"], x) for x in xs]
    size = c.n_embd // c.n_head
    heads = []
    for h in range(c.n_head):
        part = slice(h * size, (h + 1) * size)
        rows = []
        for t, q in enumerate(qs):
            scores = [sum(a * b for a, b in zip(q[part], k[part]))
                      / math.sqrt(size) for k in ks[:t + 1]]
            exps = [math.exp(s - max(scores)) for s in scores]
            rows.append([e / sum(exps) for e in exps])
        heads.append(rows)
    return heads


def check_heads(head_shares):
    mine = head_shares(run.model, readings)
    if mine is None:
        print("head_shares returns None: write its body first.")
        return
    heads = run.model.config.n_head
    assert isinstance(mine, (list, tuple)) and len(mine) == heads, (
        f"head_shares should return a list of {heads} pairs, one per head, not {mine!r}")
    for h, pair in enumerate(mine):
        assert isinstance(pair, (list, tuple)) and len(pair) == 2, (
            f"head {h + 1}: a pair (token before, start token), not {pair!r}")
        assert all(isinstance(x, (int, float)) for x in pair), (
            f"head {h + 1}: the pair holds plain floats (a Value's .data), "
            f"not {[type(x).__name__ for x in pair]}")
    tables = [attention_from_matrices(run.model, r) for r in readings]
    positions = [(table, t) for table in tables
                 for t in range(2, len(table[0]))]
    n = len(positions)
    for h in range(heads):
        before = sum(table[h][t][t - 1] for table, t in positions) / n
        start = sum(table[h][t][0] for table, t in positions) / n
        for what, m, e in zip(["token before", "start token"], mine[h],
                              [before, start]):
            assert math.isclose(m, e, abs_tol=1e-9), (
                f"head {h + 1}, weight on the {what}: yours {m:.4f}, "
                f"from the model's matrices {e:.4f} (averaged over "
                f"positions 2 and on of the {len(readings)} names)")
    even = sum(1 / (t + 1) for _, t in positions) / n
    print("        before  start")
    for h, (before, start) in enumerate(mine, start=1):
        print(f"head {h}   {before:.3f}  {start:.3f}")
    print(f"even    {even:.3f}  {even:.3f}   (weight spread evenly)")


# %%
def head_shares(model, readings):
    ...  # your code: one (before, start) pair per head


check_heads(head_shares)

# %% [markdown] tags=["solution"] jupyter={"source_hidden": true}
# `attention` receives `n_head` tables per block; row `t` of a table holds
# position `t`'s weights over positions `0` to `t`, so the token before is
# `row[t - 1]` and the start token `row[0]`.
#
# No head is a previous-letter head: none puts much more than an even share
# on the token before. Nor does any head lean much on the start token:
# averaged over twenty names, every head stays within a few hundredths of an
# even share on both, and heads 1 and 3 put less than an even share on both,
# so they weigh the positions in between and the letter itself more. Whatever
# the heads learned (in lesson 4.6, on `.emma`, head 3 looks from `a` back to
# the `e`), it is not "look at the letter before" or "look at the start".
# A bigram's worth of knowledge needs no attention at all: the current letter
# reaches the logits through the residual stream.

# %% tags=["solution"] jupyter={"source_hidden": true, "outputs_hidden": true}
def head_shares(model, readings):
    totals = [[0.0, 0.0] for _ in range(model.config.n_head)]
    positions = 0
    for tokens in readings:
        weights = []
        model(tokens, attention=weights)
        positions += len(tokens) - 2
        for h, table in enumerate(weights):
            for t in range(2, len(tokens)):
                totals[h][0] += table[t][t - 1].data
                totals[h][1] += table[t][0].data
    return [(before / positions, start / positions)
            for before, start in totals]


check_heads(head_shares)

# %% [markdown]
# ## Exercise 3: which temperature fits real names?
#
# Lesson 4.6's samples at temperature `0.5` looked more like names than those
# at `1.0`. Does the model at `0.5` also expect real names better? And the
# model was trained at temperature `1.0`: does `1.0` fit names it never saw
# best? Before you compute anything, predict which of `0.5`, `0.9`, `1.0`,
# `1.1` and `1.5` gives these twenty names the lowest loss.
#
# The cell below runs the model once on each held-out name and keeps its
# logits, as plain floats, with the token that really came next at each
# position. Write `held_out_loss(logits, targets, temperature)`: divide every
# logit by the temperature, take each position's cross-entropy (minus the log
# of the softmax's probability of the target), average them over each name,
# then average the names, as lesson 4.5's held-out loss does. Then set
# `best_temperature` to the temperature that gives the lowest loss, and
# compare it with your prediction. Last, answer in words: why can samples
# look better at a temperature that fits names worse?

# %%
logits = [[[z.data for z in row] for row in run.model(tokens)]
          for tokens in readings]
targets = [run.vocab.encode(name + ".") for name in held_out]  # what came next
temperatures = [0.5, 0.9, 1.0, 1.1, 1.5]


def check_temperature(held_out_loss, best_temperature):
    if held_out_loss(logits, targets, 1.0) is None:
        print("held_out_loss returns None: write its body first.")
        return
    losses = {}
    for temperature in temperatures:
        by_name = []
        for rows, ys in zip(logits, targets):
            scaled = [[Value(z / temperature) for z in row] for row in rows]
            name_losses = [cross_entropy(row, y).data
                           for row, y in zip(scaled, ys)]
            by_name.append(sum(name_losses) / len(name_losses))
        expected = sum(by_name) / len(by_name)
        mine = held_out_loss(logits, targets, temperature)
        assert isinstance(mine, (int, float)), (
            f"held_out_loss should return one number, not a {type(mine).__name__}")
        assert math.isclose(mine, expected, rel_tol=1e-9), (
            f"temperature {temperature}: your loss is {mine:.4f}, "
            f"deepdive.loss.cross_entropy gives {expected:.4f}")
        losses[temperature] = mine
    for temperature, loss in losses.items():
        print(f"temperature {temperature}: held-out loss {loss:.4f}")
    if best_temperature is None:
        print("Now set best_temperature.")
        return
    assert isinstance(best_temperature, (int, float)) and best_temperature in losses, (
        f"best_temperature is one of the numbers {', '.join(map(str, temperatures))}, "
        f"not {best_temperature!r}")
    best = min(losses, key=losses.get)
    assert best_temperature == best, (
        f"at {best_temperature} the loss is {losses[best_temperature]:.4f}, "
        f"at {best} it is {losses[best]:.4f}: lower is better")
    print(f"best_temperature {best_temperature}: right")


# %%
def held_out_loss(logits, targets, temperature):
    ...  # your code


best_temperature = None  # 0.5, 0.9, 1.0, 1.1 or 1.5?

check_temperature(held_out_loss, best_temperature)

# %% [markdown] tags=["solution"] jupyter={"source_hidden": true}
# On these names `1.1` fits best, with `1.0` a few thousandths behind, then
# `0.9`, `1.5` and, far behind, `0.5`. The model was trained at `1.0`, yet
# flattening its probabilities a little fits names it never saw a little
# better: on them, it is slightly too sure of itself. Training promised
# nothing either way: it lowers the loss on the names it trains on, and these
# twenty it never saw. With `1.0` and `1.1` this close, other names or another
# training run could tip it either way; only measuring, as you just did, tells.
#
# At `0.5` the loss jumps: dividing the logits by `0.5` doubles their
# differences, so the likeliest letters get likelier and every other letter
# rarer. A real name takes a less likely letter somewhere (the `x` of
# `phoenix`, the `g` of `yuheng`) and pays `−log` of a tiny probability for it.
# At `1.5` the probabilities flatten, which costs less here.
#
# So both are true. A sample at `0.5` keeps to the likeliest letters, and
# common letters in common orders look like names; but the model at `0.5`
# has stopped expecting the variety that real names have. A low temperature
# trades that variety for typical-looking samples.

# %% tags=["solution"] jupyter={"source_hidden": true, "outputs_hidden": true}
def held_out_loss(logits, targets, temperature):
    by_name = []
    for rows, ys in zip(logits, targets):
        losses = []
        for row, y in zip(rows, ys):
            scaled = [z / temperature for z in row]
            biggest = max(scaled)
            total = sum(math.exp(z - biggest) for z in scaled)
            log_total = biggest + math.log(total)
            losses.append(log_total - scaled[y])
        by_name.append(sum(losses) / len(losses))
    return sum(by_name) / len(by_name)


losses = {t: held_out_loss(logits, targets, t) for t in temperatures}
best_temperature = min(losses, key=losses.get)

check_temperature(held_out_loss, best_temperature)
