"""The whole site in a browser: lesson chrome on every lesson, offline, dark, on a phone."""

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
            url = source.relative_to(ROOT / "docs").with_suffix("").as_posix() + "/"
            found.append(pytest.param(number.group(1), url, id=number.group(1)))
    return found


PAGES = ["", "chapter-2/"] + [param.values[1] for param in lessons()]


@pytest.mark.parametrize("number, url", lessons())
def test_every_lesson_has_its_chrome(desktop, number, url):
    page = desktop.open(url)
    sections = page.locator("article h2").count()
    expect(page.locator(".lesson-eyebrow")).to_have_text(f"Chapter {number.split('.')[0]} · Lesson {number}")
    expect(page.locator(".lesson-progress__step")).to_have_text(f"Step 1 of {sections}")
    expect(page.locator(".lesson-progress__time")).to_have_text(re.compile(r"^~\d+ min left$"))
    expect(page.locator(".lesson-bar [aria-current=page]")).to_have_text(number)
    for answers in page.locator("details", has_text="Reveal answers").all():
        expect(answers).not_to_have_attribute("open", re.compile(".*"))


def test_lesson_bar_links_reach_every_lesson(desktop):
    page = desktop.open(lessons()[0].values[1])
    numbers = page.locator(".lesson-bar a").all_inner_texts()
    assert numbers == [param.values[0] for param in lessons()]
    for number in numbers:
        page.locator(".lesson-bar a", has_text=number).click()
        expect(page.locator(".lesson-eyebrow")).to_have_text(re.compile(rf"Lesson {re.escape(number)}$"))
        expect(page.locator(".lesson-bar [aria-current=page]")).to_have_text(number)


@pytest.mark.parametrize("path", PAGES)
def test_page_loads_nothing_from_outside_and_logs_no_errors(desktop, path):
    desktop.open(path)
    desktop.page.wait_for_load_state("networkidle")
    assert desktop.outside_requests == []
    assert desktop.console_errors == []


def test_built_html_references_nothing_outside(built_site):
    outside = re.compile(r'<(?:script|img|iframe|source)\b[^>]*\bsrc="https?://|<link\b[^>]*\bhref="https?://')
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
def test_phone_width_has_no_horizontal_scroll(phone, path):
    page = phone.open(path)
    assert not has_horizontal_scroll(page)
    if path:
        phone.screenshot("phone-" + path.strip("/").replace("/", "-"))
    else:
        phone.screenshot("phone-home")


def test_phone_dark_lesson(phone):
    page = phone.open(lessons()[0].values[1])
    switch_to_dark(page)
    assert not has_horizontal_scroll(page)
    page.evaluate("document.getElementById('tiny-checkpoint').scrollIntoView()")
    phone.screenshot("phone-lesson-2.1-dark-checkpoint")
