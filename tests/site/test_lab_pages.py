"""The lab-pages hook on what mkdocs-jupyter really renders: a lab page loads nothing from another host, is the same
on every build, hides its answers in closed reveals, and shows each print as one block per stream.

Each test writes a small lab (jupytext percent format, as docs/chapter-N/lab-*.py
are) and renders it with mkdocs-jupyter's own converter, with the site's settings.
"""

import re
from html import unescape
from types import SimpleNamespace

import nbformat
import pytest
from mkdocs.exceptions import PluginError
from mkdocs_jupyter.nbconvert2 import nb2html

import lab_pages  # from docs/overrides/hooks (tests/conftest.py)

LAB = '''\
# %% [markdown]
# # Lab: a small one

# %%
answer = None  # your answer here

# %% [markdown] tags=["solution"] jupyter={"source_hidden": true}
# Why: two and two make four.

# %% tags=["solution"] jupyter={"source_hidden": true}
answer = 2 + 2

# %% [markdown]
# ## Next exercise

# %% tags=["solution"] jupyter={"source_hidden": true}
print("second answer", answer)
'''
# Where a page's HTML would load something from another host: a script's src, or a module's import.
LOADS = re.compile(r"""(?:<script[^>]*\ssrc=|\bimport\s*\(|\bfrom\s+)\s*["'](?:https?:)?//""")


def page(src_uri, abs_src_path=None):
    return SimpleNamespace(file=SimpleNamespace(src_uri=src_uri, abs_src_path=abs_src_path))


@pytest.fixture
def lab(tmp_path):
    """The path of a small lab, with its cells' tags."""
    path = tmp_path / "lab-small.py"
    path.write_text(LAB, encoding="utf-8")
    return path


def rendered(path):
    """The lab as mkdocs-jupyter renders it into the page (mkdocs.yml: no_prompt); the site also executes it."""
    return nb2html(str(path), execute=False, no_prompt=True)


def text(html):
    """What a reader reads of some HTML."""
    return unescape(re.sub(r"<[^>]+>", "", html))


def cells(html):
    return re.findall(r'<div class="jp-Cell[^"]*" id="([^"]+)"', html)


def test_a_lab_page_loads_nothing_from_another_host_and_is_the_same_on_every_build(lab):
    first, second = rendered(lab), rendered(lab)
    assert LOADS.search(first), "mkdocs-jupyter no longer loads MathJax or Mermaid from a CDN: is this hook needed?"
    assert cells(first) != cells(second), "jupytext no longer makes up cell ids: is this hook needed?"
    first = lab_pages.on_post_page(first, page("chapter-2/lab-small.py"), {})
    second = lab_pages.on_post_page(second, page("chapter-2/lab-small.py"), {})
    assert first == second
    assert not LOADS.search(first)
    assert cells(first) == [f"lab-cell-{number}" for number in range(1, 7)]


def test_a_lesson_page_is_left_alone(lab):
    html = rendered(lab)
    assert lab_pages.on_post_page(html, page("chapter-2/2.1-values-and-expressions.md"), {}) == html


def test_solution_cells_go_into_one_closed_reveal_per_run(lab):
    html = lab_pages.on_page_content(rendered(lab), page("chapter-2/lab-small.py", abs_src_path=str(lab)))
    reveals = re.findall(r'<details class="success lab-solution"><summary>Solution</summary>(.*?)</details>',
                         html, re.DOTALL)
    assert len(reveals) == 2
    assert "Why: two and two make four." in text(reveals[0]) and "answer = 2 + 2" in text(reveals[0])
    assert 'print("second answer", answer)' in text(reveals[1])
    shown = text(re.sub(r"<details.*?</details>", "", html, flags=re.DOTALL))
    assert "Lab: a small one" in shown and "answer = None  # your answer here" in shown and "Next exercise" in shown
    assert "<details open" not in html
    assert html.count("<div") == html.count("</div>")


def test_a_page_whose_cells_do_not_match_its_notebook_fails_the_build(lab):
    with pytest.raises(PluginError, match="chapter-2/lab-small.py: the page shows 6 cells, the notebook has 5"):
        lab_pages.solutions_in_reveals(rendered(lab), [False, False, True, True, False], "chapter-2/lab-small.py")


def lab_page_html(folder, outputs):
    """A one-cell lab with these outputs, rendered as mkdocs-jupyter renders a lab, then through this hook."""
    lab = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("report()", id="report", outputs=[
        nbformat.v4.new_output("stream", name=stream, text=text) for stream, text in outputs])])
    folder.mkdir()
    nbformat.write(lab, folder / "lab.ipynb")
    return lab_pages.on_page_content(rendered(folder / "lab.ipynb"),
                                     page("chapter-2/lab.ipynb", abs_src_path=str(folder / "lab.ipynb")))


def test_a_print_shows_the_same_however_the_kernel_split_it(tmp_path):
    whole = lab_page_html(tmp_path / "whole", [("stdout", "one\ntwo\n"), ("stderr", "warning\n"), ("stdout", "three\n")])
    split = lab_page_html(tmp_path / "split", [("stdout", "on"), ("stdout", "e\n"), ("stdout", "two\n"),
                                               ("stderr", "warn"), ("stderr", "ing\n"), ("stdout", "three\n")])
    assert split == whole
    assert whole.count('class="jp-OutputArea-child"') == 3, "stdout, stderr, stdout stay three blocks"
    assert "<pre>one\ntwo\n</pre>" in whole
