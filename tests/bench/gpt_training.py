"""Benchmark: chapter 4's GPT trained cold, as a site build with an empty cache trains it.

1. One training step of deepdive.gpt's GPT on the name "emma", against the
   engine benchmark's microgpt-style step (the same sizes, one file of plain
   loops) on the same Value, taking turns: what the lessons' readable model
   costs over microgpt's layout.
2. `deepdive.pretrained.trained()` with the course's settings, in a fresh
   temporary cache folder, so that it really trains: the wall and processor
   time of the whole call (600 steps of training, the loss on each of the
   1,000 held-out names and storing the weights) against chapter 4's budget
   of 300 s.

Run with `make bench`.
"""

import os
import string
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import deepdive.engine  # noqa: E402
from deepdive.data import Vocabulary, with_ends  # noqa: E402
from deepdive.gpt import GPT, Adam, Config  # noqa: E402
from engine import NAME, GPTTraining, take_turns  # noqa: E402

BUDGET = 300  # seconds, for chapter 4's training and its 1,000 held-out names in a cold build


class CourseStep:
    """One step of deepdive.gpt.train on NAME: loss, zero_grad, backward, Adam."""

    def __init__(self):
        self.model = GPT(Config(), seed=42)
        self.optimizer = Adam(self.model.parameters())
        self.tokens = Vocabulary(string.ascii_lowercase).encode(with_ends(NAME))

    def __call__(self, step):
        loss = self.model.loss(self.tokens)
        self.optimizer.zero_grad()
        loss.backward()
        self.optimizer.step()
        return loss.data


def main():
    steps = 9
    runs = take_turns({"microgpt-style": GPTTraining(deepdive.engine.Value), "deepdive.gpt": CourseStep()}, steps)
    (t_ref, _, _), (t_gpt, _, _) = runs["microgpt-style"], runs["deepdive.gpt"]
    print(f"1. a training step on {NAME!r}, deepdive's Value (median of {steps})")
    print(f"   microgpt-style {t_ref * 1000:6.1f} ms   deepdive.gpt {t_gpt * 1000:6.1f} ms   "
          f"ratio {t_gpt / t_ref:.2f}\n")

    with tempfile.TemporaryDirectory() as folder:
        os.environ["DEEPDIVE_CACHE"] = folder
        from deepdive.pretrained import trained

        wall, cpu = time.perf_counter(), time.process_time()
        run = trained()
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(f"2. chapter 4's GPT, {len(run.model.parameters())} parameters, {run.steps} steps of one name, "
          f"trained cold")
    print(f"   wall {wall:.1f} s   processor {cpu:.1f} s   {1000 * wall / run.steps:.0f} ms a step   "
          f"(budget {BUDGET} s: {'within' if wall <= BUDGET else 'OVER'})")
    print(f"   final loss, mean of the last 100 steps {sum(run.losses[-100:]) / 100:.4f}; "
          f"held-out names {run.val_loss:.4f}")


if __name__ == "__main__":
    main()
