"""Every notebook the site offers runs top to bottom in a Python that has only a Jupyter kernel.

The site is built with SITE_URL set to the local address that serves it
(tests/conftest.py), so each notebook's first code cell installs deepdive from
that server, as it would from the published site, and points deepdive at the
site's trained model. Each notebook runs in an empty folder with a home of its
own: the names come with deepdive's wheel, and the course's GPT from the site
(a notebook that trained it would take minutes; the test fails if one does).
Every cell runs, build-only or not. Two notebooks run at a time.

A notebook that ran clean is kept as run, as parity keeps what a page showed:
in .cache/notebooks-anywhere/, under a hash of everything that decides it
(`run_key`: the notebook with the site's address taken out, every file it
can fetch from the site (the wheels and the published model), the kernel's
packages and this test). A notebook whose key is kept does not run again;
any change to what it runs or fetches runs it. A failure is never kept.
"""

import hashlib
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

import fresh_kernel
from fresh_kernel import fresh_environment, kernel_manager, site_packages
from test_notebook_downloads import downloads

AT_ONCE = 2  # notebooks run at once, one a core
KEPT = Path(__file__).resolve().parents[2] / ".cache" / "notebooks-anywhere"
FETCHED = ("assets/wheels/**/*", "models/*")  # what a notebook can fetch from the site
RUNNERS = [Path(__file__), Path(fresh_kernel.__file__)]


def offered_notebooks(site):
    """Every file a page's download button links to, once each."""
    pages = sorted(path.parent.relative_to(site).as_posix() for path in site.glob("**/index.html"))
    return sorted({file for page in pages for file in downloads(site, page)})


def run_anywhere(notebook_file, url, folder):
    """Run every cell of the notebook in a fresh environment in `folder`: None, or what went wrong."""
    notebook = nbformat.reads(notebook_file.read_text(), as_version=4)
    install = notebook.cells[1]
    if f"wheels = ['{url}assets/wheels/" not in install.source:
        return "its install cell installs from elsewhere"
    folder.mkdir()
    python = fresh_environment(folder / "venv")
    assert not list(site_packages(folder / "venv").glob("deepdive*")), "the fresh environment has deepdive"
    try:
        NotebookClient(notebook, km=kernel_manager(python, folder), timeout=300,
                       resources={"metadata": {"path": str(folder)}}).execute()
    except CellExecutionError as error:
        return str(error)
    if not list(site_packages(folder / "venv").glob("deepdive-*.dist-info")):
        return "it ran without installing deepdive into its environment"
    if (folder / "home" / ".cache" / "deepdive").is_dir() and list((folder / "home").rglob("train.log")):
        return "it trained a model that the site publishes"
    return None


def run_key(notebook_file, site, url):
    """A hash of everything that decides how the notebook runs (see the module's docstring)."""
    digest = hashlib.sha256(notebook_file.read_text(encoding="utf-8").replace(url, "/").encode())
    for path in sorted({path for pattern in FETCHED for path in site.glob(pattern) if path.is_file()}):
        digest.update(path.relative_to(site).as_posix().encode() + b"\0" + path.read_bytes())
    for runner in RUNNERS:
        digest.update(runner.read_bytes())
    digest.update(sys.version.encode())
    return digest.hexdigest()


def run_unless_kept(notebook_file, site, url, folder):
    """run_anywhere, unless a run of the same key ran clean before: None, or what went wrong."""
    kept = KEPT / run_key(notebook_file, site, url)
    if kept.exists():
        return None
    problem = run_anywhere(notebook_file, url, folder)
    if problem is None:
        KEPT.mkdir(parents=True, exist_ok=True)
        kept.write_text(f"{notebook_file.relative_to(site)} ran clean\n")
    return problem


@pytest.mark.slow
def test_every_download_installs_deepdive_from_the_site_and_runs_in_a_fresh_environment(served_site, tmp_path):
    site, url = served_site
    notebooks = offered_notebooks(site)
    assert len(notebooks) >= 20, notebooks
    with ThreadPoolExecutor(AT_ONCE) as pool:
        problems = dict(zip(notebooks, pool.map(lambda file: run_unless_kept(file, site, url, tmp_path / file.stem), notebooks)))
    failed = {file.name: problem for file, problem in problems.items() if problem}
    assert not failed, "\n\n".join(f"{name}: {problem}" for name, problem in failed.items())
