"""Benchmark: deepdive's Value against two peers, side by side in one run.

The peers:

- Minimal: the Value written below, in the design of karpathy's microgpt:
  __slots__, parents and local gradients, nothing else (no checks, no labels,
  no operation names, recursive backward).
- micrograd 0.1.0: a closure per value.

What is measured:

1. A microgpt-style training step, deepdive against Minimal: a one-layer GPT
   over scalar values (token and position embeddings, one causal attention
   block with 4 heads, an MLP, softmax cross-entropy on one short name;
   4,192 parameters), forward, backward and an Adam update.
2. micrograd's own demo step, deepdive against micrograd: MLP(2, [16, 16, 1])
   on 100 points, max-margin loss with ReLU and L2 regularisation.
3. Bytes per value (tracemalloc) on long chains, against both peers.
4. The deepest chain each engine can backpropagate.

How garbage collection is counted: the collector runs during every timed
step, as it does in training, and its own time is summed from gc.callbacks
and printed as the step's "gc" share. A step can also leave garbage behind for
a later one: Minimal's backward, like microgpt's, keeps its graph in a
recursive closure, a reference cycle that only the collector frees, and
micrograd's closures make every value a cycle. So in (1) each turn starts
from a collected heap (untimed), runs one untimed step, then times steps back
to back: each timed step pays for what the one before it left, as in
training. In (2), as before, each step starts from a collected heap and a
collection right after it is timed as part of it.

The engines take turns and the median step counts, so a slow moment of a
busy machine falls on both. Time is this process's CPU time, not the wall
clock, so that other programs on a shared machine do not count.

Targets: (1) ratio >= 1.0; (2) no slower than before (about 10x);
(3) at most 1.15x Minimal's bytes; (4) no depth limit.
Run with `make bench`.
"""

import gc
import math
import random
import statistics
import sys
import time
import tracemalloc

import micrograd.engine
import micrograd.nn

import deepdive.engine
import deepdive.nn


class Minimal:
    """The microgpt design: a scalar with its parents and local gradients, nothing else."""

    __slots__ = ("data", "grad", "_children", "_local_grads")

    def __init__(self, data, children=(), local_grads=()):
        self.data = data
        self.grad = 0
        self._children = children
        self._local_grads = local_grads

    def __add__(self, other):
        other = other if isinstance(other, Minimal) else Minimal(other)
        return Minimal(self.data + other.data, (self, other), (1, 1))

    def __mul__(self, other):
        other = other if isinstance(other, Minimal) else Minimal(other)
        return Minimal(self.data * other.data, (self, other), (other.data, self.data))

    def __pow__(self, k):
        return Minimal(self.data**k, (self,), (k * self.data**(k - 1),))

    def log(self):
        return Minimal(math.log(self.data), (self,), (1 / self.data,))

    def exp(self):
        e = math.exp(self.data)
        return Minimal(e, (self,), (e,))

    def relu(self):
        return Minimal(max(0, self.data), (self,), (float(self.data > 0),))

    def __neg__(self):
        return self * -1

    def __radd__(self, other):
        return self + other

    def __sub__(self, other):
        return self + (-other)

    def __rsub__(self, other):
        return other + (-self)

    def __rmul__(self, other):
        return self * other

    def __truediv__(self, other):
        return self * other**-1

    def __rtruediv__(self, other):
        return other * self**-1

    def backward(self):
        topo, visited = [], set()

        def build_topo(v):
            if v not in visited:
                visited.add(v)
                for child in v._children:
                    build_topo(child)
                topo.append(v)

        build_topo(self)
        self.grad = 1
        for v in reversed(topo):
            for child, local_grad in zip(v._children, v._local_grads):
                child.grad += local_grad * v.grad


# -- timing ---------------------------------------------------------------------

class GarbageClock:
    """Sums the time the garbage collector spends, through gc.callbacks."""

    def __init__(self):
        self.seconds = 0.0
        self.started = None

    def __call__(self, phase, info):
        if phase == "start":
            self.started = time.process_time()
        else:
            self.seconds += time.process_time() - self.started


def timed(step, collect_after=False):
    """Run step() with the collector on: (CPU seconds, of which gc, its result).

    collect_after=True also times a collection right after the step: the work
    of freeing what the step left in reference cycles, which only the
    collector can free (micrograd's closures make them; deepdive makes none).
    """
    clock = GarbageClock()
    gc.callbacks.append(clock)
    try:
        start = time.process_time()
        result = step()
        if collect_after:
            gc.collect()
        seconds = time.process_time() - start
    finally:
        gc.callbacks.remove(clock)
    return seconds, clock.seconds, result


def take_turns(runners, turns, in_a_row=1, collect_after=False):
    """Time the runners turn by turn: {name: (median seconds, median gc seconds, results)}.

    Each turn starts from a collected heap. With in_a_row > 1, a turn runs one
    untimed step, then times in_a_row steps back to back.
    """
    times = {name: [] for name in runners}
    untimed = 1 if in_a_row > 1 else 0
    for turn in range(turns):
        steps = range(turn * (untimed + in_a_row), (turn + 1) * (untimed + in_a_row))
        for name, runner in runners.items():
            gc.collect()
            for k in steps[:untimed]:
                runner(k)
            times[name] += [timed(lambda: runner(k), collect_after) for k in steps[untimed:]]
    return {name: (statistics.median(t for t, _, _ in runs), statistics.median(g for _, g, _ in runs),
                   [result for _, _, result in runs])
            for name, runs in times.items()}


# -- 1. a microgpt-style training step ------------------------------------------

VOCAB = "abcdefghijklmnopqrstuvwxyz"
BOS = len(VOCAB)  # the token that starts and ends a name
N_EMBD, N_HEAD, BLOCK = 16, 4, 16
HEAD = N_EMBD // N_HEAD
NAME = "emma"


def gpt_parameters(Value, seed=42):
    """The weights of a one-layer GPT, as microgpt lays them out."""
    rng = random.Random(seed)

    def matrix(rows, cols):
        return [[Value(rng.gauss(0, 0.08)) for _ in range(cols)] for _ in range(rows)]

    return {
        "wte": matrix(BOS + 1, N_EMBD), "wpe": matrix(BLOCK, N_EMBD),
        "wq": matrix(N_EMBD, N_EMBD), "wk": matrix(N_EMBD, N_EMBD),
        "wv": matrix(N_EMBD, N_EMBD), "wo": matrix(N_EMBD, N_EMBD),
        "fc1": matrix(4 * N_EMBD, N_EMBD), "fc2": matrix(N_EMBD, 4 * N_EMBD),
        "lm_head": matrix(BOS + 1, N_EMBD),
    }


def linear(x, w):
    return [sum(wi * xi for wi, xi in zip(row, x)) for row in w]


def softmax(logits):
    biggest = max(logit.data for logit in logits)
    exps = [(logit - biggest).exp() for logit in logits]
    total = sum(exps)
    return [e / total for e in exps]


def rmsnorm(x):
    scale = (sum(xi * xi for xi in x) / len(x) + 1e-5) ** -0.5
    return [xi * scale for xi in x]


def gpt(w, token, position, keys, values):
    """The logits for the token after `token`, attending to the positions so far."""
    x = rmsnorm([t + p for t, p in zip(w["wte"][token], w["wpe"][position])])
    residual, x = x, rmsnorm(x)
    q, k, v = linear(x, w["wq"]), linear(x, w["wk"]), linear(x, w["wv"])
    keys.append(k)
    values.append(v)  # the causal mask: only this position and the ones before it
    attended = []
    for h in range(0, N_EMBD, HEAD):
        scores = [sum(qi * ki for qi, ki in zip(q[h:h + HEAD], key[h:h + HEAD])) / HEAD**0.5 for key in keys]
        weights = softmax(scores)
        attended += [sum(a * value[j] for a, value in zip(weights, values)) for j in range(h, h + HEAD)]
    x = [a + b for a, b in zip(linear(attended, w["wo"]), residual)]
    residual, x = x, rmsnorm(x)
    x = [xi.relu() for xi in linear(x, w["fc1"])]
    x = [a + b for a, b in zip(linear(x, w["fc2"]), residual)]
    return linear(x, w["lm_head"])


class GPTTraining:
    """One engine's GPT and Adam state; each call is one training step on NAME."""

    def __init__(self, Value):
        self.weights = gpt_parameters(Value)
        self.params = [p for matrix in self.weights.values() for row in matrix for p in row]
        self.m = [0.0] * len(self.params)
        self.v = [0.0] * len(self.params)
        self.tokens = [BOS] + [VOCAB.index(c) for c in NAME] + [BOS]

    def __call__(self, step, learning_rate=0.01, beta1=0.85, beta2=0.99, eps=1e-8):
        keys, values, losses = [], [], []
        n = len(self.tokens) - 1
        for position in range(n):
            probs = softmax(gpt(self.weights, self.tokens[position], position, keys, values))
            losses.append(-probs[self.tokens[position + 1]].log())
        loss = (1 / n) * sum(losses)
        loss.backward()
        for i, p in enumerate(self.params):  # Adam, then zero the gradient
            self.m[i] = beta1 * self.m[i] + (1 - beta1) * p.grad
            self.v[i] = beta2 * self.v[i] + (1 - beta2) * p.grad**2
            m_hat = self.m[i] / (1 - beta1 ** (step + 1))
            v_hat = self.v[i] / (1 - beta2 ** (step + 1))
            p.data -= learning_rate * m_hat / (v_hat**0.5 + eps)
            p.grad = 0.0
        return loss.data


def values_in_step(Value, parents):
    """How many values one training step adds to the parameters: the rest of the loss's graph."""
    training = GPTTraining(Value)
    keys, values, losses = [], [], []
    for position in range(len(training.tokens) - 1):
        probs = softmax(gpt(training.weights, training.tokens[position], position, keys, values))
        losses.append(-probs[training.tokens[position + 1]].log())
    seen, stack = set(training.params), [(1 / len(losses)) * sum(losses)]
    while stack:
        v = stack.pop()
        if v not in seen:
            seen.add(v)
            stack.extend(getattr(v, parents))
    return len(seen) - len(training.params)


# -- 2. micrograd's demo step ---------------------------------------------------

def moons(n=100, seed=1):
    """Two interleaving half circles with a little noise, labels -1 and +1."""
    rng = random.Random(seed)
    points, labels = [], []
    for i in range(n):
        t = math.pi * rng.random()
        if i % 2:
            x, y, label = math.cos(t), math.sin(t), -1
        else:
            x, y, label = 1 - math.cos(t), 0.5 - math.sin(t), 1
        points.append((x + rng.gauss(0, 0.1), y + rng.gauss(0, 0.1)))
        labels.append(label)
    return points, labels


class DemoTraining:
    """One engine's MLP; each call is one step of micrograd's demo.ipynb."""

    def __init__(self, Value, MLP):
        random.seed(1337)
        self.Value, self.model = Value, MLP(2, [16, 16, 1])
        self.points, self.labels = moons()

    def __call__(self, k):
        inputs = [list(map(self.Value, xy)) for xy in self.points]
        scores = list(map(self.model, inputs))
        losses = [(1 + -yi * si).relu() for yi, si in zip(self.labels, scores)]
        data_loss = sum(losses) * (1.0 / len(losses))
        reg_loss = 1e-4 * sum(p * p for p in self.model.parameters())
        loss = data_loss + reg_loss
        self.model.zero_grad()
        loss.backward()
        learning_rate = 1.0 - 0.9 * k / 100
        for p in self.model.parameters():
            p.data -= learning_rate * p.grad
        return loss.data


# -- 3. memory and 4. depth -----------------------------------------------------

ENGINES = {"deepdive": deepdive.engine.Value, "Minimal": Minimal, "micrograd": micrograd.engine.Value}

CHAINS = {
    "x = x + w": (lambda x, w, b: x + w, 1),
    "x = x * w + b": (lambda x, w, b: x * w + b, 2),
}


def bytes_per_value(Value, chain, n=200_000):
    """Memory held by a long chain, divided by the values it creates."""
    step, values_per_step = CHAINS[chain]
    w, b = Value(0.5), Value(0.25)
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    x = Value(1.0)
    for _ in range(n):
        x = step(x, w, b)
    used = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    return used / (values_per_step * n + 1)


def object_bytes(Value):
    """The bytes one value object takes, with the collector's header, before its tuples and floats."""
    return sys.getsizeof(Value(1.0))


def backpropagates(Value, depth):
    x = Value(1.0)
    for _ in range(depth):
        x = x + 1
    try:
        x.backward()
        return True
    except RecursionError:
        return False


def deepest_chain(Value, ceiling=1_000_000):
    """The deepest chain that backpropagates, found by bisection up to a ceiling."""
    if backpropagates(Value, ceiling):
        return ceiling, True
    low, high = 1, ceiling
    while high - low > 1:
        mid = (low + high) // 2
        low, high = (mid, high) if backpropagates(Value, mid) else (low, mid)
    return low, False


def same(a, b):
    return all(math.isclose(x, y, rel_tol=1e-9) for x, y in zip(a, b))


def main():
    print(f"Python {sys.version.split()[0]}, recursion limit {sys.getrecursionlimit()}")
    print("CPU time of each step, the collector running; gc = its share of the step.\n")

    turns, in_a_row = 6, 2
    runs = take_turns({"deepdive": GPTTraining(deepdive.engine.Value), "Minimal": GPTTraining(Minimal)},
                      turns, in_a_row)
    (t_dd, g_dd, loss_dd), (t_mi, g_mi, loss_mi) = runs["deepdive"], runs["Minimal"]
    print(f"1. GPT training step: 1 layer, {len(GPTTraining(Minimal).params):,} parameters, "
          f"the name {NAME!r}, Adam (median of {turns * in_a_row}, each after a step that left its garbage)")
    print(f"   values per step: deepdive {values_in_step(deepdive.engine.Value, '_prev'):,}   "
          f"Minimal {values_in_step(Minimal, '_children'):,} (its - and / are made of other operations)")
    print(f"   Minimal  {t_mi * 1000:6.1f} ms (gc {g_mi * 1000:5.1f} ms)")
    print(f"   deepdive {t_dd * 1000:6.1f} ms (gc {g_dd * 1000:5.1f} ms)   "
          f"speed ratio {t_mi / t_dd:.2f} (target >= 1.0)")
    print(f"   same losses: {same(loss_dd, loss_mi)} ({loss_dd[0]:.6f} ... {loss_dd[-1]:.6f})")
    print(f"   one value object: deepdive {object_bytes(deepdive.engine.Value)} B "
          f"({', '.join(deepdive.engine.Value.__slots__)}), Minimal {object_bytes(Minimal)} B "
          f"({', '.join(Minimal.__slots__)}); the collector walks every value several times a step\n")

    steps = 7
    runs = take_turns({"micrograd": DemoTraining(micrograd.engine.Value, micrograd.nn.MLP),
                       "deepdive": DemoTraining(deepdive.engine.Value, deepdive.nn.MLP)}, steps,
                      collect_after=True)
    (t_dd, g_dd, loss_dd), (t_mg, g_mg, loss_mg) = runs["deepdive"], runs["micrograd"]
    print(f"2. micrograd's demo step, MLP(2, [16, 16, 1]) on 100 points, and the collection "
          f"that frees its garbage (median of {steps})")
    print(f"   micrograd {t_mg * 1000:6.1f} ms (gc {g_mg * 1000:5.1f} ms)")
    print(f"   deepdive  {t_dd * 1000:6.1f} ms (gc {g_dd * 1000:5.1f} ms)   "
          f"speed-up {t_mg / t_dd:.1f}x (target: about 10x, no lower than before)")
    print(f"   same losses: {same(loss_dd, loss_mg)} ({loss_dd[0]:.6f} ... {loss_dd[-1]:.6f})\n")

    print("3. bytes per value on a 200,000-step chain (target: deepdive/Minimal <= 1.15)")
    for chain in CHAINS:
        b = {name: bytes_per_value(Value, chain) for name, Value in ENGINES.items()}
        print(f"   {chain:<14} " + "   ".join(f"{name} {b[name]:.0f} B" for name in ENGINES)
              + f"   deepdive/Minimal {b['deepdive'] / b['Minimal']:.2f}"
              + f"   deepdive/micrograd {b['deepdive'] / b['micrograd']:.2f}")
    print()

    print("4. deepest chain that backpropagates (ceiling 1,000,000; target: no limit)")
    depths = {name: deepest_chain(Value) for name, Value in ENGINES.items()}
    print("   " + "   ".join(f"{name} {depth:,}{'+ (no limit hit)' if reached else ''}"
                             for name, (depth, reached) in depths.items()))


if __name__ == "__main__":
    main()
