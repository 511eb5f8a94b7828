"""Every notebook the site offers runs top to bottom in a Python that has only a Jupyter kernel.

The site is built with SITE_URL set to the local address that serves it
(tests/conftest.py), so each notebook's first code cell installs deepdive from
that server, as it would from the published site. The data files published
next to a notebook (data/) are put next to it, as a learner downloads them. A
lesson's notebook runs up to its first training snippet (one allowed more than
the default time), as in test_lesson_notebooks.py, so that no model is trained
twice in one `make test`.
"""

import shutil
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from lessonkit.parse import DEFAULT_TIMEOUT, parse_page

from fresh_kernel import fresh_environment, kernel_manager, site_packages
from test_notebook_downloads import downloads

DOCS = Path(__file__).resolve().parents[2] / "docs"


def offered_notebooks(site):
    """Every file a page's download button links to, once each."""
    pages = sorted(path.parent.relative_to(site).as_posix() for path in site.glob("**/index.html"))
    return sorted({file for page in pages for file in downloads(site, page)})


def test_every_download_installs_deepdive_from_the_site_and_runs_in_a_fresh_environment(served_site, tmp_path):
    site, url = served_site
    notebooks = offered_notebooks(site)
    assert len(notebooks) >= 6, notebooks  # five lessons and the lab
    for notebook_file in notebooks:
        notebook = nbformat.reads(notebook_file.read_text(), as_version=4)
        install = notebook.cells[1]
        assert f'wheel = "{url}assets/wheels/' in install.source, f"{notebook_file.name} installs from elsewhere"

        # A build-only cell needs what only a clone of the course has (a data file, minutes of training):
        # run up to the first one.
        first = next((k for k, cell in enumerate(notebook.cells) if "build-only" in cell.metadata.get("tags", [])),
                     len(notebook.cells))
        notebook.cells = notebook.cells[:first]

        folder = tmp_path / notebook_file.stem
        if (notebook_file.parent / "data").is_dir():
            shutil.copytree(notebook_file.parent / "data", folder / "data")
        notebook.cells = until_training(notebook, notebook_file, site)
        python = fresh_environment(folder / "venv")
        assert not list(site_packages(folder / "venv").glob("deepdive*")), "the fresh environment has deepdive"
        NotebookClient(notebook, km=kernel_manager(python, folder), timeout=120,
                       resources={"metadata": {"path": str(folder)}}).execute()
        assert list(site_packages(folder / "venv").glob("deepdive-*.dist-info")), \
            f"{notebook_file.name} ran without installing deepdive into its environment"


def until_training(notebook, notebook_file, site):
    """The notebook's cells before the first that trains a model, as its page marks it (a long timeout=)."""
    page = DOCS / notebook_file.relative_to(site).with_suffix(".md")
    if not page.exists():  # a lab: no snippets, nothing marked
        return notebook.cells
    lesson = parse_page(page.read_text(encoding="utf-8"), page.relative_to(DOCS.parent).as_posix())
    training = {s.code.rstrip("\n") for s in lesson.snippets if s.options.timeout > DEFAULT_TIMEOUT}
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type == "code" and cell.source in training:
            return notebook.cells[:index]
    return notebook.cells
