import shutil

from lessonkit.batch import run_pages
from lessonkit.cache import Cache
from lessonkit.parse import parse_page

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
