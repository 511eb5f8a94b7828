import shutil

from lessonkit.batch import run_pages
from lessonkit.cache import Cache

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
    runs = run_pages(pages, root=tmp_path, cache=Cache(tmp_path / ".cache" / "lessonkit"))
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
