"""The whole site in a browser: lesson chrome on every lesson, offline, dark, on a phone.

Every visit also fails when a request leaves 127.0.0.1 or the console shows an error
(see conftest.py); the phone test waits for the network to go quiet on every page.
"""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

ROOT = Path(__file__).resolve().parents[2]


def lessons():
    """(number, url) of every lesson page: a page whose front matter says `lesson: "x.y"`."""
    found = []
    for source in sorted((ROOT / "docs").glob("chapter-*/*.md")):
        number = re.search(r'^lesson:\s*"?([\d.]+)"?\s*$', source.read_text(), re.MULTILINE)
        if number:
            url = page_url(source.relative_to(ROOT / "docs").with_suffix(""))
            found.append(pytest.param(number.group(1), url, id=number.group(1)))
    return found


def site_pages():
    """The URL of every page: each Markdown file, and each lab notebook (mkdocs-jupyter)."""
    docs = ROOT / "docs"
    sources = [*docs.rglob("*.md"), *docs.rglob("lab-*.py")]
    paths = sorted(source.relative_to(docs).with_suffix("") for source in sources)
    return [page_url(path) for path in paths if path.parts[0] != "overrides"]


def page_url(path):
    """docs/index.md is served at "", chapter-2/index.md at "chapter-2/", a.md at "a/"."""
    if path.name == "index":
        return "" if path.parent.name == "" else path.parent.as_posix() + "/"
    return path.as_posix() + "/"


PAGES = site_pages()


def overview_reading_time(built_site, url):
    """The "~M min" that the chapter overview gives next to its link to a lesson."""
    chapter, lesson = url.strip("/").split("/")
    overview = (built_site / chapter / "index.html").read_text()
    found = re.search(rf'href="{re.escape(lesson)}/".*?</a><span class="reading-time"> · (~\d+ min)', overview)
    assert found, f"{chapter}/index.md has no link to {lesson} marked .with-reading-time"
    return found.group(1)


@pytest.mark.parametrize("number, url", lessons())
def test_every_lesson_has_its_chrome(desktop_reader, built_site, number, url):
    page = desktop_reader.open(url)
    sections = page.locator("article h2").count()
    expect(page.locator(".lesson-eyebrow")).to_have_text(f"Chapter {number.split('.')[0]} · Lesson {number}")
    expect(page.locator(".lesson-progress__step")).to_have_text(f"Section 1 of {sections}")
    minutes = overview_reading_time(built_site, url)
    expect(page.locator(".lesson-progress__time")).to_have_text(f"{minutes} left")
    expect(page.locator(".lesson-bar [aria-current=page]")).to_have_text(number)
    for answers in page.locator("details", has_text="Reveal answers").all():
        expect(answers).not_to_have_attribute("open", re.compile(".*"))


@pytest.mark.parametrize("chapter", sorted({param.values[1].split("/")[0] for param in lessons()}))
def test_lesson_bar_links_reach_every_lesson(desktop_reader, chapter):
    in_chapter = [param.values for param in lessons() if param.values[1].startswith(chapter + "/")]
    page = desktop_reader.open(in_chapter[0][1])
    numbers = page.locator(".lesson-bar a").all_inner_texts()
    lab = ["Lab"] if list((ROOT / "docs" / chapter).glob("lab-*.py")) else []  # the chapter's lab comes last
    assert numbers == [number for number, _ in in_chapter] + lab
    for number in numbers[:-1]:
        page.locator(".lesson-bar a", has_text=number).click()
        expect(page.locator(".lesson-eyebrow")).to_have_text(re.compile(rf"Lesson {re.escape(number)}$"))
        expect(page.locator(".lesson-bar [aria-current=page]")).to_have_text(number)


def test_built_html_references_nothing_outside(built_site):
    # A canonical link names the page's published address; it loads nothing.
    outside = re.compile(r'<(?:script|img|iframe|source)\b[^>]*\bsrc="https?://'
                         r'|<link\b(?![^>]*\brel="canonical")[^>]*\bhref="https?://'
                         r'|import\(\s*["\']https?://|<script src="">')
    offenders = [
        f"{html.relative_to(built_site)}: {match.group(0)}"
        for html in built_site.rglob("*.html")
        for match in outside.finditer(html.read_text())
    ]
    assert offenders == []


def has_horizontal_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth > document.documentElement.clientWidth")


def switch_to_dark(page):
    page.locator("label[title='Switch to dark mode']").first.click()
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "slate")


def test_dark_palette(desktop):
    page = desktop.open(lessons()[0].values[1])
    switch_to_dark(page)
    assert not has_horizontal_scroll(page)
    desktop.screenshot("lesson-2.1-dark")
    page.locator("details", has_text="Reveal answers").locator("summary").click()
    page.locator("details", has_text="Reveal answers").scroll_into_view_if_needed()
    desktop.screenshot("lesson-2.1-dark-answers")


@pytest.mark.parametrize("path", PAGES)
def test_every_page_on_a_phone_fits_loads_only_local_files_and_logs_no_errors(phone_reader, path):
    page = phone_reader.open(path)
    page.wait_for_load_state("networkidle")  # the search index and favicon come late
    assert not has_horizontal_scroll(page)
    assert phone_reader.outside_requests == []
    assert phone_reader.console_errors == []
    phone_reader.screenshot("phone-" + (path.strip("/").replace("/", "-") or "home"))


def test_phone_dark_lesson(phone):
    page = phone.open(lessons()[0].values[1])
    switch_to_dark(page)
    assert not has_horizontal_scroll(page)
    page.evaluate("document.getElementById('tiny-checkpoint').scrollIntoView()")
    phone.screenshot("phone-lesson-2.1-dark-checkpoint")
