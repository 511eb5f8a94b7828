"""The site as a learner meets it: where am I, the lab in its chapter, math, links, licences.

Every visit fails when a request leaves 127.0.0.1 (it is aborted and recorded) or
the console shows an error: see conftest.py.
"""

import re

import pytest
from playwright.sync_api import expect

LESSON = "chapter-2/2.2-nudging-inputs/"
LAB = "chapter-2/lab-values-and-gradients/"
REPO_URL = "https://github.com/gpt-deep-dive/gpt-deep-dive"  # mkdocs.yml's default for REPO_URL


def contents_links(page):
    return page.locator(".md-sidebar--secondary .md-nav--secondary a.md-nav__link")


def active_entry(page):
    return page.locator(".md-sidebar--secondary .md-nav__link--active")


@pytest.mark.parametrize("path", [LESSON, LAB])
def test_clicking_contents_entry_k_highlights_entry_k_and_section_k(desktop_reader, path):
    page = desktop_reader.open(path)
    links = contents_links(page)
    titles = [title.strip() for title in links.all_inner_texts()]
    sections = page.locator("article h2").count()
    assert len(titles) == sections >= 3
    for k in [*range(len(titles)), 1, 0]:  # forwards, then back up
        links.nth(k).click()
        expect(active_entry(page)).to_have_count(1)
        expect(active_entry(page)).to_have_text(titles[k])
        expect(page.locator(".lesson-progress__step")).to_have_text(f"Section {k + 1} of {sections}")


def test_while_reading_the_highlight_follows_the_heading_that_reaches_the_bars(desktop_reader):
    page = desktop_reader.open(LESSON)
    headings = page.locator("article h2")
    titles = [title.strip() for title in contents_links(page).all_inner_texts()]
    for k in range(1, 4):
        # Heading k still 30 px below the bars: section k is not being read yet.
        page.evaluate("([k, gap]) => { const h = document.querySelectorAll('article h2')[k];"
                      " window.scrollBy(0, h.getBoundingClientRect().top - parseFloat(getComputedStyle(h).scrollMarginTop)"
                      " - gap); }", [k, 30])
        expect(active_entry(page)).to_have_text(titles[k - 1])
        expect(page.locator(".lesson-progress__step")).to_have_text(re.compile(rf"^Section {k} of "))
        # Scrolled on by 40 px, it has reached them.
        page.mouse.wheel(0, 40)
        expect(active_entry(page)).to_have_text(titles[k])
        expect(page.locator(".lesson-progress__step")).to_have_text(re.compile(rf"^Section {k + 1} of "))
        assert headings.nth(k).bounding_box()["y"] > page.locator(".lesson-chrome").bounding_box()["y"]


def test_the_lab_is_in_its_chapter_with_a_lessons_bar_column_and_type(desktop_reader):
    page = desktop_reader.open(LAB)
    expect(page.locator(".lesson-eyebrow")).to_have_text("Chapter 2 · Lab")
    expect(page.locator(".lesson-bar [aria-current=page]")).to_have_text("Lab")
    expect(page.locator(".lesson-bar a")).to_have_text(["2.1", "2.2", "2.3", "2.4", "2.5", "2.6", "Lab"])
    expect(page.locator(".jp-InputPrompt, .jp-OutputPrompt").filter(has_text="[")).to_have_count(0)
    column = page.locator("article").bounding_box()
    for cell in page.locator(".jp-InputArea-editor").all()[:3]:
        assert cell.bounding_box()["width"] >= column["width"] - 1
    lab_code = page.locator(".highlight-ipynb pre").first.evaluate("e => getComputedStyle(e).fontSize")
    lab_prose = page.locator(".jp-RenderedMarkdown p").first.evaluate("e => getComputedStyle(e).fontFamily")

    lesson = desktop_reader.open(LESSON)
    assert lab_code == lesson.locator("article pre > code").first.evaluate("e => getComputedStyle(e).fontSize")
    assert lab_prose == lesson.locator("article > p").first.evaluate("e => getComputedStyle(e).fontFamily")
    lesson.locator(".lesson-bar a", has_text="Lab").click()
    expect(lesson.locator(".lesson-eyebrow")).to_have_text("Chapter 2 · Lab")


def test_the_chapter_index_lists_the_lab_and_says_what_you_will_be_able_to_do(desktop_reader):
    page = desktop_reader.open("chapter-2/")
    expect(page.locator("h2", has_text="What you will be able to do")).to_be_visible()
    expect(page.locator("article ul").first.locator("li")).not_to_have_count(0)
    page.locator("article a", has_text="Lab: values and gradients").click()
    expect(page.locator(".lesson-eyebrow")).to_have_text("Chapter 2 · Lab")


def test_every_lab_answer_is_behind_a_closed_reveal(desktop_reader):
    page = desktop_reader.open(LAB)
    reveals = page.locator("article details", has_text="Solution")
    expect(reveals).to_have_count(3)  # one per exercise
    for reveal in reveals.all():
        expect(reveal).not_to_have_attribute("open", re.compile(".*"))
    answer = page.locator("article pre", has_text="return a + b * -1")
    expect(answer).to_be_hidden()
    expect(page.locator("article p", has_text="a + b * -1")).to_have_count(0)  # not in the prose either
    expect(page.locator(".jp-Cell:visible", has_text="by_hand = {\"a\": 8")).to_have_count(0)

    reveals.first.locator("summary").click()
    expect(answer).to_be_visible()


def test_lab_copy_buttons_copy_their_own_cell(desktop_reader):
    page = desktop_reader.open(LAB)
    ids = page.evaluate("[...document.querySelectorAll('[id]')].map(e => e.id)")
    assert len(ids) == len(set(ids)), "duplicate ids: a copy button would copy another cell"


def test_the_lesson_bar_is_as_wide_as_the_code_blocks_on_a_phone(phone_reader):
    for path in [LESSON, LAB]:
        page = phone_reader.open(path)
        bar = page.locator(".lesson-chrome").bounding_box()
        code = page.locator("article pre, article .jp-InputArea-editor").first.bounding_box()
        assert (bar["x"], bar["width"]) == (code["x"], code["width"])


def test_math_is_typeset_as_mathml_in_the_texts_colour(desktop):
    page = desktop.open(LESSON)
    formulas = page.locator("article math")
    expect(formulas).not_to_have_count(0)
    expect(page.locator("article math[display=block]").first).to_be_visible()
    assert "\\frac" not in page.locator("article").inner_text()
    expect(page.locator("article .arithmatex")).to_have_count(0)
    assert formulas.first.bounding_box()["height"] > 30  # a built-up fraction, not a line of code
    for scheme in ["light", "dark"]:
        if scheme == "dark":
            page.locator("label[title='Switch to dark mode']").first.click()
            expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "slate")
        text = page.locator("article").evaluate("e => getComputedStyle(e).color")
        assert formulas.first.evaluate("e => getComputedStyle(e).color") == text


def test_repository_link_edit_link_and_no_request_to_githubs_api(desktop_reader):
    page = desktop_reader.open(LESSON)
    page.wait_for_load_state("networkidle")
    expect(page.locator(".md-header .md-source")).to_have_attribute("href", REPO_URL)
    edit = page.locator("a[rel=edit]")
    expect(edit).to_have_attribute("href", f"{REPO_URL}/edit/main/docs/chapter-2/2.2-nudging-inputs.md")
    assert [url for url in desktop_reader.outside_requests if "api.github.com" in url] == []
    assert desktop_reader.outside_requests == []


def test_download_notebook_has_a_name_and_a_label(desktop_reader):
    for path in [LESSON, LAB]:
        page = desktop_reader.open(path)
        button = page.get_by_role("link", name="Download notebook")
        expect(button).to_be_visible()
        expect(button).to_have_text("Download notebook")
        assert button.get_attribute("href").endswith(".ipynb")


def test_for_authors_is_out_of_the_course_nav_and_linked_from_the_footer(desktop_reader):
    page = desktop_reader.open("")
    expect(page.locator(".md-nav--primary a", has_text="For authors")).to_have_count(0)
    page.locator("footer a", has_text="For authors").click()
    expect(page.locator("article h1")).to_have_text(re.compile("^Writing and maintaining the course"))


def test_the_footer_shows_both_licences(desktop_reader):
    page = desktop_reader.open(LESSON)
    page.locator("footer a", has_text="MIT licence").click()
    expect(page.locator("article")).to_contain_text("Permission is hereby granted, free of charge")
    page.go_back()
    page.locator("footer a", has_text="CC BY 4.0").click()
    expect(page.locator("article")).to_contain_text("Creative Commons Attribution 4.0 International")


def test_the_chapter_ends_with_a_summary_and_a_next_link(desktop_reader):
    page = desktop_reader.open(LAB)
    next_page = page.locator(".md-footer__link--next")
    expect(next_page).to_have_attribute("aria-label", re.compile("Chapter 2 summary|Summary"))
    next_page.click()
    expect(page.locator("article h1")).to_have_text(re.compile("^Chapter 2 summary"))
    expect(page.locator("article h2", has_text="Next")).to_be_visible()
    expect(page.locator("article h2:has-text('Next') ~ p a").first).to_be_visible()
