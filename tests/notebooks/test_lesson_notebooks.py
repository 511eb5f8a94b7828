"""Every lesson exports to a notebook that validates, runs top to bottom, and prints what the page shows.

A notebook runs in a copy of its page's folder, so that it finds the data files
next to the page, as the build does. From its first long snippet on (one allowed
more than the default time: it trains a model), the test leaves out the
build-only cells, which may need what that snippet made; those are checked by
the page's pytest items, which share the build's cache, so that `make test`
trains each model once. Every other cell still runs and prints what the page
shows, exercises included: they run in the page without the build-only
snippets too (tests/site/test_live_snippets.py).
"""

import re
import shutil
from pathlib import Path

import nbformat
import pytest

from run_in_kernel import printed, run
from lessonkit import DEFAULT_TIMEOUT, export_notebook, read_page, where

ROOT = Path(__file__).resolve().parents[2]
PAGES = [path.relative_to(ROOT).as_posix() for path in sorted((ROOT / "docs").glob("**/*.md"))]
LESSONS = [page for page in PAGES if export_notebook(read_page(page, ROOT)) is not None]


def front_matter(text):
    return text.split("---", 2)[1] if text.startswith("---") else ""


def test_every_lesson_has_a_notebook():
    lessons = [page for page in PAGES if re.search(r"^lesson:", front_matter((ROOT / page).read_text()), re.MULTILINE)]
    assert len(lessons) >= 5 and set(lessons) <= set(LESSONS)


@pytest.mark.parametrize("page", LESSONS)
def test_notebook_runs_and_prints_what_the_page_shows(page, tmp_path):
    lesson = read_page(page, ROOT)
    exported = export_notebook(lesson)
    assert export_notebook(read_page(page, ROOT)) == exported, "two exports of the same page differ"
    notebook = nbformat.reads(exported, as_version=4)
    nbformat.validate(notebook)

    snippets = [s for s in lesson.snippets if where(lesson, s).notebook]  # lessonkit's answer, not a rule of our own
    code_cells = [cell for cell in notebook.cells if cell.cell_type == "code"][len(lesson.prelude):]
    assert len(code_cells) == len(snippets)

    long = next((k for k, s in enumerate(snippets) if s.options.timeout > DEFAULT_TIMEOUT), len(snippets))
    left_out = {k for k, s in enumerate(snippets) if k >= long and (s.options.build_only or lesson.build_only)}
    notebook.cells = [cell for cell in notebook.cells if not any(cell is code_cells[k] for k in left_out)]
    folder = tmp_path / "page"
    shutil.copytree((ROOT / page).parent, folder, ignore=shutil.ignore_patterns("*.md", "*.ipynb"))
    run(notebook, folder)

    for k, (snippet, cell) in enumerate(zip(snippets, code_cells)):
        if lesson.exercise_of(snippet):
            continue
        assert cell.source == snippet.code.rstrip("\n")
        if k not in left_out and not snippet.options.raises:
            assert printed(cell) == snippet.expected, f"{page}:{snippet.line} prints differently in the notebook"
    for exercise in lesson.exercises:  # the starter is not right yet; the solution's cell ran its checks, and passed
        checks = code_cells[snippets.index(exercise.check)]
        assert printed(checks).startswith("not yet: "), f"{page}:{exercise.line}: {printed(checks)!r}"
        assert code_cells[snippets.index(exercise.solution)].source.endswith(f"{exercise.check_function}()"
                                                                            "  # the reference solution passes the checks")
