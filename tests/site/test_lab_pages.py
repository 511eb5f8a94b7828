"""The lab-pages hook: a lab page loads nothing from a CDN and is the same on every build."""

import re
from types import SimpleNamespace

import nbformat
import pytest
from mkdocs.exceptions import PluginError
from mkdocs_jupyter.nbconvert2 import nb2html

import lab_pages  # from docs/overrides/hooks (tests/conftest.py)

TEMPLATE = """<head><!-- Load mathjax -->
<script src=""> </script>
<script type="module">const m = await import("https://cdn.example/mermaid.mjs");</script>
<!-- End of mermaid configuration --></head>
<div class="jp-Cell" id="cell-id={}"></div><div class="jp-Cell" id="cell-id={}"></div>"""


def page(src_uri, abs_src_path=None):
    return SimpleNamespace(file=SimpleNamespace(src_uri=src_uri, abs_src_path=abs_src_path))


def test_a_lab_page_loses_its_cdn_loaders_and_numbers_its_cells():
    first = lab_pages.on_post_page(TEMPLATE.format("0ed6274a", "9c1f0b2d"), page("chapter-2/lab.py"), {})
    second = lab_pages.on_post_page(TEMPLATE.format("78ef0a33", "1234abcd"), page("chapter-2/lab.py"), {})
    assert first == second
    assert "https://" not in first and '<script src="">' not in first
    assert 'id="lab-cell-1"' in first and 'id="lab-cell-2"' in first


def test_a_lesson_page_is_left_alone():
    html = TEMPLATE.format("0ed6274a", "9c1f0b2d")
    assert lab_pages.on_post_page(html, page("chapter-2/2.1-values-and-expressions.md"), {}) == html


def test_solution_cells_go_into_one_closed_reveal_per_run():
    cells = ('<div class="jp-Notebook">'
             '<div class="jp-Cell jp-CodeCell">starter<div class="jp-Cell jp-CodeCell">inner</div></div>'
             '<div class="jp-Cell jp-MarkdownCell"><p>why</p></div>'
             '<div class="jp-Cell jp-CodeCell"><div class="jp-Cell jp-CodeCell">answer</div></div>'
             '<div class="jp-Cell jp-MarkdownCell"><h2>Next exercise</h2></div>'
             '<div class="jp-Cell jp-CodeCell">second answer</div>'
             '</div>')
    html = lab_pages.solutions_in_reveals(cells, [False, True, True, False, True], "chapter-2/lab.py")
    reveals = re.findall(r"<details[^>]*>(.*?)</details>", html, re.DOTALL)
    assert len(reveals) == 2
    assert "why" in reveals[0] and "answer" in reveals[0] and "Next exercise" not in reveals[0]
    assert "second answer" in reveals[1]
    assert "starter" not in "".join(reveals)
    assert "<details open" not in html
    assert html.count("<div") == html.count("</div>")


def test_a_page_whose_cells_do_not_match_its_notebook_fails_the_build():
    with pytest.raises(PluginError, match="chapter-2/lab.py: the page shows 1 cells, the notebook has 2"):
        lab_pages.solutions_in_reveals('<div class="jp-Cell">x</div>', [False, True], "chapter-2/lab.py")


def lab_page_html(folder, outputs):
    """A one-cell lab with these outputs, rendered as mkdocs-jupyter renders a lab, then through this hook."""
    lab = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("report()", id="report", outputs=[
        nbformat.v4.new_output("stream", name=stream, text=text) for stream, text in outputs])])
    folder.mkdir()
    nbformat.write(lab, folder / "lab.ipynb")
    html = nb2html(str(folder / "lab.ipynb"), execute=False, no_prompt=True)
    return lab_pages.on_page_content(html, page("chapter-2/lab.ipynb", abs_src_path=str(folder / "lab.ipynb")))


def test_a_print_shows_the_same_however_the_kernel_split_it(tmp_path):
    whole = lab_page_html(tmp_path / "whole", [("stdout", "one\ntwo\n"), ("stderr", "warning\n"), ("stdout", "three\n")])
    split = lab_page_html(tmp_path / "split", [("stdout", "on"), ("stdout", "e\n"), ("stdout", "two\n"),
                                               ("stderr", "warn"), ("stderr", "ing\n"), ("stdout", "three\n")])
    assert split == whole
    assert whole.count('class="jp-OutputArea-child"') == 3, "stdout, stderr, stdout stay three blocks"
    assert "<pre>one\ntwo\n</pre>" in whole
