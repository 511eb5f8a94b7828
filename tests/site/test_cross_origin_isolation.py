"""Every page of the built course loads coi-serviceworker.js first, from the site's root, where its service worker's
scope is the whole site; the browser tests (tests/browser/test_live_runs.py) show what it buys: Stop keeps the
page's namespace."""

import posixpath
import re
from pathlib import Path

import lessonkit

VENDORED = Path(lessonkit.__file__).parent / "assets" / "coi-serviceworker.js"
FIRST_IN_HEAD = re.compile(r"<head>\s*<script src=\"([^\"]+)\"></script>")


def test_the_service_worker_is_at_the_sites_root_as_vendored(built_site):
    assert (built_site / "coi-serviceworker.js").read_bytes() == VENDORED.read_bytes()


def test_every_page_loads_it_first_from_the_sites_root(built_site):
    pages = [path for path in built_site.rglob("*.html") if path.name != "404.html"]  # MkDocs' 404 is no page
    assert len(pages) > 20
    for page in pages:
        first = FIRST_IN_HEAD.search(page.read_text(encoding="utf-8"))
        assert first, f"{page.relative_to(built_site)} does not load a script first"
        folder = page.parent.relative_to(built_site).as_posix()
        assert posixpath.normpath(posixpath.join(folder, first[1])) == "coi-serviceworker.js", page
