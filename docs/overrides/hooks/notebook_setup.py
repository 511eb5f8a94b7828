"""MkDocs hook: every notebook the site offers starts by making `import deepdive` work, wherever it is opened.

A learner who downloads a lesson or a lab has Jupyter, Colab or JupyterLite, but
not `deepdive`, the course's own package. So each notebook that the notebook hook
writes (lessons and labs alike) gets, right after its first cell, a code cell that
does nothing when `deepdive` imports, and otherwise installs the wheel that this
site serves (pyodide_runtime.py): with pip in Jupyter and Colab, with micropip in
JupyterLite, whose Python runs in the browser. The first cell also links the
course's repository, for those who would rather work from a clone.

The wheel's address is site_url (SITE_URL; http://127.0.0.1:8000/ by default, the
address of `make serve`) joined with the wheel's path, so it is written into the
notebooks at build time, and a site built for another address needs another build.
"""

from urllib.parse import urljoin

import nbformat
from mkdocs.exceptions import PluginError

INSTALL = '''\
# Makes `import deepdive` work here: when it is missing, installs it from the course's site.
import sys

try:
    import deepdive
except ImportError:
    wheel = "{wheel}"
    if sys.platform == "emscripten":  # JupyterLite: Python in the browser
        import micropip
        await micropip.install(wheel)
    else:  # Jupyter, Colab, VS Code
        %pip install --quiet {{wheel}}'''
NOTE = ("The next cell makes `import deepdive` work: when this Python lacks `deepdive`, the course's own "
        "package, the cell installs it from the course's site. To work on the course itself, clone "
        "[the course's repository]({repo}) and run `pip install -e .` in it.")
CELL_ID = "install-deepdive"


def on_files(files, config):
    import pyodide_runtime  # here, not at the top: the hook module of that name has loaded by now

    if not config.site_url:
        raise PluginError("Notebooks install deepdive from the site, so mkdocs.yml needs a site_url")
    wheel = urljoin(config.site_url, pyodide_runtime.wheel_url())
    for file in files:
        if file.generated_by and file.src_uri.endswith(".ipynb"):
            file.content_string = with_install_cell(file.content_string, wheel, config.repo_url, file.src_uri)
    return files


def with_install_cell(text, wheel, repo, name):
    """The notebook (JSON text) with the repository's link in its first cell and the install cell after it."""
    notebook = nbformat.reads(text, as_version=4)
    first = notebook.cells[0] if notebook.cells else None
    if first is None or first.cell_type != "markdown":
        raise PluginError(f"{name}: a notebook starts with a Markdown cell, its title, before any code")
    first.source = "\n\n".join(filter(None, [first.source, NOTE.format(repo=repo)]))
    install = nbformat.v4.new_code_cell(INSTALL.format(wheel=wheel))
    install.id = CELL_ID
    notebook.cells.insert(1, install)
    return nbformat.writes(notebook) + "\n"
