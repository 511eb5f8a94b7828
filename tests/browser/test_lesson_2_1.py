"""Lesson 2.1 as a learner sees it: printed graphs, the checkpoint's answers, the chrome."""

import re

from playwright.sync_api import expect

LESSON = "chapter-2/2.1-values-and-expressions/"


def test_shows_the_printed_graph_of_c(desktop_reader):
    page = desktop_reader.open(LESSON)
    card_of_c = 'c\ndata: -6.0\n_op: "*"\n_prev: {a, b}'
    outputs = page.locator("article .lessonkit-output")
    texts = [text.strip() for text in outputs.all_inner_texts()]
    assert any(text.endswith(card_of_c) for text in texts), texts


def test_reveal_answers_is_closed_and_opens_on_click(desktop_reader):
    page = desktop_reader.open(LESSON)
    answers = page.locator("details", has_text="Reveal answers")
    expect(answers).to_have_count(1)
    expect(answers).not_to_have_attribute("open", re.compile(".*"))
    fourteen = answers.locator(".lessonkit-output", has_text="data: 14.0").first
    expect(fourteen).to_be_hidden()

    answers.locator("summary").click()

    expect(answers).to_have_attribute("open", re.compile(".*"))
    expect(fourteen).to_be_visible()
    expect(answers.locator(".lessonkit-output", has_text="_prev: {z, x}")).to_be_visible()
    answers.scroll_into_view_if_needed()
    desktop_reader.screenshot("lesson-2.1-answers-revealed")


def test_step_indicator_follows_the_reader(desktop_reader):
    page = desktop_reader.open(LESSON)
    step = page.locator(".lesson-progress__step")
    time_left = page.locator(".lesson-progress__time")
    expect(step).to_have_text("Section 1 of 6")
    minutes_at_top = minutes_left(time_left.inner_text())
    desktop_reader.screenshot("lesson-2.1-light")

    page.evaluate("document.getElementById('tiny-checkpoint').scrollIntoView()")

    expect(step).to_have_text("Section 6 of 6")
    expect(step).to_be_in_viewport()  # the indicator stays in sight while scrolling
    assert minutes_left(time_left.inner_text()) < minutes_at_top


def minutes_left(text):
    """The minutes in "~7 min left"; "done" is none."""
    return 0 if text == "done" else int(re.fullmatch(r"~(\d+) min left", text).group(1))


def test_chrome_reads_as_the_lesson_does(desktop_reader):
    page = desktop_reader.open(LESSON)
    expect(page.locator(".lesson-eyebrow")).to_have_text("Chapter 2 · Lesson 2.1")
    expect(page.locator("h1")).to_have_text(re.compile(r"^Values and expressions"))
    expect(page.locator(".lesson-bar [aria-current=page]")).to_have_text("2.1")


def test_skip_to_content_jumps_to_the_lesson(desktop_reader):
    page = desktop_reader.open(LESSON)
    page.keyboard.press("Tab")
    skip = page.locator(".md-skip")
    expect(skip).to_be_focused()
    expect(skip).to_have_text("Skip to content")
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#values-and-expressions$"))


def test_the_graph_of_e_is_drawn_and_reads_in_both_palettes(desktop):
    page = desktop.open(LESSON)
    diagram = page.get_by_role("img", name="Graph of e")
    expect(diagram).to_be_visible()
    for text in ("data -6.0", "data -7.0"):
        expect(diagram.locator("text", has_text=text)).to_have_count(1)
    light = diagram.locator("text", has_text="data -7.0").evaluate("t => getComputedStyle(t).fill")
    diagram.scroll_into_view_if_needed()
    desktop.screenshot("lesson-2.1-diagram-light")

    page.locator("label[title='Switch to dark mode']").first.click()
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "slate")
    dark = diagram.locator("text", has_text="data -7.0").evaluate("t => getComputedStyle(t).fill")
    diagram.scroll_into_view_if_needed()
    desktop.screenshot("lesson-2.1-diagram-dark")
    assert light != dark, "the diagram's text keeps one colour in both palettes"
