"""Benchmark: deepdive's Value against micrograd 0.1.0, side by side in one run.

1. micrograd's own demo step: MLP(2, [16, 16, 1]) on 100 points, max-margin
   loss with ReLU and L2 regularisation, forward + backward + update; the
   median of 7 steps, garbage collection included (micrograd's closures make
   reference cycles that only the collector frees, so its steps vary the most).
2. Bytes per value (tracemalloc) on a long chain.
3. The deepest chain each engine can backpropagate.

Targets: at least 6x faster on (1), at most 1/4 of the bytes on (2), no depth limit on (3).
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

ENGINES = {
    "micrograd": (micrograd.engine.Value, micrograd.nn.MLP),
    "deepdive": (deepdive.engine.Value, deepdive.nn.MLP),
}


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


def demo_step(Value, model, points, labels, k):
    """One step of micrograd's demo.ipynb, written once for both engines."""
    inputs = [list(map(Value, xy)) for xy in points]
    scores = list(map(model, inputs))
    losses = [(1 + -yi * si).relu() for yi, si in zip(labels, scores)]
    data_loss = sum(losses) * (1.0 / len(losses))
    reg_loss = 1e-4 * sum(p * p for p in model.parameters())
    loss = data_loss + reg_loss
    model.zero_grad()
    loss.backward()
    learning_rate = 1.0 - 0.9 * k / 100
    for p in model.parameters():
        p.data -= learning_rate * p.grad
    return loss.data


def seconds_per_demo_step(name, steps=7):
    """The median time of a demo step (garbage collection included, as in real use), and the losses."""
    Value, MLP = ENGINES[name]
    random.seed(1337)
    model = MLP(2, [16, 16, 1])
    points, labels = moons()
    times, losses = [], []
    for k in range(steps):
        start = time.perf_counter()
        losses.append(demo_step(Value, model, points, labels, k))
        times.append(time.perf_counter() - start)
    return statistics.median(times), losses


CHAINS = {
    "x = x + w": (lambda x, w, b: x + w, 1),
    "x = x * w + b": (lambda x, w, b: x * w + b, 2),
}


def bytes_per_value(name, chain, n=200_000):
    """Memory held by a long chain, divided by the values it creates."""
    Value, _ = ENGINES[name]
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


def backpropagates(name, depth):
    Value, _ = ENGINES[name]
    x = Value(1.0)
    for _ in range(depth):
        x = x + 1
    try:
        x.backward()
        return True
    except RecursionError:
        return False


def deepest_chain(name, ceiling=1_000_000):
    """The deepest chain that backpropagates, found by bisection up to a ceiling."""
    if backpropagates(name, ceiling):
        return ceiling, True
    low, high = 1, ceiling
    while high - low > 1:
        mid = (low + high) // 2
        low, high = (mid, high) if backpropagates(name, mid) else (low, mid)
    return low, False


def main():
    print(f"Python {sys.version.split()[0]}, recursion limit {sys.getrecursionlimit()}\n")

    t_mg, loss_mg = seconds_per_demo_step("micrograd")
    t_dd, loss_dd = seconds_per_demo_step("deepdive")
    same = all(math.isclose(a, b, rel_tol=1e-9) for a, b in zip(loss_mg, loss_dd))
    print("1. demo step, MLP(2, [16, 16, 1]) on 100 points (median of 7)")
    print(f"   micrograd {t_mg:.3f} s   deepdive {t_dd:.3f} s   speed-up {t_mg / t_dd:.1f}x (target >= 6x)")
    print(f"   same losses from both engines: {same} ({loss_dd[0]:.6f}, {loss_dd[-1]:.6f})\n")

    print("2. bytes per value on a 200,000-step chain (target ratio <= 0.25)")
    for chain in CHAINS:
        b_mg = bytes_per_value("micrograd", chain)
        b_dd = bytes_per_value("deepdive", chain)
        print(f"   {chain:<14} micrograd {b_mg:.0f} B   deepdive {b_dd:.0f} B   ratio {b_dd / b_mg:.2f}")
    print()

    d_mg, _ = deepest_chain("micrograd")
    d_dd, reached = deepest_chain("deepdive")
    print("3. deepest chain that backpropagates (ceiling 1,000,000)")
    print(f"   micrograd {d_mg:,}   deepdive {d_dd:,}{'+ (no limit hit)' if reached else ''}")


if __name__ == "__main__":
    main()
