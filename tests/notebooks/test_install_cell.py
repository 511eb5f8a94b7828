"""The cell that the site puts at the top of every notebook: it installs deepdive only where it is missing."""

import nbformat
import pytest
from mkdocs.exceptions import PluginError

import notebook_setup  # from docs/overrides/hooks (tests/conftest.py)
from run_in_kernel import printed, run

WHEEL = "http://127.0.0.1:9/assets/wheels/0123/deepdive-0.1.0-py3-none-any.whl"  # nothing listens on port 9
REPO = "https://example.org/course"


def with_install_cell(*cells):
    text = nbformat.writes(nbformat.v4.new_notebook(cells=list(cells)))
    return nbformat.reads(notebook_setup.with_install_cell(text, WHEEL, REPO, "chapter-9/lab.ipynb"), as_version=4)


def test_the_install_cell_follows_the_title_which_links_the_repository():
    notebook = with_install_cell(nbformat.v4.new_markdown_cell("# Lab"), nbformat.v4.new_code_cell("import deepdive"))
    title, install, code = notebook.cells
    assert title.source.startswith("# Lab\n\n") and f"[the course's repository]({REPO})" in title.source
    assert f'wheel = "{WHEEL}"' in install.source and install.id == "install-deepdive"
    assert code.source == "import deepdive"
    nbformat.validate(notebook)


def test_a_notebook_that_starts_with_code_fails_the_build_naming_it():
    with pytest.raises(PluginError, match="chapter-9/lab.ipynb: a notebook starts with a Markdown cell"):
        with_install_cell(nbformat.v4.new_code_cell("import deepdive"))


def test_where_deepdive_imports_the_cell_does_nothing(tmp_path):
    notebook = run(with_install_cell(nbformat.v4.new_markdown_cell("# Lab")), tmp_path)
    assert notebook.cells[1].outputs == []


def test_in_jupyterlite_the_cell_installs_with_micropip(tmp_path):
    pretend_jupyterlite = nbformat.v4.new_code_cell(
        "import sys, types\n"
        "sys.platform = 'emscripten'\n"
        "sys.modules['deepdive'] = None  # import deepdive raises ImportError\n"
        "async def install(url):\n"
        "    print('micropip.install', url)\n"
        "sys.modules['micropip'] = types.SimpleNamespace(install=install)")
    notebook = with_install_cell(nbformat.v4.new_markdown_cell("# Lab"))
    notebook.cells.insert(1, pretend_jupyterlite)
    run(notebook, tmp_path)
    assert printed(notebook.cells[2]) == f"micropip.install {WHEEL}\n"
