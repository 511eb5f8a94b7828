"""MkDocs hook: every lesson page, and every lab, also downloads as a notebook.

For each Markdown page with a snippet that runs, the build writes the page's
notebook next to it (docs/chapter-2/2.1-values-and-expressions.md becomes
site/chapter-2/2.1-values-and-expressions.ipynb) and sets page.meta["notebook"]
to its path in the site, for the theme's "Download notebook" button. A lab
(a jupytext .py page that mkdocs-jupyter renders) gets an .ipynb of its cells
the same way, so that it opens in any Jupyter, with or without jupytext.

The notebooks are made afresh on every build, from the pages' current text;
this module keeps no state between builds.
"""

import posixpath

import jupytext
import nbformat
from mkdocs.structure.files import File

from lessonkit.mkdocs_pages import lesson_page
from lessonkit.notebook import export_notebook
from lessonkit.parse import ParseError


def on_files(files, config):
    for file in [file for file in files.documentation_pages() if file.src_uri.endswith(".md")]:
        try:
            notebook = export_notebook(lesson_page(file, config))
        except ParseError:
            continue  # the lesson hook reports it, with the page and line
        if notebook is not None:
            files.append(File.generated(config, notebook_uri(file), content=notebook))
    for lab in [file for file in files.documentation_pages() if file.src_uri.endswith(".py")]:
        files.append(File.generated(config, notebook_uri(lab), content=lab_notebook(lab.content_string)))
    return files


def lab_notebook(source):
    """A jupytext percent-format lab as .ipynb text, with cell ids that are the same on every build."""
    notebook = jupytext.reads(source, fmt="py:percent")
    for number, cell in enumerate(notebook.cells, start=1):
        cell.id = f"cell-{number}"
    return nbformat.writes(notebook)


def on_page_markdown(markdown, page, config, files):
    if files.get_file_from_path(notebook_uri(page.file)):
        page.meta["notebook"] = notebook_uri(page.file)
    return markdown


def notebook_uri(page_file):
    """Where a page's notebook goes in the site: chapter-2/2.1-....md -> chapter-2/2.1-....ipynb."""
    return posixpath.splitext(page_file.src_uri)[0] + ".ipynb"
