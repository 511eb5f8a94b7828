"""MkDocs hook: make the lab pages that mkdocs-jupyter renders offline and reproducible.

mkdocs-jupyter's page template carries two things this site does not want:
- a MathJax loader and a Mermaid module that imports Mermaid from a CDN when a
  notebook has a diagram (the labs have neither, and the site works offline);
- cell ids that jupytext makes up at random on every read of a .py notebook,
  so two builds of the same lab would differ.
This hook drops the first and numbers the cells in order instead.
"""

import itertools
import re

MATHJAX_AND_MERMAID = re.compile(r"<!-- Load mathjax -->.*?<!-- End of mermaid configuration -->", re.DOTALL)
CELL_ID = re.compile(r'id="cell-id=[0-9a-f]+"')


def on_post_page(output, page, config):
    if not page.file.src_uri.endswith((".py", ".ipynb")):
        return output
    output = MATHJAX_AND_MERMAID.sub("", output)
    numbers = itertools.count(1)
    return CELL_ID.sub(lambda _: f'id="cell-{next(numbers)}"', output)
