"""Every notebook the site offers runs top to bottom in a Python that has only a Jupyter kernel, and a
lesson's notebook prints what the page shows.

The site is built with SITE_URL set to the local address that serves it
(tests/conftest.py), so each notebook's first code cell installs deepdive from
that server, as it would from the published site, and points deepdive at the
site's trained model. Each notebook runs in an empty folder with a home of its
own: the names come with deepdive's wheel, and the course's GPT from the site
(a notebook that trained it would take minutes; the test fails if one does).
Every cell runs, build-only or not. Two notebooks run at a time, once per
session (the module's fixture, in one pytest process).

A lesson's download is then compared with its page, cell by cell: each snippet
that the notebook has (lessonkit's `where`) prints there what the page's
output fence shows, long training runs included, since they run at the
build's size; a snippet that must raise is not compared, nor an exercise's
starter; an exercise's checks must say "not yet" to the starter.

What a notebook's run observed is kept (tests/kept.py), as parity keeps what a
page showed: in .cache/notebooks-anywhere/, under a hash of everything that
decides it (`run_key`: the notebook with the site's address taken out, every
file it can fetch from the site (the wheels and the published model), the
kernel's packages and this test). The checks read the kept observation every
time; a notebook whose key is kept does not run again, and any change to what
it runs or fetches runs it. A run with a failing cell is not kept.
"""

import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

import fresh_kernel
from fresh_kernel import fresh_environment, kernel_manager, site_packages
from kept import files, kept, key_of
from run_in_kernel import printed
from test_lesson_notebooks import LESSONS, ROOT
from test_notebook_downloads import downloads

from lessonkit import read_page, where

pytestmark = pytest.mark.xdist_group("notebooks-anywhere")  # one process (pytest -n) runs the notebooks once

AT_ONCE = 2  # notebooks run at once, one a core
FETCHED = ("assets/wheels/**/*", "models/*")  # what a notebook can fetch from the site
RUNNERS = [Path(__file__), Path(fresh_kernel.__file__)]


def offered_notebooks(site):
    """Every file a page's download button links to, once each."""
    pages = sorted(path.parent.relative_to(site).as_posix() for path in site.glob("**/index.html"))
    return sorted({file for page in pages for file in downloads(site, page)})


def run_anywhere(notebook_file, url, folder):
    """Run every cell of the notebook in a fresh environment in `folder`: what a learner would notice."""
    notebook = nbformat.reads(notebook_file.read_text(), as_version=4)
    install = notebook.cells[1]
    observed = {"installs from the site": f"wheels = ['{url}assets/wheels/" in install.source, "error": None}
    if not observed["installs from the site"]:
        return observed
    folder.mkdir()
    python = fresh_environment(folder / "venv")
    assert not list(site_packages(folder / "venv").glob("deepdive*")), "the fresh environment has deepdive"
    try:
        NotebookClient(notebook, km=kernel_manager(python, folder), timeout=300,
                       resources={"metadata": {"path": str(folder)}}).execute()
    except CellExecutionError as error:
        observed["error"] = str(error)
    observed["printed"] = [printed(cell) for cell in notebook.cells if cell.cell_type == "code"]
    observed["installed deepdive"] = bool(list(site_packages(folder / "venv").glob("deepdive-*.dist-info")))
    observed["trained"] = list(map(str, (folder / "home").rglob("train.log")))
    return observed


def problem(observed):
    """What went wrong in a notebook's run, or None."""
    if not observed["installs from the site"]:
        return "its install cell installs from elsewhere"
    if observed["error"]:
        return observed["error"]
    if not observed["installed deepdive"]:
        return "it ran without installing deepdive into its environment"
    if observed["trained"]:
        return f"it trained a model that the site publishes: {observed['trained']}"
    return None


def run_key(notebook_file, site, url):
    """A hash of everything that decides how the notebook runs (see the module's docstring)."""
    notebook = notebook_file.read_text(encoding="utf-8").replace(url, "/")
    return key_of(notebook, *files(site, FETCHED), *RUNNERS, sys.version)


@pytest.fixture(scope="module")
def ran_anywhere(served_site, tmp_path_factory):
    """{notebook file: what its run observed}, for every notebook the site offers: kept, or run now."""
    site, url = served_site
    notebooks = offered_notebooks(site)
    folder = tmp_path_factory.mktemp("anywhere")
    with ThreadPoolExecutor(AT_ONCE) as pool:
        observed = pool.map(lambda file: kept("notebooks-anywhere", run_key(file, site, url),
                                              lambda: run_anywhere(file, url, folder / file.stem),
                                              keep=lambda seen: seen["error"] is None), notebooks)
    return dict(zip(notebooks, observed))


@pytest.mark.slow(minutes=3)  # cold: 23 notebooks, each installing deepdive into a fresh environment
def test_every_download_installs_deepdive_from_the_site_and_runs_in_a_fresh_environment(ran_anywhere):
    assert len(ran_anywhere) >= 20, list(ran_anywhere)
    failed = {file.name: problem(seen) for file, seen in ran_anywhere.items() if problem(seen)}
    assert not failed, "\n\n".join(f"{name}: {what}" for name, what in failed.items())


@pytest.mark.parametrize("page", LESSONS)
def test_a_lessons_download_prints_what_the_page_shows(ran_anywhere, built_site, page):
    lesson = read_page(page, ROOT)
    seen = ran_anywhere[built_site / Path(page).relative_to("docs").with_suffix(".ipynb")]
    assert problem(seen) is None, problem(seen)
    snippets = [snippet for snippet in lesson.snippets if where(lesson, snippet).notebook]
    _install_cell, *cells = seen["printed"]
    cells = cells[len(lesson.prelude):]  # the code a later page builds on comes first, before the lesson's own
    assert len(cells) == len(snippets), f"{len(cells)} code cells for {len(snippets)} snippets"
    for snippet, cell in zip(snippets, cells):
        if not lesson.exercise_of(snippet) and not snippet.options.raises:
            assert cell == snippet.expected, f"{page}:{snippet.line} prints differently in the downloaded notebook"
    for exercise in lesson.exercises:  # the starter is not right yet: its checks say so
        checks = cells[snippets.index(exercise.check)]
        assert checks.startswith("not yet: "), f"{page}:{exercise.line}: {checks!r}"
