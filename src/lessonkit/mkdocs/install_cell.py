"""Every notebook the site offers starts by making the course's packages import, wherever it is opened.

A learner who downloads a lesson or a lab has Jupyter, Colab or JupyterLite, but
not the course's own packages. So each notebook the site offers (lessons and, in
this course, labs alike) gets, right after its first cell, a code cell that does
nothing when the packages import, and otherwise installs the wheels that the site
serves: with pip in Jupyter and Colab, with micropip in JupyterLite, whose Python
runs in the browser. The first cell also gets the course's note (the plugin's
`notebooks.note`), which may link the course's repository.

The cell also sets the environment variables of the plugin's `env` setting
(such as where the site serves a trained model), as the page's Python has
them, unless the learner has set them already.

The wheels' and the variables' addresses are site_url joined with their paths,
so they are written into the notebooks at build time, and a site built for
another address needs another build.
"""

import nbformat

INSTALL = '''\
# Makes `import {modules}` work here: when it is missing, installs it from the course's site.
{imports}import sys

{settings}try:
    import {modules}
except ImportError:
    wheels = {wheels}
    if sys.platform == "emscripten":  # JupyterLite: Python in the browser
        import micropip
        await micropip.install(wheels)
    else:  # Jupyter, Colab, VS Code
        %pip install --quiet {{" ".join(wheels)}}'''
CELL_ID = "install-packages"


class NotebookError(ValueError):
    """A notebook that cannot take the install cell."""


def with_install_cell(text, wheels, note, name, env=None):
    """The notebook (JSON text) with `note` in its first cell and the install cell after it.

    `wheels` maps each package's import name to its wheel's URL; `env` each
    environment variable the cell sets to its value (a URL in the site).
    """
    notebook = nbformat.reads(text, as_version=4)
    first = notebook.cells[0] if notebook.cells else None
    if first is None or first.cell_type != "markdown":
        raise NotebookError(f"{name}: a notebook starts with a Markdown cell, its title, before any code")
    first.source = "\n\n".join(filter(None, [first.source, note]))
    install = nbformat.v4.new_code_cell(INSTALL.format(modules=", ".join(wheels), wheels=list(wheels.values()),
                                                       **environment(env or {})))
    install.id = CELL_ID
    notebook.cells.insert(1, install)
    return nbformat.writes(notebook) + "\n"


def environment(env):
    """The cell's lines that set each variable, unless it is set already (the learner's own value wins)."""
    if not env:
        return {"imports": "", "settings": ""}
    settings = "".join(f"os.environ.setdefault({name!r}, {value!r})  # as the course's pages have it\n"
                       for name, value in sorted(env.items()))
    return {"imports": "import os\n", "settings": settings + "\n"}
