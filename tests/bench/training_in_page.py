"""Benchmark: the course's GPT training in the page against the build, and how soon 4.5's training shows progress.

The course is built once (`mkdocs build`) into a temporary folder (or a site
already built is given as the one argument) and served on 127.0.0.1; Debian's
Chromium opens it through Playwright, a fresh browser context (an empty cache)
for each page visited, and waits for coi-serviceworker.js to make the page
cross-origin isolated (one reload), as a learner's first visit does.

1. A training step of deepdive.gpt's GPT: the same code runs N steps in the
   page's worker (Pyodide, through `window.lessonkitRun.run` on lesson 4.5's
   page) and in the build's Python (CPython, a fresh subprocess), taking turns
   in one run on one machine. The code builds GPT(Config(), seed=42) and Adam,
   then times each step as deepdive.gpt.train does it (the loss of one name of
   the training split, zero_grad, backward, the decayed learning rate, Adam's
   step, with the cycle collector paused) with time.perf_counter. A turn's figure is the mean step over steps 2
   to N (step 1 warms up); the median of the turns counts. Wall time on both
   sides (the page's Python has no processor clock of its own), so the turns
   share a busy machine's slow moments. For context, a third runner in each
   turn: the build's Python with its cycle collector on, as training ran before
   deepdive.engine.cycle_collector_off, which shows how much of a step CPython
   3.11's collector took, scanning the graph being built.
   Target: page/build at most 1.30x.
2. Lesson 4.5's training snippet as the page has it (its in-page line,
   `steps = 150`), with Python already started: a first Run of the snippet
   before it loads Pyodide and replays the earlier snippets, then a click on
   the training snippet's Run, timed in the page (performance.now() at the
   click, a MutationObserver on the block) until its first progress line
   (`.lessonkit-progress`, the `deepdive.training` logger's records) shows,
   and on until the first line of a training step. Then Stop, timed until the
   page says Stopped. The first streamed output is timed too, for a page
   without progress lines (the snippet prints only when it is done). For
   context, a second Run of the snippet before: a warm Run's round trip.
   Target: the first progress line under 3 s.

Run with `make bench`, or `python tests/bench/training_in_page.py [site]`.
"""

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).parent))

from run_in_page import PROJECT, VERSION, measure, serve  # noqa: E402

LESSON = "chapter-4/4.5-training-it-and-sampling/"
TURNS = 5  # of part 1: page and build, one after the other
STEPS = 12  # training steps in each turn
VISITS = 3  # of part 2, each in a fresh browser context
STEP_TARGET = 1.30  # page/build
PROGRESS_TARGET = 3.0  # seconds from Run to the first progress line
PROGRESS_WAIT = 90_000  # ms to wait for the first training step's line before giving up
ISOLATION_WAIT = 20  # s for coi-serviceworker.js to make the page cross-origin isolated

# The step of deepdive.gpt.train, timed; the same code in the page and in the build.
TRAINING_STEPS = """\
import contextlib, json, sys, time

from deepdive.data import Vocabulary, read_names, split, with_ends
from deepdive.engine import cycle_collector_off
from deepdive.gpt import GPT, Adam, Config

names = read_names()
training, _ = split(names)
vocab = Vocabulary(names)
model = GPT(Config(), seed=42)
optimizer = Adam(model.parameters(), lr=0.01)
seconds = []
with COLLECTOR:
    for step in range(STEPS):
        start = time.perf_counter()
        loss = model.loss(vocab.encode(with_ends(training[step % len(training)])))
        optimizer.zero_grad()
        loss.backward()
        optimizer.lr = 0.01 * (1 - step / STEPS)
        optimizer.step()
        seconds.append(time.perf_counter() - start)
print("TIMES", json.dumps({"seconds": seconds, "loss": loss.data, "python": sys.version.split()[0],
                           "platform": sys.platform, "parameters": len(model.parameters())}))
"""
AS_TRAIN_DOES = "cycle_collector_off()"  # deepdive.gpt.train pauses the cycle collector
COLLECTOR_ON = "contextlib.nullcontext()"


def training_steps(steps, collector=AS_TRAIN_DOES):
    return TRAINING_STEPS.replace("STEPS", str(steps)).replace("COLLECTOR", collector)


# Resolves with what lessonkitRun.run answers for `code` run as snippet `id`.
RUN_CODE = """async ([id, code]) => {
  const result = await window.lessonkitRun.run(id, code);
  return { output: result.output, error: result.error ? result.error.traceback : null };
}"""

# Clicks snippet `id`'s Run; resolves with the ms until its output region is no longer busy (the run is done).
RUN_TO_DONE = """([id]) => new Promise(resolve => {
  const block = document.querySelector(`[data-snippet="${id}"]`);
  const output = block.querySelector("[role=status]");
  const start = performance.now();
  const observer = new MutationObserver(() => {
    if (!output.hasAttribute("aria-busy")) { observer.disconnect(); resolve(performance.now() - start); }
  });
  observer.observe(output, { attributes: true, attributeFilter: ["aria-busy"] });
  block.querySelector(".lessonkit-run__run").click();
})"""

# Clicks snippet `id`'s Run; resolves with the ms from the click to: the snippet starting (replays done), the
# first progress line, the first training step's line, the first streamed output; and those lines' text.
RUN_TO_PROGRESS = """([id, wait]) => new Promise(resolve => {
  const block = document.querySelector(`[data-snippet="${id}"]`);
  const seen = {};
  let start, timer;
  const look = () => {
    const live = block.querySelector(".lessonkit-run__live");
    if (!live) return;
    const now = performance.now() - start;
    const status = live.querySelector(".lessonkit-run__progress");
    if (seen.started == null && status && status.textContent.trim() === "Running…") seen.started = now;
    const lines = live.querySelector(".lessonkit-progress:not([hidden]) code");
    if (lines && lines.textContent.trim()) {
      const text = lines.textContent.split("\\n");
      if (seen.progress == null) [seen.progress, seen.firstLine] = [now, text[0]];
      const step = text.find(line => /\\bstep\\s+\\d+/.test(line));
      if (step && seen.step == null) [seen.step, seen.stepLine] = [now, step];
    }
    const printed = live.querySelector(":scope > .lessonkit-output:not([hidden]) code");
    if (seen.output == null && printed && printed.textContent) seen.output = now;
    if (seen.step != null) done();
  };
  const observer = new MutationObserver(look);
  const done = () => { observer.disconnect(); clearTimeout(timer); resolve(seen); };
  observer.observe(block, { childList: true, subtree: true, characterData: true, attributes: true,
                            attributeFilter: ["hidden"] });
  timer = setTimeout(done, wait);
  start = performance.now();
  block.querySelector(".lessonkit-run__run").click();
})"""

# Clicks Stop; resolves with the ms until the page says the run stopped, and whether Python was restarted.
STOP = """([id]) => new Promise(resolve => {
  const block = document.querySelector(`[data-snippet="${id}"]`);
  const output = block.querySelector("[role=status]");
  const start = performance.now();
  const look = () => {
    const note = [...output.querySelectorAll(".lessonkit-run__note")].find(n => n.textContent.startsWith("Stopped"));
    if (note) {
      observer.disconnect();
      resolve({ ms: performance.now() - start, inPlace: !note.textContent.includes("restarted") });
    }
  };
  const observer = new MutationObserver(look);
  observer.observe(output, { childList: true, subtree: true, characterData: true });
  block.querySelector(".lessonkit-run__stop").click();
})"""


def main():
    if len(sys.argv) > 1:
        run(Path(sys.argv[1]))
        return
    with tempfile.TemporaryDirectory(prefix="training-in-page-bench-") as site:
        build(Path(site))
        run(Path(site))


def build(site):
    built = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-d", str(site)],
                           cwd=PROJECT, capture_output=True, text=True,
                           env={**os.environ, "NO_MKDOCS_2_WARNING": "true"})
    if built.returncode:
        sys.exit(f"mkdocs build failed:\n{built.stderr}")


def run(site):
    with serve(site) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                             args=["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"])
        try:
            steps = measure(browser, base, step_turns)
            visits = [measure(browser, base, training_progress) for _ in range(VISITS)]
        finally:
            browser.close()
    report(steps, visits)


def open_lesson(page, base):
    """Lesson 4.5, cross-origin isolated once coi-serviceworker.js has reloaded it (False if it never is)."""
    page.goto(base + LESSON)
    deadline = time.monotonic() + ISOLATION_WAIT
    while time.monotonic() < deadline:
        try:  # the service worker's reload destroys the page's context under an evaluate
            if page.evaluate("() => window.crossOriginIsolated && !!window.lessonkitRun"):
                return True
        except PlaywrightError:
            pass
        time.sleep(0.2)
    page.wait_for_function("() => !!window.lessonkitRun")
    return False


def step_turns(page, base):
    """Part 1: TURNS turns, each N steps in the page's worker, then the same in a CPython subprocess."""
    isolated = open_lesson(page, base)
    first = page.evaluate("() => document.querySelector('[data-snippet]').dataset.snippet")
    in_page(page, first, 2)  # starts the worker and imports deepdive: not timed
    turns = []
    for _ in range(TURNS):
        turns.append((in_page(page, first, STEPS), in_build(STEPS), in_build(STEPS, COLLECTOR_ON)))
    return {"isolated": isolated, "turns": turns}


def in_page(page, snippet, steps):
    result = page.evaluate(RUN_CODE, [snippet, training_steps(steps)])
    if result["error"]:
        sys.exit(f"the training steps failed in the page:\n{result['error']}")
    return timings(result["output"])


def in_build(steps, collector=AS_TRAIN_DOES):
    done = subprocess.run([sys.executable, "-c", training_steps(steps, collector)], cwd=PROJECT,
                          capture_output=True, text=True, env={**os.environ, "PYTHONHASHSEED": "0"})
    if done.returncode:
        sys.exit(f"the training steps failed in CPython:\n{done.stderr}")
    return timings(done.stdout)


def timings(output):
    line = next(line for line in output.splitlines() if line.startswith("TIMES "))
    return json.loads(line.removeprefix("TIMES "))


def training_progress(page, base):
    """Part 2: warm Python with the snippet before 4.5's training, then Run the training until its progress, Stop."""
    isolated = open_lesson(page, base)
    snippets = page.evaluate("""() => [...document.querySelectorAll("[data-snippet]")]
        .filter(block => block.querySelector("textarea"))
        .map(block => [block.dataset.snippet, block.querySelector("textarea").value])""")
    training = next(i for i, (_, code) in enumerate(snippets) if "trained(" in code)
    if training == 0:
        sys.exit("lesson 4.5's training snippet has no live snippet before it to start Python with")
    before, (snippet, code) = snippets[training - 1][0], snippets[training]
    cold = page.evaluate(RUN_TO_DONE, [before])
    warm = page.evaluate(RUN_TO_DONE, [before])
    seen = page.evaluate(RUN_TO_PROGRESS, [snippet, PROGRESS_WAIT])
    running = page.locator(f'[data-snippet="{snippet}"] .lessonkit-run__stop').is_visible()
    stop = page.evaluate(STOP, [snippet]) if running else None  # (a run that ended before has nothing to stop)
    steps_line = next((line.split("#")[0].strip() for line in code.splitlines() if line.startswith("steps =")),
                      "its code as the page has it")
    return {"isolated": isolated, "cold": cold, "warm": warm, "seen": seen, "stop": stop, "steps": steps_line}


def report(steps, visits):
    turns = steps["turns"]
    page_step = statistics.median(mean_step(page) for page, _, _ in turns)
    build_step = statistics.median(mean_step(build) for _, build, _ in turns)
    collector_on_step = statistics.median(mean_step(on) for _, _, on in turns)
    page_run, build_run, _ = turns[0]
    ratio = page_step / build_step
    print(f"Training the course's GPT ({page_run['parameters']:,} parameters) in the page, Pyodide {VERSION} "
          f"(Python {page_run['python']}), against the build's Python {build_run['python']}:")
    print(f"1. a training step, as deepdive.gpt.train takes it, steps 2-{STEPS} of {STEPS} "
          f"(median of {TURNS} turns, taking turns)")
    print(f"   build {build_step * 1000:6.1f} ms a step   page {page_step * 1000:6.1f} ms a step   "
          f"page/build {ratio:.2f}x (target: at most {STEP_TARGET:.2f}x: {verdict(ratio <= STEP_TARGET)})")
    print(f"   for context, the build's Python with its cycle collector on {collector_on_step * 1000:6.1f} ms a step: "
          f"page/that {page_step / collector_on_step:.2f}x")
    if abs(page_run["loss"] - build_run["loss"]) > 1e-9:
        print(f"   the last step's loss differs: page {page_run['loss']!r}, build {build_run['loss']!r}")
    if not steps["isolated"]:
        print("   (the page was not cross-origin isolated)")

    seen = [visit["seen"] for visit in visits]
    measured = "progress" if all(s.get("progress") is not None for s in seen) else "output"
    print(f"2. lesson 4.5's training snippet in the page ({visits[0]['steps']}), Python started "
          f"(median of {VISITS} visits, each a fresh browser context)")
    if any(s.get(measured) is None for s in seen):
        print(f"   no progress line and no streamed output within {PROGRESS_WAIT / 1000:.0f} s of Run: "
              f"{verdict(False)}")
    else:
        first = statistics.median(s[measured] for s in seen) / 1000
        what = "its first progress line" if measured == "progress" else \
            "its first streamed output (the page shows no progress lines)"
        print(f"   Run to {what}  {first:5.2f} s (target: under {PROGRESS_TARGET:.0f} s: "
              f"{verdict(first < PROGRESS_TARGET)})")
        if measured == "progress":
            print(f"     it said: {seen[0]['firstLine']!r}")
    stepped = [s["step"] for s in seen if s.get("step") is not None]
    if stepped:
        print(f"   Run to its first training step's line  {statistics.median(stepped) / 1000:5.2f} s   "
              f"{seen[0]['stepLine']!r}")
    started = [s["started"] for s in seen if s.get("started") is not None]
    if started:
        print(f"   Run to the snippet starting (its earlier snippets replayed)  "
              f"{statistics.median(started) / 1000:5.2f} s")
    print(f"   for context: the snippet before it, a first Run (Python starting) "
          f"{statistics.median(v['cold'] for v in visits) / 1000:.1f} s, a second Run "
          f"{statistics.median(v['warm'] for v in visits):.0f} ms")
    stops = [v["stop"] for v in visits if v["stop"]]
    if stops:
        how = "Python interrupted in place" if all(s["inPlace"] for s in stops) else \
            f"Python ended and restarted in {sum(not s['inPlace'] for s in stops)} of {len(stops)}"
        print(f"   Stop to 'Stopped'  {statistics.median(s['ms'] for s in stops):.0f} ms ({how})")
    if not all(v["isolated"] for v in visits):
        print("   (the page was not cross-origin isolated in every visit)")


def mean_step(run):
    later = run["seconds"][1:]
    return sum(later) / len(later)


def verdict(met):
    return "met" if met else "MISSED"


if __name__ == "__main__":
    main()
