"""Benchmark: a lesson snippet's Run in the page, side by side with a minimal Pyodide page, in one run.

The course is built once (`mkdocs build`) into a temporary folder and served on
127.0.0.1; Debian's Chromium opens it through Playwright, a fresh browser
context (an empty cache) for every measurement.

1. The minimal page: the same Pyodide files the site serves; a click loads
   Pyodide (`loadPyodide`) and runs `print(1)`. Its time from the click to the
   printed 1 is the floor for a first output. A second click runs `print(1)`
   again: a later run.
2. Lesson 2.1: a click on the first snippet's Run, until its live output is in
   the page (the worker starts, loads Pyodide and the deepdive wheel, runs the
   snippet). Then a later run: Run on `show(e)` (which replays the snippets
   before it, once), and Run on it again.

Targets: a first output within 1.20x of the minimal page's, and later runs
under 300 ms. Measurements take turns; the median counts. Times are taken in
the page (performance.now() at the click and when the output arrives).
Run with `make bench`.
"""

import functools
import http.server
import os
import statistics
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright

from lessonkit.mkdocs.config import read_settings

PROJECT = Path(__file__).resolve().parents[2]

REPEATS = 3
VERSION = read_settings(PROJECT / "mkdocs.yml")[1].pyodide.version  # the course's pinned runtime
LESSON = "chapter-2/2.1-values-and-expressions/"
MINIMAL = """<!doctype html>
<meta charset="utf-8">
<title>Minimal Pyodide page</title>
<button id="run">Run</button>
<pre id="out"></pre>
<script type="module">
let pyodide = null;
document.getElementById("run").addEventListener("click", async () => {
  if (!pyodide) {
    const { loadPyodide } = await import("./assets/pyodide/VERSION/pyodide.mjs");
    pyodide = await loadPyodide({ indexURL: new URL("./assets/pyodide/VERSION/", location.href).href });
    pyodide.setStdout({ batched: text => { document.getElementById("out").textContent += text + "\\n"; } });
  }
  pyodide.runPython("print(1)");
});
</script>
"""
# Installed before a click: resolves with the ms from the click until `selector`'s text contains `text`.
CLICK_TO_TEXT = """([button, selector, text]) => new Promise(resolve => {
  const target = document.querySelector(selector);
  const start = performance.now();
  const observer = new MutationObserver(() => {
    if (target.textContent.includes(text)) { observer.disconnect(); resolve(performance.now() - start); }
  });
  observer.observe(target, { childList: true, subtree: true, characterData: true });
  document.querySelector(button).click();
})"""


def main():
    with tempfile.TemporaryDirectory(prefix="run-in-page-bench-") as site:
        site = Path(site)
        built = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-d", str(site)],
                               cwd=PROJECT, capture_output=True, text=True,
                               env={**os.environ, "NO_MKDOCS_2_WARNING": "true"})
        if built.returncode:
            sys.exit(f"mkdocs build failed:\n{built.stderr}")
        (site / "minimal.html").write_text(MINIMAL.replace("VERSION", VERSION))
        with serve(site) as base, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                                 args=["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"])
            minimal, lesson = [], []
            for _ in range(REPEATS):
                minimal.append(measure(browser, base, minimal_page))
                lesson.append(measure(browser, base, lesson_page))
            browser.close()
    report(minimal, lesson)


def measure(browser, base, visit):
    context = browser.new_context()
    outside = []
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(base)
                  else (outside.append(route.request.url), route.abort()))
    try:
        return visit(context.new_page(), base)
    finally:
        context.close()
        if outside:
            sys.exit(f"requests left the site: {outside}")


def minimal_page(page, base):
    page.goto(base + "minimal.html")
    first = page.evaluate(CLICK_TO_TEXT, ["#run", "#out", "1"])
    later = page.evaluate(CLICK_TO_TEXT, ["#run", "#out", "1\n1"])
    return first, [later]


def lesson_page(page, base):
    page.goto(base + LESSON)
    blocks = page.evaluate("""() => [...document.querySelectorAll("[data-snippet]")]
        .filter(block => block.querySelector("textarea"))
        .map(block => [block.dataset.snippet, block.querySelector("textarea").value])""")
    first = blocks[0][0]
    show_e = next(snippet for snippet, code in blocks if code == "show(e)")

    def run(snippet, text):
        block = f'[data-snippet="{snippet}"]'
        page.evaluate(f"""() => document.querySelector('{block} [role=status]').replaceChildren()""")
        return page.evaluate(CLICK_TO_TEXT, [f"{block} .lessonkit-run__run", f"{block} [role=status]", text])

    return run(first, "-7.0"), [run(show_e, "data: -7.0"), run(show_e, "data: -7.0")]


def report(minimal, lesson):
    floor = statistics.median(first for first, _ in minimal)
    ours = statistics.median(first for first, _ in lesson)
    print(f"Run in the page, Pyodide {VERSION} (median of {REPEATS}, each in a fresh browser context):")
    print(f"  first output   minimal page {floor / 1000:5.2f} s   lesson 2.1 {ours / 1000:5.2f} s   "
          f"{ours / floor:.2f}x (target: at most 1.20x)")
    floor_later = statistics.median(ms for _, later in minimal for ms in later)
    replayed = statistics.median(later[0] for _, later in lesson)
    again = statistics.median(later[1] for _, later in lesson)
    print(f"  later run      minimal page {floor_later:5.0f} ms  lesson 2.1: show(e), replaying the snippets "
          f"before it once, {replayed:.0f} ms; show(e) again {again:.0f} ms (target: under 300 ms)")


class serve:
    """The folder on 127.0.0.1 at a free port, for the duration of a `with`."""

    def __init__(self, folder):
        handler = functools.partial(QuietHandler, directory=str(folder))
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)

    def __enter__(self):
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return f"http://127.0.0.1:{self.server.server_port}/"

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


if __name__ == "__main__":
    main()
