"""The lab-pages hook: a lab page loads nothing from a CDN and is the same on every build."""

import importlib.util
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("lab_pages", ROOT / "docs/overrides/hooks/lab_pages.py")
lab_pages = importlib.util.module_from_spec(spec)
spec.loader.exec_module(lab_pages)

TEMPLATE = """<head><!-- Load mathjax -->
<script src=""> </script>
<script type="module">const m = await import("https://cdn.example/mermaid.mjs");</script>
<!-- End of mermaid configuration --></head>
<div class="jp-Cell" id="cell-id={}"></div><div class="jp-Cell" id="cell-id={}"></div>"""


def page(src_uri):
    return SimpleNamespace(file=SimpleNamespace(src_uri=src_uri))


def test_a_lab_page_loses_its_cdn_loaders_and_numbers_its_cells():
    first = lab_pages.on_post_page(TEMPLATE.format("0ed6274a", "9c1f0b2d"), page("chapter-2/lab.py"), {})
    second = lab_pages.on_post_page(TEMPLATE.format("78ef0a33", "1234abcd"), page("chapter-2/lab.py"), {})
    assert first == second
    assert "https://" not in first and '<script src="">' not in first
    assert 'id="cell-1"' in first and 'id="cell-2"' in first


def test_a_lesson_page_is_left_alone():
    html = TEMPLATE.format("0ed6274a", "9c1f0b2d")
    assert lab_pages.on_post_page(html, page("chapter-2/2.1-values-and-expressions.md"), {}) == html
