"""The built site offers each lesson and lab as a download, and every download link resolves."""

import posixpath
from html.parser import HTMLParser
from pathlib import Path

import jupytext
import nbformat
import pytest

from lessonkit import export_notebook, read_page
from lessonkit.mkdocs.config import read_settings

ROOT = Path(__file__).resolve().parents[2]
REPO_URL = "https://github.com/gpt-deep-dive/gpt-deep-dive"  # mkdocs.yml's default for REPO_URL


class Links(HTMLParser):
    """The hrefs of a page's <a> tags whose attributes `wanted` accepts."""

    def __init__(self, wanted):
        super().__init__()
        self.wanted = wanted
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and self.wanted(attrs):
            self.hrefs.append(attrs["href"])


def downloads(site, page_dir):
    """The files that the page in site/page_dir links to with a download button."""
    parser = Links(lambda attrs: "download" in attrs)
    parser.feed((site / page_dir / "index.html").read_text())
    return [site / posixpath.normpath(posixpath.join(page_dir, href)) for href in parser.hrefs]


def cells_besides_the_install_cell(notebook):
    """The notebook's cells without what the site adds: the install cell, and the note in the first cell."""
    first, install, *rest = notebook.cells
    assert install.id == "install-packages" and "import deepdive" in install.source
    note = "\n\nThe next cell makes `import deepdive` work"
    assert f"[the course's repository]({REPO_URL})" in first.source.split(note)[1]
    first.source = first.source.split(note)[0]
    return [first, *rest]


def test_every_download_link_in_the_site_resolves(built_site):
    pages = [path.parent.relative_to(built_site).as_posix() for path in built_site.glob("**/index.html")]
    links = [file for page in pages for file in downloads(built_site, page)]
    assert links, "no page has a download button"
    assert [file for file in links if not file.is_file()] == []


@pytest.mark.parametrize("lesson", ["2.1-values-and-expressions", "2.5-from-values-to-a-neuron"])
def test_a_lesson_downloads_as_its_exported_notebook(built_site, lesson):
    [notebook] = downloads(built_site, f"chapter-2/{lesson}")
    assert notebook == built_site / "chapter-2" / f"{lesson}.ipynb"
    page = f"docs/chapter-2/{lesson}.md"
    subtitle = read_settings(ROOT / "mkdocs.yml")[1].notebooks.subtitle  # the course's words, from its settings
    exported = nbformat.reads(export_notebook(read_page(page, ROOT), subtitle), as_version=4)
    assert cells_besides_the_install_cell(nbformat.reads(notebook.read_text(), as_version=4)) == exported.cells


def test_the_lab_shows_its_real_outputs_and_downloads_as_a_notebook_of_its_cells(built_site):
    lab = "chapter-2/lab-values-and-gradients"
    assert "it matches a - b" in (built_site / lab / "index.html").read_text()
    [download] = downloads(built_site, lab)
    assert download == built_site / "chapter-2" / "lab-values-and-gradients.ipynb"
    notebook = nbformat.reads(download.read_text(), as_version=4)
    nbformat.validate(notebook)
    source = jupytext.reads((ROOT / "docs" / "chapter-2" / "lab-values-and-gradients.py").read_text(), fmt="py:percent")
    cells = cells_besides_the_install_cell(notebook)
    assert [cell.source for cell in cells] == [cell.source for cell in source.cells]
    assert [cell.id for cell in cells] == [f"cell-{n}" for n in range(1, len(source.cells) + 1)]


def test_the_lab_comes_right_after_the_lessons_in_the_navigation(built_site):
    parser = Links(lambda attrs: "md-nav__link" in (attrs.get("class") or "").split())
    parser.feed((built_site / "chapter-2" / "index.html").read_text())
    chapter = [href.strip("./") for href in parser.hrefs]
    after_lessons = chapter.index("build-your-own-value") + 1  # 2.6, the last lesson
    assert chapter[after_lessons] == "lab-values-and-gradients"
