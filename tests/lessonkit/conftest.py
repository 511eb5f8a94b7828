import textwrap

import pytest
from lessonkit import parse_page



@pytest.fixture(autouse=True)
def cache_in_the_project(monkeypatch):
    """Each test's cache is in its project's .cache/lessonkit, even when the session's runs keep theirs elsewhere."""
    monkeypatch.delenv("LESSONKIT_CACHE", raising=False)


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
