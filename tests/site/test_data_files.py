"""Every data file in the course sits next to its licence, which names its source and its sha256.

The names data set is deepdive's package data (src/deepdive/names.txt), so that
it goes wherever deepdive is installed; chapter 3 links the same file for
download (docs/chapter-3/data/ holds links to it, not copies).
"""

import hashlib
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
PACKAGE_DATA = ROOT / "src" / "deepdive" / "names.txt"
DATA = sorted([PACKAGE_DATA, *(path for path in DOCS.glob("**/data/*") if not path.name.endswith("-LICENSE.txt"))])


def test_chapter_3_offers_the_package_s_names_for_download():
    download = DOCS / "chapter-3" / "data" / "names.txt"
    assert download.resolve() == PACKAGE_DATA.resolve()
    assert (DOCS / "chapter-3" / "data" / "names-LICENSE.txt").resolve() == PACKAGE_DATA.with_name("names-LICENSE.txt")


@pytest.mark.parametrize("path", DATA, ids=lambda path: path.relative_to(ROOT).as_posix())
def test_a_data_file_matches_the_sha256_its_licence_gives(path):
    licence = path.with_name(f"{path.stem}-LICENSE.txt")
    assert licence.exists(), f"{path.name} needs its licence and source in {licence.name}"
    text = licence.read_text(encoding="utf-8")
    assert re.search(r"^Source: ", text, re.MULTILINE), f"{licence.name} does not say where the data comes from"
    assert re.search(r"Copyright \(c\) \d{4} ", text), f"{licence.name} has no copyright line"
    stated = re.search(r"sha256 of this copy: ([0-9a-f]{64})", text)
    assert stated, f"{licence.name} does not give the file's sha256"
    assert hashlib.sha256(path.read_bytes()).hexdigest() == stated[1], f"{path.name} is not the copy its licence describes"
