import logging

from lessonkit import Cache, check_page, run_cached
from lessonkit.run import PROGRESS

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


def progress_lines(caplog):
    return [(record.name, record.levelname, record.getMessage())
            for record in caplog.records if record.name.startswith(PROGRESS)]


def test_what_a_page_logs_reaches_the_progress_logger_not_its_output(write_page, tmp_path, caplog):
    caplog.set_level(logging.INFO, logger=PROGRESS)
    page = write_page(TRAINING, name="chapter/training.md")
    run = run_cached(page, tmp_path, Cache(tmp_path))
    [result] = [result for result in run.results if result]
    assert result.output == "trained\n"
    assert check_page(page, run) == []
    assert progress_lines(caplog) == [
        ("lessonkit.progress.training", "INFO", "docs/chapter/training.md: step 50/100 loss 2.50"),
        ("lessonkit.progress.training", "INFO", "docs/chapter/training.md: step 100/100 loss 2.00"),
        ("lessonkit.progress.training", "WARNING", "docs/chapter/training.md: from a thread"),
    ]


def test_logs_are_not_cached(write_page, tmp_path, caplog):
    page = write_page(TRAINING)
    caplog.set_level(logging.INFO, logger=PROGRESS)
    first = run_cached(page, tmp_path, Cache(tmp_path))
    assert progress_lines(caplog)
    caplog.clear()
    again = run_cached(page, tmp_path, Cache(tmp_path))
    assert again.from_cache and not first.from_cache
    assert again.results == first.results
    assert progress_lines(caplog) == []


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
    assert len(progress_lines(caplog)) > 5
