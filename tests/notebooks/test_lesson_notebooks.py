"""Every lesson exports to a notebook that validates, runs top to bottom, and prints what the page shows.

A notebook runs in an empty folder: the data comes with deepdive. From its
first long training run on (a snippet that the page shortens with `in-page=`,
such as 3.4's MLP), the test leaves the cells out, since they may need what that
run made; they are checked by the page's pytest items, which share the build's
cache, and every cell of every notebook runs in a fresh environment in
tests/notebooks/test_notebooks_run_anywhere.py, so that `make test` trains
each model once. Every other cell runs and prints what the page shows,
exercises included.

What the cells printed is kept (tests/kept.py) under a hash of the notebook as
it runs, deepdive's sources and data (which decide the course's GPT too), the
test's own files and the versions of Python, ipykernel and matplotlib: the
comparisons with the page run every time, and the notebook runs again whenever
any of those changes.
"""

import re
import sys
from importlib.metadata import version
from pathlib import Path

import nbformat
import pytest

import run_in_kernel
from kept import files, kept, key_of
from run_in_kernel import printed, run
from lessonkit import export_notebook, read_page, where

ROOT = Path(__file__).resolve().parents[2]
PAGES = [path.relative_to(ROOT).as_posix() for path in sorted((ROOT / "docs").glob("**/*.md"))]
LESSONS = [page for page in PAGES if export_notebook(read_page(page, ROOT)) is not None]
# Pages that use the course's GPT wait for the session's (tests/conftest.py), rather than train it in a cell.
WITH_THE_GPT = [page for page in LESSONS if "trained(" in (ROOT / page).read_text()]
RUNNERS = [Path(__file__), Path(run_in_kernel.__file__)]


def front_matter(text):
    return text.split("---", 2)[1] if text.startswith("---") else ""


def test_every_lesson_has_a_notebook():
    lessons = [page for page in PAGES if re.search(r"^lesson:", front_matter((ROOT / page).read_text()), re.MULTILINE)]
    assert len(lessons) >= 5 and set(lessons) <= set(LESSONS)


@pytest.mark.parametrize("page", [page for page in LESSONS if page not in WITH_THE_GPT])
def test_notebook_runs_and_prints_what_the_page_shows(page, tmp_path):
    runs_and_prints_what_the_page_shows(page, tmp_path)


@pytest.mark.parametrize("page", WITH_THE_GPT)
def test_notebook_with_the_course_gpt_runs_and_prints_what_the_page_shows(page, tmp_path, course_gpt):
    runs_and_prints_what_the_page_shows(page, tmp_path)


def runs_and_prints_what_the_page_shows(page, tmp_path):
    lesson = read_page(page, ROOT)
    exported = export_notebook(lesson)
    assert export_notebook(read_page(page, ROOT)) == exported, "two exports of the same page differ"
    notebook = nbformat.reads(exported, as_version=4)
    nbformat.validate(notebook)

    snippets = [s for s in lesson.snippets if where(lesson, s).notebook]  # lessonkit's answer, not a rule of our own
    code_cells = [cell for cell in notebook.cells if cell.cell_type == "code"][len(lesson.prelude):]
    assert len(code_cells) == len(snippets)

    long = next((k for k, s in enumerate(snippets) if s.options.in_page), len(snippets))
    left_out = set(range(long, len(snippets)))
    notebook.cells = [cell for cell in notebook.cells if not any(cell is code_cells[k] for k in left_out)]
    key = key_of(nbformat.writes(notebook), *files(ROOT / "src" / "deepdive", ["*.py", "*.txt"]), *RUNNERS,
                 sys.version, version("ipykernel"), version("matplotlib"))
    outputs = kept("lesson-notebooks", key, lambda: [cell.get("outputs", []) for cell in run(notebook, tmp_path).cells])
    for cell, printed_there in zip(notebook.cells, outputs):
        if cell.cell_type == "code":
            cell.outputs = printed_there

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
