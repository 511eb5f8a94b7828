"""MkDocs hook: make the lab pages that mkdocs-jupyter renders offline, reproducible, and spoiler-free.

mkdocs-jupyter's page template carries two things this site does not want:
- a MathJax loader and a Mermaid module that imports Mermaid from a CDN when a
  notebook has a diagram (the labs have neither, and the site works offline);
- cell ids that jupytext makes up at random on every read of a .py notebook,
  so two builds of the same lab would differ.
This hook drops the first and numbers the cells in order instead (`lab-cell-N`:
mkdocs-jupyter's copy buttons already use `cell-N` for their own targets).

A cell's printed text reaches the notebook in as many stream outputs as the kernel
happened to flush, and mkdocs-jupyter's cache keeps one run's split: the same
print may show as one block or two. The hook joins neighbouring blocks of the same
stream (stdout, stderr), so a lab's page depends on its source alone.

A lab's answers are its cells tagged "solution" (code and prose). Each run of
consecutive solution cells goes into one closed "Solution" reveal, so that no
answer shows before the learner opens it. The tags come from the notebook itself:
the page's HTML marks only code cells with them.

A lab is done in a notebook, not in its page: the page shows the notebook as
the build ran it, under a note that says so and why (NOTEBOOK_ONLY). Its
exercises are an hour's work that builds cell on cell, which a notebook keeps as
a file; Run in a lesson's page is for a lesson's short snippets.

Each lab is also offered as an .ipynb of its cells (chapter-2/lab-….py becomes
chapter-2/lab-….ipynb), so that it opens in any Jupyter, with or without
jupytext; the lessonkit plugin gives it the install cell and the download button,
as it does a lesson's notebook.
"""

import itertools
import re
from html.parser import HTMLParser

import jupytext
import nbformat
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

MATHJAX_AND_MERMAID = re.compile(r"<!-- Load mathjax -->.*?<!-- End of mermaid configuration -->", re.DOTALL)
CELL_ID = re.compile(r'id="cell-id=[0-9a-f]+"')
# A stream block's end, then the start of the next one, when both are the same stream.
STREAM_SPLIT = re.compile(
    r'(<div class="jp-RenderedText jp-OutputArea-output" data-mime-type="(?P<stream>[^"]+)" tabindex="0">\n'
    r'<pre>(?:(?!</pre>).)*)</pre>\n</div>\n</div>\n<div class="jp-OutputArea-child">\n'
    r'<div class="jp-RenderedText jp-OutputArea-output" data-mime-type="(?P=stream)" tabindex="0">\n<pre>',
    re.DOTALL,
)
REVEAL = '<details class="success lab-solution"><summary>Solution</summary>\n{}\n</details>\n'
NOTEBOOK_ONLY = (
    '<div class="admonition info lab-notebook-only"><p class="admonition-title">A lab runs in a notebook</p>\n'
    "<p>This page shows the lab as the site's build ran it; it has no Run buttons. Download the notebook "
    "(the button above) and open it in Jupyter, Colab or JupyterLite: its first cell installs deepdive, with "
    "the names and the trained model. A lab's exercises build on each other over an hour or so, and a "
    "notebook keeps your work as a file you can save and come back to.</p></div>\n")


def on_files(files, config):
    for lab in [file for file in files.documentation_pages() if file.src_uri.endswith(".py")]:
        files.append(File.generated(config, lab.src_uri[:-len(".py")] + ".ipynb",
                                    content=lab_notebook(lab.content_string)))
    return files


def lab_notebook(source):
    """A jupytext percent-format lab as .ipynb text, with cell ids that are the same on every build."""
    notebook = jupytext.reads(source, fmt="py:percent")
    for number, cell in enumerate(notebook.cells, start=1):
        cell.id = f"cell-{number}"
    return nbformat.writes(notebook)


def is_lab(page):
    return page.file.src_uri.endswith((".py", ".ipynb"))


def on_page_content(html, page, **kwargs):
    if not is_lab(page):
        return html
    tags = [cell.metadata.get("tags", []) for cell in jupytext.read(page.file.abs_src_path).cells]
    html = solutions_in_reveals(one_block_per_stream(html), ["solution" in cell_tags for cell_tags in tags],
                                page.file.src_uri)
    title_end = Cells(html).cells[0][1]  # the note goes under the lab's title, its first cell
    return html[:title_end] + NOTEBOOK_ONLY + html[title_end:]


def one_block_per_stream(html):
    """The page with each run of consecutive blocks of one stream shown as a single block."""
    joined = 1
    while joined:  # a pass joins blocks in pairs; a longer run needs more passes
        html, joined = STREAM_SPLIT.subn(r"\1", html)
    return html


def on_post_page(output, page, config):
    if not is_lab(page):
        return output
    output = MATHJAX_AND_MERMAID.sub("", output)
    numbers = itertools.count(1)
    return CELL_ID.sub(lambda _: f'id="lab-cell-{next(numbers)}"', output)


class Cells(HTMLParser):
    """Finds the notebook's cells in its HTML: [start, end] offsets, in order."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self, html):
        super().__init__(convert_charrefs=False)
        self.line_starts = [0, *itertools.accumulate(len(line) for line in html.splitlines(keepends=True))]
        self.depth = 0
        self.cell_depth = None  # the depth of the outermost cells, once the first is found
        self.cells = []
        self.feed(html)
        self.close()

    def position(self):
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return
        self.depth += 1
        classes = (dict(attrs).get("class") or "").split()
        if "jp-Cell" in classes and self.cell_depth in (None, self.depth):
            self.cell_depth = self.depth
            self.cells.append([self.position(), None])

    def handle_endtag(self, tag):
        if tag in self.VOID:
            return
        if self.depth == self.cell_depth and self.cells[-1][1] is None:
            self.cells[-1][1] = self.position() + len(f"</{tag}>")
        self.depth -= 1


def solutions_in_reveals(html, is_solution, name):
    """The page with each run of consecutive solution cells wrapped in a closed <details>.

    `is_solution` says, for each of the notebook's cells in order, whether it is tagged "solution".
    """
    cells = Cells(html).cells
    if len(cells) != len(is_solution):
        raise PluginError(f"{name}: the page shows {len(cells)} cells, the notebook has {len(is_solution)}")
    pieces, done = [], 0
    for solution, run in itertools.groupby(zip(cells, is_solution), key=lambda pair: pair[1]):
        if not solution:
            continue
        run = [cell for cell, _ in run]
        start, end = run[0][0], run[-1][1]
        pieces += [html[done:start], REVEAL.format(html[start:end])]
        done = end
    return "".join(pieces) + html[done:]
