"""Runs as the learner watches them: output and progress as they come, Stop, Check's time limit and what Check
shows, the replay of a snippet that must raise, and the settings' `env` in the page's Python.

One small project (PAGE, with the plugin's `timeout` and `env` settings) is built once and served on
127.0.0.1. One visit is cross-origin isolated, as a learner's is once coi-serviceworker.js has reloaded their
first page; the other blocks service workers, as where one cannot register, so that Stop must end Python
there. Each visit starts Python once; the tests of a visit share its page, in file order.
"""

import re
import textwrap

import pytest
from local_server import serving
from playwright.sync_api import expect
from shared_runtime import share_runtime
from test_run_small_projects import build

pytestmark = pytest.mark.xdist_group("live-runs")  # one process (pytest -n) makes its module fixtures once
STARTING = 90_000  # ms: the first Run of a visit loads Python
PAGE = '''
# Live runs

```python
import logging
import time


def busy(seconds):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        pass
```

```python
for step in range(4):
    print(f"step {step}")
    logging.getLogger("training").info(f"step {step} loss {3 - step / 2}")
    busy(0.5)
```

```output
step 0
step 1
step 2
step 3
```

```python
trained = 0
for _ in range(1000):
    trained += 1
```

```python raises="ValueError"
int("seven")
```

```output
ValueError: invalid literal for int() with base 10: 'seven'
```

```python
import os

print(trained > 0, os.environ.get("COURSE_DATA", "unset"))
```

```output
True unset
```

!!! exercise "Double it"

    Write `double`.

    ```python exercise="double" timeout=2
    def double(x):
        return x
    ```

    ```python check="double"
    assert double(2) == 4, f"double(2) should be 4, not {double(2)}"
    ```

    ??? success "Solution"

        ```python solution="double"
        def double(x):
            return 2 * x
        ```

!!! exercise "Halve it"

    Write `halve`.

    ```python exercise="halve"
    def halve(x):
        return x
    ```

    ```python check="halve"
    assert halve(4) == 2, f"halve(4) should be 2, not {halve(4)}"
    ```

    ??? success "Solution"

        ```python solution="halve"
        def halve(x):
            return x / 2
        ```
'''
CONFIG = """
site_name: live runs
theme:
  name: material
  font: false
markdown_extensions: [admonition, attr_list, md_in_html, pymdownx.details, pymdownx.superfences, pymdownx.highlight]
plugins:
  - search
  - lessonkit:
      timeout: 20
      env:
        COURSE_DATA: data/
"""
ENDLESS = "trained = 0\nwhile True:\n    trained += 1\n"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The project, built strictly, and served: its URL."""
    root = share_runtime(tmp_path_factory.mktemp("live-runs"))
    (root / "mkdocs.yml").write_text(textwrap.dedent(CONFIG))
    (root / "docs").mkdir()
    (root / "docs" / "index.md").write_text(PAGE.lstrip())
    built = build(root, "--strict")
    assert built.returncode == 0, built.stderr
    with serving(root / "site") as url:
        yield url


@pytest.fixture(scope="module")
def isolated(visiting, site):
    page = visiting(site)
    assert page.evaluate("crossOriginIsolated")
    return page


@pytest.fixture(scope="module")
def not_isolated(visiting, site):
    page = visiting(site, isolated=False)
    assert not page.evaluate("crossOriginIsolated")
    return page


def snippet(page, number):
    """The block of the page's shown snippet `number`, counted from 1."""
    return page.locator("[data-snippet]").nth(number - 1)


def output(block):
    return block.get_by_role("status", name=re.compile("^Output"))


def exercise(page, title):
    return page.locator(".admonition.exercise").filter(has=page.locator(".admonition-title", has_text=title))


def feedback(block):
    return block.get_by_role("status", name=re.compile("^Feedback"))


def test_a_snippet_that_must_raise_replays_without_a_warning(isolated):
    last = snippet(isolated, 5)  # the visit's first run: snippets 1 to 4 replay, 4 raising as it must
    last.get_by_role("button", name="Run").click()
    expect(output(last)).to_contain_text("True", timeout=STARTING)
    expect(output(last).get_by_text("raised an error when it was replayed")).to_have_count(0)


def test_the_settings_env_reaches_the_pages_python_as_a_url(isolated, site):
    last = snippet(isolated, 5)
    last.get_by_role("button", name="Run").click()
    # its output block: a first Run replays the earlier snippets, whose progress lines may stay above it
    expect(output(last).locator(".lessonkit-output")).to_have_text(re.compile(rf"^\s*Output\s*True {re.escape(site)}data/\s*$"),
                                                                   timeout=STARTING)


def test_prints_and_progress_show_as_they_come_and_the_result_as_the_build_has_it(isolated):
    training = snippet(isolated, 2)
    built = output(training).locator(".lessonkit-output code").text_content()
    training.get_by_role("button", name="Run").click()
    progress = output(training).locator(".lessonkit-progress")
    expect(output(training).locator(".lessonkit-output")).to_contain_text("step 0", timeout=STARTING)
    # seen 1.5 s before the snippet ends: it still runs, with its first log record as progress, not output
    expect(output(training).get_by_text("Running…")).to_be_visible()
    expect(progress).to_contain_text("step 0 loss 3.0")
    assert "loss" not in output(training).locator(".lessonkit-output").text_content()

    expect(output(training).get_by_text("Running…")).to_have_count(0, timeout=10_000)
    assert output(training).locator(".lessonkit-output code").text_content() == built.rstrip("\n")  # as run.js has it
    expect(progress).to_have_count(1)  # the last lines stay, as progress
    expect(progress).to_contain_text("last 3 of 4 lines")
    expect(progress.locator("code")).to_have_text("step 1 loss 2.5\nstep 2 loss 2.0\nstep 3 loss 1.5")
    color = "code => getComputedStyle(code).color"
    assert progress.locator("code").evaluate(color) != output(training).locator(".lessonkit-output code").evaluate(
        color), "progress is not dimmer than the output"


def test_stop_interrupts_python_and_the_namespace_stays(isolated):
    endless = snippet(isolated, 3)
    endless.get_by_role("textbox").fill(ENDLESS)
    endless.get_by_role("button", name="Run").click()
    expect(output(endless).get_by_text("Running…")).to_be_visible(timeout=STARTING)
    endless.get_by_role("button", name="Stop").click()
    expect(output(endless)).to_contain_text("Stopped at line 3. What ran before the stop stays defined")
    expect(endless.get_by_role("button", name="Stop")).to_be_hidden()

    last = snippet(isolated, 5)  # Python was not restarted: snippet 3 is not replayed, its loop not run again
    last.get_by_role("button", name="Run").click()
    expect(output(last)).to_contain_text("True", timeout=5_000)
    counted = isolated.evaluate("([id, code]) => window.lessonkitRun.run(id, code)",
                                [last.get_attribute("data-snippet"), "print(trained > 1000)\n"])
    assert counted["output"] == "True\n"  # the loop counted past what snippet 3's lesson code counts to
    endless.get_by_role("button", name="Reset").click()


def test_check_stops_learner_code_at_the_builds_time_limit(isolated):
    double = exercise(isolated, "Double it")
    double.get_by_role("textbox").fill("def double(x):\n    while True:\n        pass\n")
    double.get_by_role("button", name="Check").click()
    expect(feedback(double)).to_have_attribute("data-outcome", "error", timeout=STARTING)
    expect(feedback(double)).to_contain_text("Stopped after 2 s, the time limit the build gives this exercise")
    double.get_by_role("textbox").fill("def double(x):\n    return x + x\n")
    double.get_by_role("button", name="Check").click()
    expect(feedback(double)).to_have_attribute("data-outcome", "pass", timeout=5_000)  # the same Python goes on


def test_stop_during_check(isolated):
    halve = exercise(isolated, "Halve it")  # the course's limit, 20 s
    halve.get_by_role("textbox").fill("def halve(x):\n    while True:\n        pass\n")
    halve.get_by_role("button", name="Check").click()
    expect(feedback(halve)).to_have_attribute("data-outcome", "running")
    stop = halve.get_by_role("button", name="Stop")
    expect(stop).to_be_visible()
    stop.click()
    expect(feedback(halve)).to_have_text("Stopped before the checks finished.", timeout=5_000)
    expect(stop).to_be_hidden()


def test_check_shows_the_traceback_the_marked_line_and_what_the_learner_printed(isolated):
    double = exercise(isolated, "Double it")
    double.get_by_role("textbox").fill("def double(x):\n    print('doubling', x)\n    return x + undefined\n")
    double.get_by_role("button", name="Check").click()
    expect(feedback(double)).to_have_attribute("data-outcome", "error", timeout=STARTING)
    expect(feedback(double)).to_contain_text("NameError: name 'undefined' is not defined")
    shown = output(double)
    expect(shown.locator(".lessonkit-output").first).to_have_text(re.compile(r"^\s*Output\s*doubling 2\s*$"))
    expect(shown.locator(".lessonkit-run__error .filename")).to_have_text(
        "Line 3: NameError: name 'undefined' is not defined")
    expect(shown.locator(".lessonkit-run__error")).to_contain_text('File "snippet 6", line 3, in double')
    expect(double.locator(".lessonkit-run__error-line")).to_have_text("    return x + undefined")


def test_stop_without_isolation_ends_python_says_what_was_lost_and_the_next_run_replays(not_isolated):
    endless = snippet(not_isolated, 3)
    endless.get_by_role("textbox").fill(ENDLESS)
    endless.get_by_role("button", name="Run").click()
    expect(output(endless).get_by_text("Running…")).to_be_visible(timeout=STARTING)
    endless.get_by_role("button", name="Stop").click()
    expect(output(endless)).to_have_text(
        "Stopped. Python was ended and restarted, so what the snippets defined (busy, logging, step, time) is gone: "
        "the next Run replays the earlier snippets first.")
    endless.get_by_role("button", name="Reset").click()
    last = snippet(not_isolated, 5)
    last.get_by_role("button", name="Run").click()
    expect(output(last)).to_contain_text("True", timeout=STARTING)
