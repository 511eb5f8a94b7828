"""Every notebook the site offers runs top to bottom in a Python that has only a Jupyter kernel.

The site is built with SITE_URL set to the local address that serves it
(tests/conftest.py), so each notebook's first code cell installs deepdive from
that server, as it would from the published site. The data files published
next to a notebook (data/) are put next to it, as a learner downloads them. A
notebook runs up to its first cell tagged `build-only` (one that needs what only
a clone of the course has: minutes of training, say), so that no model is
trained twice in one `make test`: a lab's later cells may use what that cell made.
"""

import shutil

import nbformat
from nbclient import NotebookClient

from fresh_kernel import fresh_environment, kernel_manager, site_packages
from test_notebook_downloads import downloads


def offered_notebooks(site):
    """Every file a page's download button links to, once each."""
    pages = sorted(path.parent.relative_to(site).as_posix() for path in site.glob("**/index.html"))
    return sorted({file for page in pages for file in downloads(site, page)})


def test_every_download_installs_deepdive_from_the_site_and_runs_in_a_fresh_environment(served_site, tmp_path):
    site, url = served_site
    notebooks = offered_notebooks(site)
    assert len(notebooks) >= 6, notebooks
    for notebook_file in notebooks:
        notebook = nbformat.reads(notebook_file.read_text(), as_version=4)
        install = notebook.cells[1]
        assert f"wheels = ['{url}assets/wheels/" in install.source, f"{notebook_file.name} installs from elsewhere"

        first = next((k for k, cell in enumerate(notebook.cells) if "build-only" in cell.metadata.get("tags", [])),
                     len(notebook.cells))
        notebook.cells = notebook.cells[:first]
        folder = tmp_path / notebook_file.stem
        if (notebook_file.parent / "data").is_dir():
            shutil.copytree(notebook_file.parent / "data", folder / "data")
        python = fresh_environment(folder / "venv")
        assert not list(site_packages(folder / "venv").glob("deepdive*")), "the fresh environment has deepdive"
        NotebookClient(notebook, km=kernel_manager(python, folder), timeout=120,
                       resources={"metadata": {"path": str(folder)}}).execute()
        assert list(site_packages(folder / "venv").glob("deepdive-*.dist-info")), \
            f"{notebook_file.name} ran without installing deepdive into its environment"

