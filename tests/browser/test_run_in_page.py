"""Lesson snippets run in the page: edit, Run, Reset, Stop, on Pyodide served by the site.

Every visit aborts and counts requests to any host but the local server, and
fails on a console error (conftest.py). The first Run of a visit starts Python
in a Web Worker, which takes seconds, hence the long timeouts.
"""

import json
import re

from playwright.sync_api import expect

LESSON = "chapter-2/2.1-values-and-expressions/"
STARTING = 90_000  # ms: the first Run of a visit loads Python


def snippet(page, *lines):
    """The block of the snippet whose lesson code has all these lines (pinned by its id: edits change its text)."""
    block = page.locator("[data-snippet]")
    for line in lines:
        block = block.filter(has=page.locator("code", has_text=line))
    return page.locator(f'[data-snippet="{block.first.get_attribute("data-snippet")}"]')


def editor(block):
    return block.get_by_role("textbox", name=re.compile("^Code"))


def output(block):
    return block.get_by_role("status", name=re.compile("^Output"))


def test_change_a_in_the_staged_expression_and_run_show_e(desktop):
    page = desktop.open(LESSON)
    staged = snippet(page, "a = Value(2.0)", "d = a + b")
    code = editor(staged).input_value()
    editor(staged).fill(code.replace("Value(2.0)", "Value(5.0)"))

    show_e = snippet(page, "show(e)")
    show_e.get_by_role("button", name="Run").click()

    # the earlier snippets ran first, the staged one as edited: e = 5 * -3 + (5 + -3)
    expect(output(show_e)).to_contain_text('a\ndata: 5.0\n_op: ""', timeout=STARTING)
    expect(output(show_e)).to_contain_text('e\ndata: -13.0\n_op: "+"\n_prev: {c, d}')
    draw_e = snippet(page, "draw(e)")
    draw_e.get_by_role("button", name="Run").click()
    diagram = output(draw_e).get_by_role("img", name="Graph of e")
    expect(diagram.locator("text", has_text="data -13.0")).to_have_count(1)
    diagram.scroll_into_view_if_needed()
    desktop.screenshot("run-in-page-draw-light")
    assert desktop.outside_requests == []


def test_exercise_checks_share_the_worker_and_say_pass_or_fail(desktop):
    page = desktop.open(LESSON)
    show_e = snippet(page, "show(e)").get_attribute("data-snippet")  # its id
    run = "([code, check]) => window.lessonkitRun.run(%s, code, check)" % json.dumps(show_e)
    failed = page.evaluate(run, ["x = 1\n", "assert x == 2, f'x: yours {x}, expected 2'"])
    assert failed["check"] == {"status": "fail", "message": "x: yours 1, expected 2"}
    passed = page.evaluate(run, ["x = e.data + 9\n", "assert x == 2"])  # e: from the earlier snippets, replayed
    assert passed["check"] == {"status": "pass", "message": ""}


def test_an_error_shows_its_line_and_stop_interrupts_an_endless_loop(desktop):
    page = desktop.open(LESSON)
    first = snippet(page, "print(e)")
    editor(first).fill("a = 2.0\nb = -3.0\nc = a * bb\n")
    editor(first).press("Shift+Enter")

    expect(output(first)).to_contain_text("Line 3: NameError: name 'bb' is not defined", timeout=STARTING)
    expect(output(first)).to_contain_text('File "snippet 1", line 3')
    expect(first.locator(".lessonkit-run__error-line")).to_have_text("c = a * bb")
    desktop.screenshot("run-in-page-error-light")

    editor(first).fill("steps = 0\nwhile True:\n    steps += 1\n")
    first.get_by_role("button", name="Run").click()
    stop = first.get_by_role("button", name="Stop")
    expect(stop).to_be_visible()
    # the loop itself runs (not the replay of the earlier snippets before it), so that Stop lands in it
    expect(output(first).get_by_text("Running…", exact=True)).to_be_visible(timeout=STARTING)
    stop.click()  # the site is cross-origin isolated: Python is interrupted, not ended
    expect(output(first)).to_contain_text("Stopped at line 3. What ran before the stop stays defined")
    expect(stop).to_be_hidden()

    editor(first).fill("print(steps > 0, a)\n")  # what the loop counted, and what the first run defined, stayed
    first.get_by_role("button", name="Run").click()
    expect(output(first)).to_have_text(re.compile(r"^\s*Output\s*True 2\.0\s*$"), timeout=5_000)
    assert desktop.outside_requests == []


def test_lesson_2_5s_log_of_zero_raises_as_it_must_when_replayed_without_a_warning(desktop):
    page = desktop.open("chapter-2/2.5-from-values-to-a-neuron/")
    starter = snippet(page, "class MyNeuron")  # after `Value(0.0).log()`, marked raises="ValueError"
    starter.get_by_role("button", name="Run").click()
    expect(output(starter)).to_have_text("Ran. It printed nothing.", timeout=STARTING)


def test_nothing_loads_until_the_learner_shows_intent(desktop):
    requested = []
    desktop.page.on("request", lambda request: requested.append(request.url))
    page = desktop.open(LESSON)
    page.mouse.wheel(0, 4000)
    page.wait_for_timeout(500)
    assert [url for url in requested if "/assets/pyodide/" in url or "/assets/wheels/" in url] == []

    with page.expect_request(lambda request: request.url.endswith("/pyodide.asm.wasm"), timeout=STARTING):
        editor(snippet(page, "print(e)")).focus()  # focus in an editor: Python starts loading, in a worker


def test_edits_persist_across_a_reload_until_reset(desktop):
    page = desktop.open(LESSON)
    first = snippet(page, "print(e)")
    lesson_code = editor(first).input_value()
    editor(first).fill(lesson_code.replace("a = 2.0", "a = 4.0"))
    stored = page.evaluate("id => window.lessonkitRun.store.load(id)", first.get_attribute("data-snippet"))
    assert stored == {"code": lesson_code.replace("a = 2.0", "a = 4.0"), "changed": False}

    page.reload()
    expect(editor(first)).to_have_value(re.compile(r"^a = 4\.0\n"))
    expect(first.get_by_text("has changed since you edited it")).to_be_hidden()
    first.get_by_role("button", name="Reset").click()
    expect(editor(first)).to_have_value(lesson_code)
    expect(output(first)).to_contain_text("-7.0")  # the build's output is back
    page.reload()
    expect(editor(first)).to_have_value(lesson_code)


def test_a_changed_lesson_is_announced_on_the_learners_edit(desktop):
    page = desktop.open(LESSON)
    first = snippet(page, "print(e)")
    key = page.evaluate("id => window.lessonkitRun.store.key(id)", first.get_attribute("data-snippet"))
    stale = json.dumps({"code": "print('mine')\n", "lesson": "00000000"})
    page.evaluate("([key, value]) => localStorage.setItem(key, value)", [key, stale])
    page.reload()
    expect(editor(first)).to_have_value("print('mine')\n")
    notice = first.get_by_text("The lesson's code for this snippet has changed since you edited it")
    expect(notice).to_be_visible()
    first.get_by_role("button", name="Reset").click()
    expect(notice).to_be_hidden()
    expect(editor(first)).to_have_value(re.compile(r"^a = 2\.0\n"))


def test_the_editor_works_by_keyboard_with_visible_focus(desktop):
    page = desktop.open(LESSON)
    first = snippet(page, "print(e)")
    code = editor(first)
    code.focus()
    page.keyboard.press("Control+End")
    page.keyboard.press("Enter")
    page.keyboard.type("if e < 0:")
    page.keyboard.press("Enter")
    page.keyboard.type("print('negative')")
    expect(code).to_have_value(re.compile(r"\nif e < 0:\n    print\('negative'\)$"))
    page.keyboard.press("Tab")
    expect(code).to_have_value(re.compile(r"print\('negative'\)    $"))
    outline = first.locator("pre.lessonkit-run__editor").evaluate("pre => getComputedStyle(pre).outlineStyle")
    assert outline != "none", "the focused editor shows no focus ring"

    page.keyboard.press("Escape")
    page.keyboard.press("Tab")  # Esc, then Tab, leaves the editor for its Run button
    run = first.get_by_role("button", name="Run")
    expect(run).to_be_focused()
    assert run.evaluate("button => getComputedStyle(button).outlineStyle") != "none"
    page.keyboard.press("Enter")
    expect(output(first)).to_contain_text(re.compile("Starting Python|Loading Python|-7.0\nnegative"))


def test_a_phone_runs_a_snippet_in_both_palettes_without_sideways_scrolling(phone):
    page = phone.open(LESSON)
    staged = snippet(page, "a = Value(2.0)", "d = a + b")
    editor(staged).fill(editor(staged).input_value() + "\nprint(e.data)\nprint(e.data, undefined_name)\n")
    staged.get_by_role("button", name="Run").click()
    expect(output(staged)).to_contain_text("-7.0", timeout=STARTING)
    expect(output(staged)).to_contain_text("Line 8: NameError: name 'undefined_name' is not defined")
    for palette in ("light", "dark"):
        if palette == "dark":
            page.locator("label[title='Switch to dark mode']").first.click()
        staged.scroll_into_view_if_needed()
        phone.screenshot(f"run-in-page-phone-{palette}")
        wide = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert wide <= 0, f"the page scrolls sideways by {wide}px in the {palette} palette"
    for name in ("Run", "Reset"):
        box = staged.get_by_role("button", name=name).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 375



def test_lesson_2_4s_deep_chain_runs_and_a_python_that_dies_says_so(desktop):
    page = desktop.open("chapter-2/2.4-the-backward-pass/")
    deep = snippet(page, "for _ in range(10_000):")
    run = deep.get_by_role("button", name="Run")
    run.click()
    expect(output(deep)).to_contain_text("10000.0 20001\nRecursionError", timeout=STARTING)

    # Run again: `deep = Value(0.0)` frees the first chain all at once, and CPython frees each value
    # inside the call that frees its child, which runs the browser's stack out: Pyodide dies. The page
    # says so, rather than wait forever. (Once Value frees its parents one at a time, this run prints
    # what the first did.)
    run.click()
    expect(output(deep)).to_contain_text(
        "Python stopped working (RangeError: Maximum call stack size exceeded). It was restarted")
    assert desktop.console_errors and any("fatal error" in error for error in desktop.console_errors)
    desktop.console_errors.clear()  # Pyodide's own report of its death, which the page has answered

    deep.scroll_into_view_if_needed()
    desktop.screenshot("run-in-page-deep-chain-light")


def test_a_shortened_training_run_shows_its_page_line_in_the_editor_and_after_reset(desktop):
    page = desktop.open("chapter-3/3.4-embeddings-and-an-mlp/")
    training = snippet(page, "steps = 300")  # the build's line, in the block the build rendered
    expected = "steps = 150  # the build ran steps = 300"
    assert expected in editor(training).input_value()
    expect(training.locator("pre.lessonkit-run__editor code")).to_contain_text(expected)  # what the learner sees under the textarea
    expect(page.locator(".lessonkit-in-page")).to_contain_text("steps = 150")  # the note under it
    editor(training).fill(editor(training).input_value().replace("steps = 150", "steps = 2"))
    training.get_by_role("button", name="Reset").click()
    assert expected in editor(training).input_value()
    expect(training.locator("pre.lessonkit-run__editor code")).to_contain_text(expected)
    assert desktop.outside_requests == []


def test_lesson_4_5_trains_in_the_page_showing_progress_as_it_goes_and_stop_ends_it(desktop):
    page = desktop.open("chapter-4/4.5-training-it-and-sampling/")
    training = snippet(page, "steps = 600", "run = trained(")
    assert "steps = 150" in editor(training).input_value()  # the page's shortened run (in-page=)
    training.get_by_role("button", name="Run").click()
    progress = training.locator(".lessonkit-progress")
    # the model for 150 steps is not published, so it trains here; its first step shows while it trains
    expect(progress).to_contain_text("training it here", timeout=STARTING)
    expect(progress).to_contain_text("step    1 / 150", timeout=60_000)
    assert "150 steps, one name each" not in output(training).inner_text()  # still training
    training.get_by_role("button", name="Stop").click()
    expect(output(training)).to_contain_text("Stopped", timeout=10_000)
    assert "150 steps, one name each" not in output(training).inner_text()
    desktop.screenshot("run-in-page-training-stopped")
    assert desktop.outside_requests == []
