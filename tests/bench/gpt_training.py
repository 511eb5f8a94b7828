"""Benchmark: chapter 4's GPT trained cold, as a site build with an empty cache trains it.

`deepdive.pretrained.trained()` with the course's settings, in a fresh
temporary cache folder, so that it really trains. It reports the wall and
processor time of the whole call (training, the held-out loss and storing
the weights) against chapter 4's budget of 150 s, and the wall time per step.
Beside it, in the same run, micrograd's demo step on deepdive (the engine
benchmark's yardstick), so that figures from different machines, or from a
busy machine, compare.
Run with `make bench`.
"""

import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from engine import seconds_per_demo_step  # noqa: E402

BUDGET = 150  # seconds, for chapter 4's training in a cold build


def main():
    with tempfile.TemporaryDirectory() as folder:
        os.environ["DEEPDIVE_CACHE"] = folder
        from deepdive.pretrained import trained

        wall, cpu = time.perf_counter(), time.process_time()
        run = trained()
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    demo_step, _ = seconds_per_demo_step("deepdive")
    step = wall / run.steps
    print(f"chapter 4's GPT, {len(run.model.parameters())} parameters, {run.steps} steps, trained cold")
    print(f"   wall {wall:.1f} s   processor {cpu:.1f} s   (budget {BUDGET} s: "
          f"{'within' if wall <= BUDGET else 'OVER'})")
    print(f"   {1000 * step:.0f} ms a step, wall = {step / demo_step:.1f} demo steps "
          f"(micrograd's demo step on deepdive, wall: {1000 * demo_step:.0f} ms)")
    print(f"   final loss, mean of the last 100 steps {sum(run.losses[-100:]) / 100:.4f}; "
          f"held-out names {run.val_loss:.4f}")


if __name__ == "__main__":
    main()
