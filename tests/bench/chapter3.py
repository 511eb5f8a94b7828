"""Benchmark: each page of chapter 3 run cold, training included, against its time budget.

Each page runs alone, in a fresh lessonkit worker with no cache, exactly as a
cold build runs it. Wall time and CPU time (the worker's) are printed for each
page, and for the chapter.

The budget is about 90 s a page on the 2-core machines the site is built on.
To read it the same way on any machine, however busy, it is given in reference
steps, measured in the same run: the CPU time of one training step of lesson
3.4's model (a 2-wide embedding of 3 characters, 16 tanh units, 27 logits, a
batch of 32), which took 155 ms when the budget was set. A page within budget
takes at most 90 / 0.155 = 580 reference steps of CPU time.
Run with `make bench`.
"""

import random
import resource
import statistics
import sys
import time
from pathlib import Path

from deepdive import Value
from deepdive.nn import Layer
from lessonkit import parse_page, run_page

PROJECT = Path(__file__).resolve().parents[2]
CHAPTER = PROJECT / "docs" / "chapter-3"
BUDGET_STEPS = 580  # 90 s at the 155 ms a reference step took when the budget was set
VOCAB = 27


def reference_step_seconds(repeats=7):
    """The median CPU time of one training step of lesson 3.4's model."""
    rng = random.Random(0)
    C = [[Value(rng.gauss(0, 1)) for _ in range(2)] for _ in range(VOCAB)]
    hidden = Layer(6, 16, activation="tanh")
    output = Layer(16, VOCAB, nonlin=False)
    params = [p for row in C for p in row] + hidden.parameters() + output.parameters()
    times = []
    for _ in range(repeats):
        batch = [([rng.randrange(VOCAB) for _ in range(3)], rng.randrange(VOCAB)) for _ in range(32)]
        start = time.process_time()
        losses = []
        for context, target in batch:
            logits = output(hidden([x for i in context for x in C[i]]))
            top = max(z.data for z in logits)
            losses.append(sum((z - top).exp() for z in logits).log() + top - logits[target])
        loss = sum(losses) / len(losses)
        for p in params:
            p.grad = 0.0
        loss.backward()
        for p in params:
            p.data -= 0.1 * p.grad
        times.append(time.process_time() - start)
    return statistics.median(times)


def page_of(path):
    return parse_page(path.read_text(encoding="utf-8"), path.relative_to(PROJECT).as_posix())


def run_cold(path):
    """Run one page in a fresh worker; its wall time and the worker's CPU time."""
    page = page_of(path)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    run = run_page(page, root=PROJECT)
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if run.failed:
        sys.exit(f"{page.path} failed: run `python -m lessonkit check {page.path}` to see why")
    return seconds, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main():
    step = reference_step_seconds()
    print(f"Chapter 3, each page cold and alone (reference step: {step * 1000:.0f} ms of CPU, "
          f"budget {BUDGET_STEPS} steps = {BUDGET_STEPS * step:.0f} s of CPU on this machine):")
    print("                                              wall      CPU   CPU in reference steps")
    total_wall = total_cpu = 0.0
    for path in sorted(CHAPTER.glob("*.md")):
        if not any(page_of(path).runs(snippet) for snippet in page_of(path).snippets):
            continue
        seconds, cpu = run_cold(path)
        total_wall, total_cpu = total_wall + seconds, total_cpu + cpu
        verdict = "within budget" if cpu / step <= BUDGET_STEPS else "OVER BUDGET"
        print(f"  {path.name:42} {seconds:6.1f} s {cpu:6.1f} s  {cpu / step:6.0f}  {verdict}")
    print(f"  {'the chapter, one page after another':42} {total_wall:6.1f} s {total_cpu:6.1f} s")


if __name__ == "__main__":
    main()
