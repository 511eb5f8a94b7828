"""The lesson-chrome hook: a lesson's number comes from its front matter, and a bad one names its line."""

from types import SimpleNamespace

import pytest
import yaml
from mkdocs.exceptions import PluginError

import lesson_chrome  # from docs/overrides/hooks (tests/conftest.py)

HTML = "<h1>Values</h1><p>One two.</p><h2 id='first'>First</h2><p>Three four five.</p>"


def lesson_page(number, tmp_path):
    """A page whose front matter says `lesson: <number>`, and the config of the project in tmp_path."""
    text = f"---\ntitle: Values\nlesson: {number}\n---\n\n# Values\n"
    file = SimpleNamespace(src_uri="chapter-2/2.10-values.md", content_string=text,
                           abs_src_path=str(tmp_path / "docs" / "chapter-2" / "2.10-values.md"))
    page = SimpleNamespace(meta=yaml.safe_load(text.split("---")[1]), file=file)
    return page, SimpleNamespace(config_file_path=str(tmp_path / "mkdocs.yml"))


def test_a_lesson_gets_its_number_and_its_sections(tmp_path):
    page, config = lesson_page('"2.10"', tmp_path)
    lesson_chrome.on_page_content(HTML, page, config)
    assert page.meta["lesson"] == "2.10"
    assert page.meta["steps"] == [{"id": "first", "title": "First", "words": 7}]  # the words before it count too


@pytest.mark.parametrize("number", ["2.10", "two", '"2"'])
def test_a_lesson_number_not_in_quotes_or_not_a_number_fails_the_build_at_its_line(number, tmp_path):
    page, config = lesson_page(number, tmp_path)
    with pytest.raises(PluginError, match=r'^docs/chapter-2/2.10-values.md:3: lesson: .* is not a lesson number '
                                          r'such as lesson: "2.1" \(in quotes\)$'):
        lesson_chrome.on_page_content(HTML, page, config)
