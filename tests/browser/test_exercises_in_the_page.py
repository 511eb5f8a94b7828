"""Exercises checked in the page: Check on the starter says what is wrong; the solution passes, and it is remembered.

Lesson 2.3's exercises build on lesson 2.1's MyValue, which the page runs
first (the learner's own, once it passed there). The first Check of a visit
starts Python in a Web Worker, which takes seconds, hence the long timeouts.
"""

import json
import re

from playwright.sync_api import expect

LESSON = "chapter-2/2.3-local-gradients-and-the-chain-rule/"
STARTING = 90_000  # ms: the first Check of a visit loads Python


def exercise(page, title):
    return page.locator(".admonition.exercise").filter(has=page.locator(".admonition-title", has_text=title))


def feedback(block):
    return block.get_by_role("status", name=re.compile("^Feedback"))


def editor(block):
    return block.get_by_role("textbox", name=re.compile("^Code"))


def island(page):
    return json.loads(page.locator("#lessonkit-page").text_content())


def solution(page, exercise_id):
    return next(s["code"] for s in island(page)["snippets"]
                if s["exercise"] == {"id": exercise_id, "role": "solution"})


def test_check_on_the_starter_names_the_wrong_gradient_and_the_solution_passes(desktop):
    page = desktop.open(LESSON)
    block = exercise(page, "Local gradients of + and *")
    block.get_by_role("button", name="Check").click()
    expect(feedback(block)).to_have_attribute("data-outcome", "fail", timeout=STARTING)
    expect(feedback(block)).to_have_text(re.compile(
        r"^Not yet: d out/d a: yours 0\.0, finite differences 1\.0, for out = a \+ b at a = -?\d"))
    feedback(block).scroll_into_view_if_needed()
    desktop.screenshot("exercise-fail-light")

    editor(block).fill(solution(page, "add-mul"))
    block.get_by_role("button", name="Check").click()
    expect(feedback(block)).to_have_attribute("data-outcome", "pass", timeout=STARTING)
    expect(feedback(block)).to_have_text("Passed: your code passes every check.")
    expect(page.locator(".lesson-bar [aria-current=page]")).to_have_attribute(
        "aria-label", re.compile(r", 1 exercise passed$"))

    page.reload()  # remembered: the mark, and the learner's code
    block = exercise(page, "Local gradients of + and *")
    expect(feedback(block)).to_have_attribute("data-outcome", "pass")
    expect(page.locator(".lesson-bar [aria-current=page] .lesson-bar__passed")).to_have_text("✓1")
    assert desktop.outside_requests == []


def test_an_exception_in_the_learners_code_is_an_error_with_its_message(desktop):
    page = desktop.open(LESSON)
    block = exercise(page, "Local gradients of **, tanh and exp")
    editor(block).fill("MyValue.__pow__ = undefined_name\n")  # raises as it runs, before any check
    block.get_by_role("button", name="Check").click()
    expect(feedback(block)).to_have_attribute("data-outcome", "error", timeout=STARTING)
    expect(feedback(block)).to_contain_text("NameError: name 'undefined_name' is not defined")


def test_a_later_page_runs_on_the_code_the_learner_passed_earlier(desktop):
    page = desktop.open("chapter-2/2.1-values-and-expressions/")
    block = exercise(page, "A value that remembers")
    mine = solution(page, "my-value").replace('return f"MyValue(', 'return f"Mine(')
    editor(block).fill(mine)
    block.get_by_role("button", name="Check").click()
    expect(feedback(block)).to_have_attribute("data-outcome", "pass", timeout=STARTING)

    page = desktop.open(LESSON)
    [earlier] = [s for s in island(page)["snippets"] if s.get("builds_on", {}).get("id") == "my-value"]
    assert 'return f"Mine(' in earlier["code"]  # the learner's class, not the reference, runs first here
    run = "id => window.lessonkitRun.run(id, 'print(MyValue(2.0))\\n', null)"
    result = page.evaluate(run, island(page)["snippets"][-1]["id"])
    assert result["output"] == "Mine(data=2.0, grad=0.0)\n"


def test_build_your_own_value_assembles_the_learners_exercises_and_checks_them_against_deepdive(desktop):
    page = desktop.open("chapter-2/build-your-own-value/")
    earlier = [s for s in island(page)["snippets"] if s.get("builds_on")]
    assert len(earlier) == 8
    # as if the learner had passed every exercise of 2.1 to 2.5 with the reference code, marked as theirs
    page.evaluate("""earlier => {
        const site = new URL(JSON.parse(document.getElementById("pyodide-runtime").textContent).root, location.href);
        for (const { code, builds_on: { id, page, key } } of earlier) {
            const passed = JSON.parse(localStorage.getItem(`${site}lessonkit:passed:${page}`) || "{}");
            localStorage.setItem(`${site}lessonkit:passed:${page}`, JSON.stringify({ ...passed, [id]: true }));
            localStorage.setItem(`${site}lessonkit:${page}:${key}`, JSON.stringify({ code: `# mine\\n${code}`, lesson: "" }));
        }
    }""", earlier)
    page.reload()
    block = exercise(page, "Your engine against deepdive")
    code = editor(block).input_value()
    assert code.startswith("# my-value, from docs/chapter-2/2.1-values-and-expressions.md\n# mine\nclass MyValue:")
    assert code.count("# mine\n") == 8
    block.get_by_role("button", name="Check").click()
    expect(feedback(block)).to_have_attribute("data-outcome", "pass", timeout=STARTING)
    expect(page.locator(".lesson-bar a", has_text="2.1")).to_have_attribute("aria-label", re.compile(", 2 exercises passed$"))
