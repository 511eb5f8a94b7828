import json
import logging
import textwrap

import lessonkit.run
from lessonkit import Cache, check_page, run_cached
from lessonkit.run import PROGRESS, log_printed, run_page
from lessonkit.worker import LIVE_AFTER, LIVE_INTERVAL

TRAINING = """
    ```python timeout=10
    import logging
    import threading
    import time

    log = logging.getLogger("training")
    for step in (50, 100):
        log.info("step %d/100 loss %.2f", step, 3.0 - step / 100)
    log.debug("too fine to show")
    worker = threading.Thread(target=lambda: log.warning("from a thread"))
    worker.start(); worker.join()
    time.sleep(0.5)
    print("trained")
    ```

    ```output
    trained
    ```
    """


# Prints a line, runs past LIVE_AFTER, prints a line every 0.35 s, then 40 lines as fast as it can, and says
# when each thing happened in times.json, next to the page.
LONG_SNIPPET = textwrap.dedent(f"""\
    import json, os, time
    from pathlib import Path

    started = time.time()
    print("starting")
    time.sleep({LIVE_AFTER} + 0.5)
    for step in (1, 2, 3):
        print("step", step)
        time.sleep(0.35)
    burst = [time.time()]
    for line in range(40):
        print("line", line)
        time.sleep(0.01)
    burst.append(time.time())
    time.sleep(1)
    Path(os.environ["PAGE_DIR"], "times.json").write_text(json.dumps([started, burst, time.time()]))
    """)
LONG_OUTPUT = ["starting", "step 1", "step 2", "step 3", *(f"line {line}" for line in range(40))]
LONG_TEXT = "".join(line + "\n" for line in LONG_OUTPUT)
LONG_THEN_SHORT = (f"```python timeout=20\n{LONG_SNIPPET}```\n\n```output\n{LONG_TEXT}```\n\n"
                   "```python\nprint('quick')\n```\n\n```output\nquick\n```\n")


def progress_lines(caplog, page):
    """The progress records of this page (the site's build may be running in the background of a whole session,
    logging its own pages' progress on the same logger)."""
    return [(record.name, record.levelname, record.getMessage()) for record in ours(caplog, page)]


def ours(caplog, page):
    return [record for record in caplog.records
            if record.name.startswith(PROGRESS) and record.getMessage().startswith(f"{page.path}:")]


def test_what_a_page_logs_reaches_the_progress_logger_not_its_output(write_page, tmp_path, caplog):
    caplog.set_level(logging.INFO, logger=PROGRESS)
    page = write_page(TRAINING, name="chapter/training.md")
    run = run_cached(page, tmp_path, Cache(tmp_path))
    [result] = [result for result in run.results if result]
    assert result.output == "trained\n"
    assert check_page(page, run) == []
    assert progress_lines(caplog, page) == [
        ("lessonkit.progress.training", "INFO", "docs/chapter/training.md: step 50/100 loss 2.50"),
        ("lessonkit.progress.training", "INFO", "docs/chapter/training.md: step 100/100 loss 2.00"),
        ("lessonkit.progress.training", "WARNING", "docs/chapter/training.md: from a thread"),
    ]


def test_logs_are_not_cached(write_page, tmp_path, caplog):
    page = write_page(TRAINING)
    caplog.set_level(logging.INFO, logger=PROGRESS)
    first = run_cached(page, tmp_path, Cache(tmp_path))
    assert progress_lines(caplog, page)
    caplog.clear()
    again = run_cached(page, tmp_path, Cache(tmp_path))
    assert again.from_cache and not first.from_cache
    assert again.results == first.results
    assert progress_lines(caplog, page) == []


def test_logging_does_not_stop_a_timeout(write_page, tmp_path, caplog):
    caplog.set_level(logging.INFO, logger=PROGRESS)
    page = write_page("""
        ```python timeout=1
        import logging, time
        while True:
            logging.getLogger("training").info("still going")
            time.sleep(0.05)
        ```
        """)
    [result] = [result for result in run_cached(page, tmp_path).results if result]
    assert result.failure.kind == "timeout"
    assert result.output == ""
    assert len(progress_lines(caplog, page)) > 5


def test_a_long_snippet_prints_into_the_log_as_it_runs_and_a_short_one_does_not(write_page, tmp_path, caplog,
                                                                                  monkeypatch):
    """What `mkdocs serve` shows while a long snippet runs: each line it prints, named by the page and the
    snippet's line, from LIVE_AFTER seconds on (its first line held back until then) and before it ends, lines
    that come fast in a few batches; the snippet after it, short, logs nothing; what both printed is unchanged."""
    caplog.set_level(logging.INFO, logger=PROGRESS)
    batches = []  # the text of each batch of printed lines that reaches the log

    def log_and_keep(page, report):
        batches.append(report["text"])
        log_printed(page, report)

    monkeypatch.setattr(lessonkit.run, "log_printed", log_and_keep)
    page = write_page(LONG_THEN_SHORT)
    run = run_page(page, tmp_path)
    assert [result.output for result in run.results] == [LONG_TEXT, "quick\n"]
    assert check_page(page, run) == []
    assert progress_lines(caplog, page) == [(PROGRESS, "INFO", f"docs/page.md:1: {line}") for line in LONG_OUTPUT]

    started, burst, ended = json.loads((tmp_path / "docs" / "times.json").read_text())
    logged = [record.created for record in ours(caplog, page) if record.name == PROGRESS]
    assert logged[0] >= started + LIVE_AFTER - 0.1
    assert all(moment < ended for moment in logged)
    assert batches[:4] == ["starting\n", "step 1\n", "step 2\n", "step 3\n"]
    assert len(batches[4:]) <= (burst[1] - burst[0]) / LIVE_INTERVAL + 2  # the 40 fast lines, batched
