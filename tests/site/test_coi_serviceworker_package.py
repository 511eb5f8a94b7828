"""coi-serviceworker, vendored into lessonkit's assets from its pinned npm package, and checked.

The plugin copies src/lessonkit/assets/coi-serviceworker.js to the site's root
and every page loads it first (lessonkit/mkdocs/plugin.py says why): its
service worker adds the cross-origin isolation headers that let Stop interrupt
the page's Python in place. Vendored, as DOMPurify is (test_dompurify_package.py
says why), so that a build needs no registry; this test downloads the pinned
tarball, checks it against its sha512 integrity (npm's `dist.integrity`), and
checks that the vendored file is the tarball's, byte for byte.

To move to another version: take `dist.integrity` from
`npm view coi-serviceworker@X dist --json`, set VERSION and INTEGRITY below,
then run `python tests/site/test_coi_serviceworker_package.py`, which writes
the checked file.

The test needs the npm registry; without a network it is skipped, saying so.
"""

import sys
from pathlib import Path

import pytest
from npm_tarball import checked_member

pytestmark = pytest.mark.xdist_group("coi-serviceworker-package")  # one process (pytest -n) makes its module fixtures once

VERSION = "0.1.7"
INTEGRITY = "sha512-bjSUqEngCPOkErY2vbyWsaIGCNRODYzlNycaREVw5s12/C8SM+RnRUUeX6pZbTtov6C52ZLY/+tvHK+BDxuUuA=="
TARBALL = f"https://registry.npmjs.org/coi-serviceworker/-/coi-serviceworker-{VERSION}.tgz"
MEMBER = "package/coi-serviceworker.js"  # the unminified script: readable in a diff, 4 kB
VENDORED = Path(__file__).resolve().parents[2] / "src" / "lessonkit" / "assets" / "coi-serviceworker.js"


@pytest.fixture(scope="module")
def tarball_file():
    try:
        return checked_member(TARBALL, INTEGRITY, MEMBER)
    except OSError as error:
        pytest.skip(f"the npm registry cannot be reached ({error})")


def test_the_vendored_file_is_the_pinned_packages_file(tarball_file):
    assert VENDORED.read_bytes() == tarball_file, (
        f"{VENDORED.name} is not coi-serviceworker@{VERSION}'s {MEMBER}: run `python {Path(__file__).name}` in "
        "tests/site")


def test_the_vendored_file_keeps_its_licence_header_and_says_its_version():
    first = VENDORED.read_text(encoding="utf-8").splitlines()[0]
    assert first == f"/*! coi-serviceworker v{VERSION} - Guido Zuidhof and contributors, licensed under MIT */"


if __name__ == "__main__":
    VENDORED.write_bytes(checked_member(TARBALL, INTEGRITY, MEMBER))
    print(f"wrote {VENDORED} from coi-serviceworker@{VERSION}", file=sys.stderr)
