"""Every lesson exports to a notebook that validates, runs top to bottom, and prints what the page shows.

A notebook runs in a copy of its page's folder, so that it finds the data files
next to the page, as the build does. It runs up to its first training snippet
(one allowed more than the default time): the training and what follows are
checked by the page's pytest items, which share the build's cache, so that
`make test` trains each model once.
"""

import re
import shutil
from pathlib import Path

import nbformat
import pytest

from lessonkit.notebook import export_notebook
from lessonkit.parse import DEFAULT_TIMEOUT, parse_page
from run_in_kernel import printed, run

ROOT = Path(__file__).resolve().parents[2]
PAGES = [path.relative_to(ROOT).as_posix() for path in sorted((ROOT / "docs").glob("**/*.md"))]
LESSONS = [page for page in PAGES if export_notebook(parse_page((ROOT / page).read_text(), page)) is not None]


def front_matter(text):
    return text.split("---", 2)[1] if text.startswith("---") else ""


def test_every_lesson_has_a_notebook():
    lessons = [page for page in PAGES if re.search(r"^lesson:", front_matter((ROOT / page).read_text()), re.MULTILINE)]
    assert len(lessons) >= 5 and set(lessons) <= set(LESSONS)


@pytest.mark.parametrize("page", LESSONS)
def test_notebook_runs_and_prints_what_the_page_shows(page, tmp_path):
    text = (ROOT / page).read_text()
    exported = export_notebook(parse_page(text, page))
    assert export_notebook(parse_page(text, page)) == exported, "two exports of the same page differ"
    notebook = nbformat.reads(exported, as_version=4)
    nbformat.validate(notebook)

    snippets = [s for s in parse_page(text, page).snippets if not s.options.norun]
    code_cells = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert [cell.source for cell in code_cells] == [s.code.rstrip("\n") for s in snippets]

    training = next((k for k, s in enumerate(snippets) if s.options.timeout > DEFAULT_TIMEOUT), len(snippets))
    if training < len(snippets):
        notebook.cells = notebook.cells[:notebook.cells.index(code_cells[training])]
    folder = tmp_path / "page"
    shutil.copytree((ROOT / page).parent, folder, ignore=shutil.ignore_patterns("*.md", "*.ipynb"))
    run(notebook, folder)

    for snippet, cell in zip(snippets[:training], code_cells):
        if not snippet.options.raises:
            assert printed(cell) == snippet.expected, f"{page}:{snippet.line} prints differently in the notebook"
