"""Every lesson exports to a notebook that validates and holds the page's snippets, one code cell each.

What the notebook prints when it runs is compared with the page in
tests/notebooks/test_notebooks_run_anywhere.py, on the notebook the site offers
for download (this export, with the install cell the site adds), run top to
bottom in a fresh environment: one run of each notebook, every cell of it.
"""

import re
from pathlib import Path

import nbformat
import pytest

from lessonkit import export_notebook, read_page, where

ROOT = Path(__file__).resolve().parents[2]
PAGES = [path.relative_to(ROOT).as_posix() for path in sorted((ROOT / "docs").glob("**/*.md"))]
LESSONS = [page for page in PAGES if export_notebook(read_page(page, ROOT)) is not None]


def front_matter(text):
    return text.split("---", 2)[1] if text.startswith("---") else ""


def test_every_lesson_has_a_notebook():
    lessons = [page for page in PAGES if re.search(r"^lesson:", front_matter((ROOT / page).read_text()), re.MULTILINE)]
    assert len(lessons) >= 5 and set(lessons) <= set(LESSONS)


@pytest.mark.parametrize("page", LESSONS)
def test_notebook_validates_and_holds_the_pages_snippets_one_cell_each(page):
    lesson = read_page(page, ROOT)
    exported = export_notebook(lesson)
    assert export_notebook(read_page(page, ROOT)) == exported, "two exports of the same page differ"
    notebook = nbformat.reads(exported, as_version=4)
    nbformat.validate(notebook)

    snippets = [s for s in lesson.snippets if where(lesson, s).notebook]  # lessonkit's answer, not a rule of our own
    code_cells = [cell for cell in notebook.cells if cell.cell_type == "code"][len(lesson.prelude):]
    assert len(code_cells) == len(snippets)
    for snippet, cell in zip(snippets, code_cells):
        if not lesson.exercise_of(snippet):
            assert cell.source == snippet.code.rstrip("\n")
    for exercise in lesson.exercises:  # the reference solution's cell runs the checks
        assert code_cells[snippets.index(exercise.solution)].source.endswith(
            f"{exercise.check_function}()  # the reference solution passes the checks")
