"""Every data file in the course sits next to its licence, which names its source and its sha256."""

import hashlib
import re
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parents[2] / "docs"
DATA = sorted(path for path in DOCS.glob("**/data/*") if not path.name.endswith("-LICENSE.txt"))


def test_chapter_3_has_its_names():
    assert DOCS / "chapter-3" / "data" / "names.txt" in DATA


@pytest.mark.parametrize("path", DATA, ids=lambda path: path.relative_to(DOCS).as_posix())
def test_a_data_file_matches_the_sha256_its_licence_gives(path):
    licence = path.with_name(f"{path.stem}-LICENSE.txt")
    assert licence.exists(), f"{path.name} needs its licence and source in {licence.name}"
    text = licence.read_text(encoding="utf-8")
    assert re.search(r"^Source: ", text, re.MULTILINE), f"{licence.name} does not say where the data comes from"
    assert re.search(r"Copyright \(c\) \d{4} ", text), f"{licence.name} has no copyright line"
    stated = re.search(r"sha256 of this copy: ([0-9a-f]{64})", text)
    assert stated, f"{licence.name} does not give the file's sha256"
    assert hashlib.sha256(path.read_bytes()).hexdigest() == stated[1], f"{path.name} is not the copy its licence describes"
