"""The page's sanitizer, DOMPurify, vendored into lessonkit's assets from its pinned npm package, and checked.

Why vendored (src/lessonkit/assets/purify.es.mjs), and not fetched at build
time as Pyodide is (lessonkit/mkdocs/pyodide.py): the page needs one file of
the package, 87 kB, licence header included, where Pyodide is 6.5 MB of
runtime that a repository should not carry. As package data, the file ships
with lessonkit, so a build needs neither a network nor a registry, a second
course gets it with `pip install lessonkit`, and a new version shows in a
diff. What keeps it honest is this test: it downloads the pinned tarball,
checks it against its sha512 integrity (npm's `dist.integrity`), and checks
that the vendored file is the tarball's file, byte for byte.

To move to another version: take `dist.integrity` from
`npm view dompurify@X dist --json`, set VERSION and INTEGRITY below, then run
`python tests/site/test_dompurify_package.py`, which writes the checked file.

The test needs the npm registry; without a network it is skipped, saying so.
"""

import sys
from pathlib import Path

import pytest

from npm_tarball import checked_member

pytestmark = pytest.mark.xdist_group("dompurify-package")  # one process (pytest -n) makes its module fixtures once

VERSION = "3.5.0"
INTEGRITY = "sha512-LYC0ZkE8P1V42JsRYTwMdme/2ET8SpOc5AA2eOFjP/IadvRd2fwiT4TVz5vkfy0XUx12aS2UaRkTnfVPNOv9vw=="
TARBALL = f"https://registry.npmjs.org/dompurify/-/dompurify-{VERSION}.tgz"
MEMBER = "package/dist/purify.es.mjs"  # the ES module build, which run.js imports
VENDORED = Path(__file__).resolve().parents[2] / "src" / "lessonkit" / "assets" / "purify.es.mjs"


def pinned_file():
    """The file from the pinned tarball, after checking the tarball against its integrity."""
    return checked_member(TARBALL, INTEGRITY, MEMBER)


@pytest.fixture(scope="module")
def tarball_file():
    try:
        return pinned_file()
    except OSError as error:
        pytest.skip(f"the npm registry cannot be reached ({error})")


def test_the_vendored_file_is_the_pinned_packages_file(tarball_file):
    assert VENDORED.read_bytes() == tarball_file, (
        f"{VENDORED.name} is not dompurify@{VERSION}'s {MEMBER}: run `python {Path(__file__).name}` in tests/site")


def test_the_vendored_file_keeps_its_licence_header_and_says_its_version():
    first = VENDORED.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith(f"/*! @license DOMPurify {VERSION} | (c) Cure53 and other contributors")


if __name__ == "__main__":
    VENDORED.write_bytes(pinned_file())
    print(f"wrote {VENDORED} from dompurify@{VERSION}", file=sys.stderr)
