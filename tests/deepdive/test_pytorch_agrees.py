"""The PyTorch code on the "Build your own Value" page prints what the deepdive code beside it prints.

The site never runs PyTorch (it is a large install, and no extra pulls it in);
this test runs the page's own PyTorch snippet wherever torch is installed.
"""

import contextlib
import io
from pathlib import Path

import pytest
from lessonkit import parse_page


PAGE = Path(__file__).parents[2] / "docs" / "chapter-2" / "build-your-own-value.md"


def test_the_pytorch_snippet_prints_the_deepdive_numbers():
    pytest.importorskip("torch")
    page = parse_page(PAGE.read_text(encoding="utf-8"), "docs/chapter-2/build-your-own-value.md")
    torch_snippet = next(s for s in page.snippets if "import torch" in s.code)
    deepdive_snippet = next(s for s in page.snippets if s.expected.startswith("out "))
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(torch_snippet.code, str(PAGE), "exec"), {})
    assert printed.getvalue() == deepdive_snippet.expected
