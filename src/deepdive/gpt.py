"""A GPT made of Values: embeddings, causal self-attention, RMSNorm, an MLP and logits.

Everything is a list of Values, a matrix a list of rows, as in karpathy's
microgpt: a transformer in plain Python that `backward()` can differentiate.
It reads characters, numbered by chapter 3's vocabulary (deepdive.data):
token 0, ".", marks where a name starts and ends.
"""

import math
import random
from dataclasses import dataclass

from deepdive.data import with_ends
from deepdive.engine import Value, cycle_collector_off
from deepdive.loss import cross_entropy
from deepdive.nn import Module


@dataclass(frozen=True)
class Config:
    """The sizes that decide a GPT's shape."""

    vocab_size: int = 27   # "." and the letters a to z
    block_size: int = 16   # the most tokens the model reads at once
    n_embd: int = 16       # numbers per token in the residual stream
    n_head: int = 4        # attention heads, each reading n_embd // n_head of them
    n_layer: int = 1       # transformer blocks


def matrix(rows, cols, rng, std=0.08):
    """A rows × cols matrix of Values drawn from a normal distribution."""
    return [[Value(rng.gauss(0, std)) for _ in range(cols)] for _ in range(rows)]


def linear(x, w):
    """w · x: one output per row of w."""
    return [sum(wi * xi for wi, xi in zip(row, x)) for row in w]


def softmax(logits):
    """Probabilities from scores: e^score over the sum of them all."""
    biggest = max(logit.data for logit in logits)  # subtracting it keeps exp from overflowing
    exps = [(logit - biggest).exp() for logit in logits]
    total = sum(exps)
    return [e / total for e in exps]


def rmsnorm(x):
    """x scaled so that its mean square is 1."""
    mean_square = sum(xi * xi for xi in x) / len(x)
    scale = (mean_square + 1e-5) ** -0.5
    return [xi * scale for xi in x]


def causal_self_attention(xs, wq, wk, wv, wo, n_head, weights=None):
    """Each position's weighted average of the values at itself and before it.

    Position t's query is compared with the keys of positions 0..t only (the
    causal mask), so nothing is read from the future. `weights`, a list,
    receives each head's attention weights, one row per position.
    """
    qs = [linear(x, wq) for x in xs]
    ks = [linear(x, wk) for x in xs]
    vs = [linear(x, wv) for x in xs]
    head_size = len(xs[0]) // n_head
    heads = [[] for _ in xs]
    for h in range(n_head):
        part = slice(h * head_size, (h + 1) * head_size)
        rows = []
        for t, q in enumerate(qs):
            scores = [sum(qi * ki for qi, ki in zip(q[part], k[part])) / math.sqrt(head_size)
                      for k in ks[:t + 1]]
            w = softmax(scores)
            heads[t] += [sum(w[s] * vs[s][part][i] for s in range(t + 1)) for i in range(head_size)]
            rows.append(w)
        if weights is not None:
            weights.append(rows)
    return [linear(head, wo) for head in heads]


class GPT(Module):
    """A decoder-only transformer: token and position embeddings, blocks, logits.

    A Module, as lesson 2.5's MLP is (deepdive.nn): parameters() lists every
    weight, and zero_grad() sets their gradients back to 0.
    """

    def __init__(self, config=Config(), seed=0):
        c = self.config = config
        if c.n_embd % c.n_head:
            raise ValueError(f"n_embd ({c.n_embd}) must be a multiple of n_head ({c.n_head})")
        rng = random.Random(seed)
        self.wte = matrix(c.vocab_size, c.n_embd, rng)  # a row per token
        self.wpe = matrix(c.block_size, c.n_embd, rng)  # a row per position
        self.blocks = [{
            "wq": matrix(c.n_embd, c.n_embd, rng),
            "wk": matrix(c.n_embd, c.n_embd, rng),
            "wv": matrix(c.n_embd, c.n_embd, rng),
            "wo": matrix(c.n_embd, c.n_embd, rng),
            "fc": matrix(4 * c.n_embd, c.n_embd, rng),
            "proj": matrix(c.n_embd, 4 * c.n_embd, rng),
        } for _ in range(c.n_layer)]
        self.lm_head = matrix(c.vocab_size, c.n_embd, rng)  # a row of scores per next token

    def __call__(self, tokens, attention=None):
        """The logits of the next token after each position of `tokens`.

        `attention`, a list, receives every head's weights, block by block.
        """
        if len(tokens) > self.config.block_size:
            raise ValueError(f"the model reads at most {self.config.block_size} tokens, got {len(tokens)}")
        xs = [[t + p for t, p in zip(self.wte[token], self.wpe[pos])] for pos, token in enumerate(tokens)]
        for block in self.blocks:
            normed = [rmsnorm(x) for x in xs]
            attended = causal_self_attention(normed, block["wq"], block["wk"], block["wv"], block["wo"],
                                             self.config.n_head, attention)
            xs = [[a + b for a, b in zip(x, y)] for x, y in zip(xs, attended)]  # the residual stream
            hidden = [[h.relu() for h in linear(rmsnorm(x), block["fc"])] for x in xs]
            xs = [[a + b for a, b in zip(x, linear(h, block["proj"]))] for x, h in zip(xs, hidden)]
        return [linear(rmsnorm(x), self.lm_head) for x in xs]

    def loss(self, tokens):
        """The mean cross-entropy of predicting each token from the ones before it."""
        tokens = tokens[:self.config.block_size + 1]
        losses = [cross_entropy(logits, target) for logits, target in zip(self(tokens[:-1]), tokens[1:])]
        return sum(losses) / len(losses)

    def matrices(self):
        """Every parameter matrix, by name."""
        named = {"wte": self.wte, "wpe": self.wpe}
        for i, block in enumerate(self.blocks):
            named.update({f"block{i}.{name}": w for name, w in block.items()})
        named["lm_head"] = self.lm_head
        return named

    def parameters(self):
        return [p for w in self.matrices().values() for row in w for p in row]


def parameter_count(config):
    """The number of parameters of a GPT of this shape, from the formula."""
    c = config
    embeddings = c.vocab_size * c.n_embd + c.block_size * c.n_embd
    block = 4 * c.n_embd * c.n_embd + 2 * 4 * c.n_embd * c.n_embd  # attention, then the MLP
    return embeddings + c.n_layer * block + c.vocab_size * c.n_embd


class Adam:
    """Gradient descent with momentum (m) and a step size per parameter (from v)."""

    def __init__(self, parameters, lr=0.01, betas=(0.85, 0.99), eps=1e-8):
        self.parameters = list(parameters)
        self.lr = lr
        self.beta1, self.beta2 = betas
        self.eps = eps
        self.m = [0.0] * len(self.parameters)  # running mean of the gradient
        self.v = [0.0] * len(self.parameters)  # running mean of its square
        self.t = 0

    def step(self):
        self.t += 1
        for i, p in enumerate(self.parameters):
            self.m[i] = self.beta1 * self.m[i] + (1 - self.beta1) * p.grad
            self.v[i] = self.beta2 * self.v[i] + (1 - self.beta2) * p.grad ** 2
            m_hat = self.m[i] / (1 - self.beta1 ** self.t)  # both start at 0: undo that bias
            v_hat = self.v[i] / (1 - self.beta2 ** self.t)
            p.data -= self.lr * m_hat / (math.sqrt(v_hat) + self.eps)

    def zero_grad(self):
        for p in self.parameters:
            p.grad = 0.0


def train(model, vocab, names, steps, lr=0.01, log=None):
    """Adam on one name a step, the learning rate falling linearly to 0; the loss of each step."""
    optimizer = Adam(model.parameters(), lr=lr)
    losses = []
    with cycle_collector_off():  # Values make no cycles: see engine.cycle_collector_off
        for step in range(steps):
            name = names[step % len(names)]
            loss = model.loss(vocab.encode(with_ends(name)))
            optimizer.zero_grad()
            loss.backward()
            optimizer.lr = lr * (1 - step / steps)
            optimizer.step()
            losses.append(loss.data)
            if log:
                print(f"step {step + 1:4d} / {steps}  loss {loss.data:.4f}", file=log, flush=True)
    return losses


def sample(model, vocab, rng, temperature=1.0):
    """A new name: start from ".", then draw each next token from the model's probabilities, until "." again."""
    tokens = [0]
    while len(tokens) < model.config.block_size:
        logits = model(tokens)[-1]
        probs = softmax([logit / temperature for logit in logits])
        token = rng.choices(range(len(probs)), weights=[p.data for p in probs])[0]
        if token == 0:
            break
        tokens.append(token)
    return vocab.decode(tokens[1:])  # the letters, without the start token
