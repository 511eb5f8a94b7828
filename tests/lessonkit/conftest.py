import textwrap

import pytest

from lessonkit.parse import parse_page


@pytest.fixture
def write_page(tmp_path):
    """Write a page under tmp_path/docs and parse it; its path is relative to tmp_path, as the adapters make it."""
    def write(text, name="page.md"):
        path = tmp_path / "docs" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        text = textwrap.dedent(text).lstrip("\n")
        path.write_text(text, encoding="utf-8")
        return parse_page(text, f"docs/{name}")
    return write
