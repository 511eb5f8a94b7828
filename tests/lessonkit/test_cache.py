import json
import logging
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from lessonkit import Cache, PageRun, check_page, parse_page, read_page, run_cached, run_pages
from lessonkit.batch import submit_pages

LESSON = """\
# {title}

```python
import helper
print(helper.greet())
```

```output
hello
```
"""

OTHER = """\
Another page.

```python
print(2 + 2)
```
"""


def build(pages, tmp_path):
    """Run the pages as a build would: through the cache; say how many snippets ran on each."""
    runs = run_pages(pages, root=tmp_path, cache=Cache(tmp_path))
    return [run.snippets_run for run in runs]


def test_prose_edits_rerun_nothing_and_a_snippet_edit_reruns_only_its_page(write_page, tmp_path, monkeypatch):
    (tmp_path / "helper.py").write_text('def greet():\n    return "hello"\n')
    monkeypatch.setenv("PYTHONPATH", str(tmp_path))
    lesson, other = write_page(LESSON.format(title="First"), "lesson.md"), write_page(OTHER, "other.md")
    assert build([lesson, other], tmp_path) == [1, 1]

    lesson = write_page(LESSON.format(title="A new title") + "\nMore prose.\n", "lesson.md")
    lesson = write_page(lesson.text.replace("```output\nhello\n```", "```output\nstale\n```"), "lesson.md")
    assert build([lesson, other], tmp_path) == [0, 0]

    other = write_page(OTHER.replace("2 + 2", "2 + 3"), "other.md")
    assert build([lesson, other], tmp_path) == [0, 1]


def test_editing_an_imported_project_module_reruns_the_pages_that_import_it(write_page, tmp_path, monkeypatch):
    helper = tmp_path / "helper.py"
    helper.write_text('def greet():\n    return "hello"\n')
    monkeypatch.setenv("PYTHONPATH", str(tmp_path))
    lesson, other = write_page(LESSON.format(title="First"), "lesson.md"), write_page(OTHER, "other.md")
    assert build([lesson, other], tmp_path) == [1, 1]

    helper.write_text('def greet():\n    return "hi"\n')
    assert build([lesson, other], tmp_path) == [1, 0]


def test_failures_are_not_cached_and_the_cache_is_safe_to_delete(write_page, tmp_path):
    failing = write_page("```python\nraise SystemExit(3)\n```\n", "failing.md")
    other = write_page(OTHER, "other.md")
    assert build([failing, other], tmp_path) == [1, 1]
    assert build([failing, other], tmp_path) == [1, 0]

    shutil.rmtree(tmp_path / ".cache")
    assert build([failing, other], tmp_path) == [1, 1]


EXERCISE = (Path(__file__).parents[1] / "fixtures" / "square-exercise.md").read_text()
BUILDS_ON = "---\nbuilds-on: [square]\n---\n\n```python\nprint(square(5))\n```\n\n```output\n25\n```\n"


def test_editing_the_solution_a_page_builds_on_reruns_that_page_and_nothing_else_on_the_earlier_page_does(
        write_page, tmp_path):
    def build_two():
        page = read_page("docs/two.md", tmp_path)
        [run] = run_pages([page], root=tmp_path, cache=Cache(tmp_path))
        assert check_page(page, run) == []
        return run.snippets_run

    write_page(EXERCISE, "one.md")
    write_page(BUILDS_ON, "two.md")
    assert build_two() == 1
    write_page(EXERCISE.replace("Multiply.", "Multiply x by itself.").replace("return x\n", "return x + 1\n"), "one.md")
    assert build_two() == 0  # the hint and the starter are not what two.md runs
    write_page(EXERCISE.replace("return x * x", "return x ** 2"), "one.md")
    assert build_two() == 1


RAISES = """\
```python raises=ValueError timeout=5
raise ValueError("bad")
```

```output
ValueError: bad
```
"""


def test_every_option_that_changes_a_run_is_in_its_key(write_page, tmp_path):
    """A cached pass under one `raises=` or `timeout=` says nothing about another: each change is a miss."""
    page = write_page(RAISES)
    assert build([page], tmp_path) == [1]
    assert build([page], tmp_path) == [0]
    for old, new in [("raises=ValueError", "raises=Exception"), ("timeout=5", "timeout=6")]:
        page = write_page(page.text.replace(old, new))
        assert build([page], tmp_path) == [1], f"{old} -> {new} came from the cache"


def test_a_copied_checkout_reuses_its_cache_and_checks_it_against_its_own_files(write_page, tmp_path, monkeypatch):
    original = tmp_path / "original"
    (original / "docs").mkdir(parents=True)
    (original / "helper.py").write_text('def greet():\n    return "hello"\n')
    (original / "docs" / "lesson.md").write_text(LESSON.format(title="First"))
    page = parse_page(LESSON.format(title="First"), "docs/lesson.md")
    monkeypatch.setenv("PYTHONPATH", str(original))
    assert build([page], original) == [1]

    copy = tmp_path / "copy"
    shutil.copytree(original, copy)
    monkeypatch.setenv("PYTHONPATH", str(copy))
    assert build([page], copy) == [0]  # restored elsewhere, the cache still counts

    (copy / "helper.py").write_text('def greet():\n    return "hi"\n')
    assert build([page], copy) == [1]  # the copy's own helper changed, not the original's
    assert build([page], original) == [0]


def test_editing_a_data_file_that_a_snippet_read_reruns_its_page(write_page, tmp_path):
    data = tmp_path / "docs" / "numbers.txt"
    data.parent.mkdir(parents=True)
    data.write_text("1 2 3\n")
    reading = write_page("""
        ```python
        import os
        print(sum(map(int, open(os.path.join(os.environ["PAGE_DIR"], "numbers.txt")).read().split())))
        ```
        """, "reading.md")
    other = write_page(OTHER, "other.md")
    assert build([reading, other], tmp_path) == [1, 1]
    assert build([reading, other], tmp_path) == [0, 0]

    data.write_text("1 2 4\n")
    runs = run_pages([reading, other], root=tmp_path, cache=Cache(tmp_path))
    assert [run.snippets_run for run in runs] == [1, 0]
    assert runs[0].results[0].output == "7\n"


@pytest.mark.parametrize("damage", [
    lambda text: text[:len(text) // 2],  # cut short
    lambda text: "not json at all",
    lambda text: json.dumps({"format": 1, "modules": {}, "results": []}),  # another version's
    lambda text: json.dumps({**json.loads(text), "results": []}),  # a result count that does not match
    lambda text: json.dumps({**json.loads(text), "results": [{"output": 42, "displays": []}]}),
    lambda text: "[]",
], ids=["truncated", "corrupt", "old-format", "count", "wrong-type", "foreign"])
def test_a_damaged_entry_is_a_miss_with_a_warning(write_page, tmp_path, caplog, damage):
    page = write_page(OTHER)
    assert build([page], tmp_path) == [1]
    [entry] = (tmp_path / ".cache" / "lessonkit").glob("*.json")
    entry.write_text(damage(entry.read_text()))
    with caplog.at_level(logging.WARNING, logger="lessonkit.cache"):
        runs = run_pages([page], root=tmp_path, cache=Cache(tmp_path))
    assert runs[0].snippets_run == 1 and runs[0].results[0].output == "4\n"
    assert f"ignoring the cache entry {entry}" in caplog.text
    assert build([page], tmp_path) == [0]  # the fresh run replaced it


def test_a_run_with_another_number_of_results_than_the_page_has_snippets_is_an_error(write_page, tmp_path):
    page = write_page(OTHER)
    with pytest.raises(ValueError, match=r"docs/page.md: a run with 0 results for a page of 1 snippets"):
        check_page(page, PageRun(()))


def test_an_entry_that_cannot_be_written_leaves_no_file_behind(write_page, tmp_path, monkeypatch):
    page = write_page(OTHER)
    def disk_full(entry, file):
        file.write('{"format": ')
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(json, "dump", disk_full)
    with pytest.raises(OSError, match="No space left"):
        build([page], tmp_path)
    assert list((tmp_path / ".cache" / "lessonkit").iterdir()) == []


LOGGED = """\
```python
import os, time
with open(os.environ["RUNS_LOG"], "a") as log:
    log.write("ran\\n")
time.sleep(0.5)
```
"""


def test_two_threads_that_want_one_page_at_once_run_it_once(write_page, tmp_path, monkeypatch):
    monkeypatch.setenv("RUNS_LOG", str(tmp_path / "runs.log"))
    page = write_page(LOGGED)
    with ThreadPoolExecutor(max_workers=2) as pool:  # as pytest and a mkdocs build would, in two processes
        runs = list(pool.map(lambda _: run_cached(page, tmp_path, Cache(tmp_path)), range(2)))
    assert (tmp_path / "runs.log").read_text() == "ran\n"
    assert sorted(run.from_cache for run in runs) == [False, True]
    assert not list((tmp_path / ".cache" / "lessonkit").glob("*.lock"))  # each lock is gone with its run


def test_the_cache_may_live_elsewhere(write_page, tmp_path, monkeypatch):
    monkeypatch.setenv("LESSONKIT_CACHE", str(tmp_path / "elsewhere"))
    page = write_page(OTHER)
    assert build([page], tmp_path) == [1]
    assert build([page], tmp_path) == [0]
    assert len(list((tmp_path / "elsewhere").glob("*.json"))) == 1 and not (tmp_path / ".cache").exists()


def test_pages_start_longest_first_by_their_last_run_and_those_never_run_before_all(write_page, tmp_path):
    short, never, long = (write_page(OTHER, f"{name}.md") for name in ("short", "never", "long"))
    assert build([short, long], tmp_path) == [1, 1]
    cache = Cache(tmp_path)
    assert sorted(cache.run_times()) == ["docs/long.md", "docs/short.md"]
    cache.record_run_time("docs/long.md", 60.0)

    class Recording:
        """A pool that records what it is given, in order, and runs nothing."""
        def __init__(self):
            self.started = []

        def submit(self, function, page, *arguments):
            self.started.append(page.path)
            return page.path

    pool = Recording()
    assert submit_pages(pool, [short, never, long], tmp_path, cache) == ["docs/short.md", "docs/never.md",
                                                                          "docs/long.md"]  # in page order
    assert pool.started == ["docs/never.md", "docs/long.md", "docs/short.md"]
