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
# Three exercises on what Chapter 4 built: attention weights worked out for a
# tiny example, a causal mask, and a parameter count.
#
# Each exercise has a cell for you to fill in and a check that tells you how
# you did. Its solution follows in a closed "Solution" block: open it once you
# have an answer. (In the notebook, the solution cells start collapsed.)
#
# The best place to work is the downloaded notebook: get it with the button at
# the top of the page, delete the solution cells if you like, and open it in
# Jupyter or VS Code, in an environment where `deepdive` is installed: clone the
# course's repository and run `pip install -e .` in it (`make serve` does this
# for you).

# %%
import math

from deepdive import Value
from deepdive.gpt import GPT, Config, causal_self_attention, parameter_count

# %% [markdown]
# ## Exercise 1: attention weights for one position
#
# Three positions carry the lists `[0, 1]`, `[2, 0]` and `[1, 1]`. Take the
# query and key matrices to be the identity, so that each position's query and
# key are its own list. Write `weights(q, keys)` for the last position: the dot
# product of its query `q` with each key, divided by the square root of the
# key's length, then a softmax, as plain floats. The check compares your
# weights with what `deepdive.gpt`'s attention computes.

# %%
xs = [[0.0, 1.0], [2.0, 0.0], [1.0, 1.0]]


def identity(n):
    return [[Value(float(i == j)) for j in range(n)] for i in range(n)]


def deepdive_weights(xs):
    """The attention weights of each position, from deepdive.gpt, with identity matrices."""
    found = []
    eye = identity(len(xs[0]))
    causal_self_attention([[Value(x) for x in v] for v in xs], eye, eye, eye, eye, n_head=1, weights=found)
    return [[w.data for w in row] for row in found[0]]


def check_weights(weights):
    mine = weights(xs[-1], xs)
    if mine is None:
        print("weights returns None: write its body first.")
        return
    expected = deepdive_weights(xs)[-1]
    assert len(mine) == len(expected), f"{len(mine)} weights for {len(expected)} positions"
    assert math.isclose(sum(mine), 1.0), f"your weights add up to {sum(mine)}, not 1"
    for i, (m, e) in enumerate(zip(mine, expected)):
        assert math.isclose(m, e, rel_tol=1e-9), f"weight {i}: yours {m:.4f}, deepdive's {e:.4f}"
    print("weights", [round(m, 4) for m in mine], "- the same as deepdive's")


# %%
def weights(q, keys):
    ...  # your code: scores, then a softmax


check_weights(weights)

# %% [markdown] tags=["solution"] jupyter={"source_hidden": true}
# The scores are `q · k / √2`: `1/√2`, `2/√2` and `2/√2`. The two keys that
# match the query best share the most weight.

# %% tags=["solution"] jupyter={"source_hidden": true, "outputs_hidden": true}
def weights(q, keys):
    scores = [sum(qi * ki for qi, ki in zip(q, k)) / math.sqrt(len(k)) for k in keys]
    exps = [math.exp(s) for s in scores]
    return [e / sum(exps) for e in exps]


check_weights(weights)

# %% [markdown]
# ## Exercise 2: a causal mask
#
# Attention with a causal mask lets position `t` read positions `0` to `t`
# only. Write `masked(scores)`: given a full square table of scores (row `t`
# holds position `t`'s scores against every position), return the table of
# weights, where row `t` is the softmax of its first `t + 1` scores and the
# later positions get weight `0.0`. The check feeds it a table and looks for
# weight where there should be none.

# %%
scores = [
    [0.5, 9.0, 9.0, 9.0],
    [1.0, 2.0, 9.0, 9.0],
    [0.0, 0.0, 0.0, 9.0],
    [3.0, 1.0, 2.0, 0.0],
]


def check_mask(masked):
    table = masked(scores)
    if table is None:
        print("masked returns None: write its body first.")
        return
    for t, row in enumerate(table):
        future = row[t + 1:]
        assert all(w == 0.0 for w in future), f"row {t} reads the future: {future}"
        assert math.isclose(sum(row), 1.0), f"row {t} adds up to {sum(row)}, not 1"
    assert all(math.isclose(w, 1 / 3) for w in table[2][:3]), (
        f"row 2 has equal scores for positions 0 to 2, so equal weights, not {table[2][:3]}")
    for row in table:
        print(" ".join(f"{w:.3f}" for w in row))


# %%
def masked(scores):
    ...  # your code: a softmax over each row's first t + 1 scores, zeros after


check_mask(masked)

# %% [markdown] tags=["solution"] jupyter={"source_hidden": true}
# The `9.0`s above the diagonal would take nearly all the weight if they
# were let in. Leaving them out of the softmax is the mask.

# %% tags=["solution"] jupyter={"source_hidden": true, "outputs_hidden": true}
def masked(scores):
    table = []
    for t, row in enumerate(scores):
        exps = [math.exp(s) for s in row[:t + 1]]
        table.append([e / sum(exps) for e in exps] + [0.0] * (len(row) - t - 1))
    return table


check_mask(masked)

# %% [markdown]
# ## Exercise 3: a parameter count
#
# Write `count(config)`: the number of parameters of a GPT of that shape,
# from `vocab_size`, `block_size`, `n_embd` and `n_layer`, with no model
# built. Lesson 4.4 has the pieces: two embedding tables, the block's six
# matrices, and `lm_head`. The check builds real models and counts.

# %%
shapes = [Config(), Config(n_layer=2), Config(n_embd=32, n_head=8, block_size=8)]


def check_count(count):
    if count(shapes[0]) is None:
        print("count returns None: write its body first.")
        return
    for config in shapes:
        real = len(GPT(config).parameters())
        assert count(config) == real, f"{config}: yours {count(config)}, the model has {real}"
        print(f"n_embd {config.n_embd:2}, n_layer {config.n_layer}, block_size {config.block_size:2}: {real:,}")


# %%
def count(config):
    ...  # your code


check_count(count)

# %% [markdown] tags=["solution"] jupyter={"source_hidden": true}
# Two tables of `n_embd` columns with a row per token and per position,
# `12·n_embd²` per block (four attention matrices, the MLP's `fc` of
# `4·n_embd × n_embd` and `proj` of `n_embd × 4·n_embd`), and `lm_head`, a row per token.

# %% tags=["solution"] jupyter={"source_hidden": true, "outputs_hidden": true}
def count(config):
    c = config
    return (c.vocab_size * c.n_embd + c.block_size * c.n_embd
            + c.n_layer * 12 * c.n_embd ** 2
            + c.vocab_size * c.n_embd)


check_count(count)
print("deepdive.gpt.parameter_count agrees:", all(count(c) == parameter_count(c) for c in shapes))
