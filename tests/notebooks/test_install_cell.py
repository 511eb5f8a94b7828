"""The cell that lessonkit puts at the top of every notebook: it installs the course's packages only where they are missing."""

import nbformat
import pytest

from lessonkit.mkdocs.install_cell import CELL_ID, NotebookError, with_install_cell as install_cell_in
from run_in_kernel import printed, run

WHEEL = "http://127.0.0.1:9/assets/wheels/0123/deepdive-0.1.0-py3-none-any.whl"  # nothing listens on port 9
NOTE = "Clone [the course's repository](https://example.org/course) to work on it."


def with_install_cell(*cells):
    text = nbformat.writes(nbformat.v4.new_notebook(cells=list(cells)))
    return nbformat.reads(install_cell_in(text, {"deepdive": WHEEL}, NOTE, "chapter-9/lab.ipynb"), as_version=4)


def test_the_install_cell_follows_the_title_which_gets_the_note():
    notebook = with_install_cell(nbformat.v4.new_markdown_cell("# Lab"), nbformat.v4.new_code_cell("import deepdive"))
    title, install, code = notebook.cells
    assert title.source == "# Lab\n\n" + NOTE
    assert f"wheels = ['{WHEEL}']" in install.source and install.id == CELL_ID
    assert "    import deepdive\n" in install.source
    assert code.source == "import deepdive"
    nbformat.validate(notebook)


def test_a_notebook_that_starts_with_code_fails_the_build_naming_it():
    with pytest.raises(NotebookError, match="chapter-9/lab.ipynb: a notebook starts with a Markdown cell"):
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
    assert printed(notebook.cells[2]) == f"micropip.install ['{WHEEL}']\n"  # micropip.install takes a list


def test_the_cell_gives_the_notebook_the_environment_the_page_has_unless_the_learner_set_it(tmp_path):
    models = "http://127.0.0.1:9/models/"
    text = nbformat.writes(nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Lab")]))
    notebook = nbformat.reads(install_cell_in(text, {"deepdive": WHEEL}, NOTE, "lab.ipynb",
                                              {"DEEPDIVE_MODELS": models, "COURSE_DATA": "http://127.0.0.1:9/d/"}),
                              as_version=4)
    learner = nbformat.v4.new_code_cell("import os\nos.environ['COURSE_DATA'] = '/my/copy/'")
    show = nbformat.v4.new_code_cell("import os\nprint(os.environ['DEEPDIVE_MODELS'], os.environ['COURSE_DATA'])")
    notebook.cells[1:1] = [learner]
    notebook.cells.append(show)
    run(notebook, tmp_path)
    assert printed(notebook.cells[-1]) == f"{models} /my/copy/\n"
