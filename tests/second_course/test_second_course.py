"""A second course proves lessonkit: installed on its own, it builds and runs a course that is not this one.

lessonkit is installed from its folder (src/lessonkit), not editable, into a
fresh virtual environment that holds nothing of GPT Deep Dive's. The course in
course/ is what another author writes: an mkdocs.yml of a few lines naming the
plugin (on MkDocs' own theme), one page whose snippet imports the course's own
package (src/tally), and one exercise. Its strict build runs the snippet and
proves the exercise; in Chromium, with every host but the local server blocked,
Run and Check work on that page, and look as they should on that theme.

The virtual environment is made once for this module (pip's cache keeps it
quick), and the course uses the Pyodide that `make test` fetched.
"""

import html
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlparse

import pytest
from local_server import serving
from playwright.sync_api import expect
from shared_runtime import share_runtime

pytestmark = pytest.mark.xdist_group("second-course")  # one process (pytest -n) makes its module fixtures once

ROOT = Path(__file__).resolve().parents[2]
COURSE = Path(__file__).with_name("course")
SCREENSHOT = ROOT / "tests" / "screenshots" / "second-course-check-passed.png"
NOT_FOR_A_SECOND_COURSE = {"deepdive", "matplotlib", "mkdocs-jupyter"}
STARTING = 90_000  # ms: the first Run or Check of a visit loads Python
BUILD_OUTPUT = "{'a': 3, 'b': 1, 'n': 2}"
STARTER = "    def most_common(word):\n        return word[0]\n"
STARTER_LINE = 17  # of course/docs/index.md
# The contrast of a control's text with what is behind it, as WCAG computes it: 1 when the text is invisible.
# WCAG asks 4.5 of small text; this asks 3 (its minimum for controls), which the course's own Check button,
# white on #00897b (4.3), meets.
CONTRAST = """element => {
    const rgba = color => color.match(/[\\d.]+/g).map(Number);
    let behind = element;
    while (behind && rgba(getComputedStyle(behind).backgroundColor)[3] === 0) behind = behind.parentElement;
    const luminance = color => {
        const [r, g, b] = color.slice(0, 3).map(v => v / 255).map(v => v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
        return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const text = luminance(rgba(getComputedStyle(element).color));
    const back = behind ? luminance(rgba(getComputedStyle(behind).backgroundColor)) : 1;
    return (Math.max(text, back) + 0.05) / (Math.min(text, back) + 0.05);
}"""


@pytest.fixture(scope="module")
def venv(tmp_path_factory):
    """The bin folder of a fresh virtual environment with lessonkit installed from its folder, not editable.

    pip builds a project inside its folder, where setuptools leaves a build/ folder
    whose stale files a later build would ship, so it builds a copy.
    """
    folder = tmp_path_factory.mktemp("second-course-venv")
    source = folder / "lessonkit"
    shutil.copytree(ROOT / "src" / "lessonkit", source,
                    ignore=shutil.ignore_patterns("build", "*.egg-info", "__pycache__"))
    subprocess.run([sys.executable, "-m", "venv", folder / "venv"], check=True)
    bin = folder / "venv" / "bin"
    installed = subprocess.run([bin / "python", "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                                source], capture_output=True, text=True)
    assert installed.returncode == 0, installed.stderr
    return bin


def course_copy(folder, page=None):
    """The course, copied into folder, with the Pyodide that `make test` fetched; its page replaced when given."""
    shutil.copytree(COURSE, folder)
    if page is not None:
        (folder / "docs" / "index.md").write_text(page, encoding="utf-8")
    return share_runtime(folder)


def build(bin, course):
    """`mkdocs build --strict` of the course by the venv's MkDocs, as its author runs it."""
    env = {name: value for name, value in os.environ.items() if name not in ("PYTHONPATH", "VIRTUAL_ENV")}
    return subprocess.run([bin / "mkdocs", "build", "--strict", "-d", course / "site"], cwd=course,
                          env={**env, "NO_MKDOCS_2_WARNING": "true"}, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def site(venv, tmp_path_factory):
    """The second course's built site."""
    course = course_copy(tmp_path_factory.mktemp("second-course") / "course")
    built = build(venv, course)
    assert built.returncode == 0, f"mkdocs build --strict failed:\n{built.stderr}"
    return course / "site"


def test_lessonkit_installs_without_this_courses_packages(venv):
    listed = subprocess.run([venv / "python", "-m", "pip", "list", "--format=json"],
                            check=True, capture_output=True, text=True).stdout
    names = {package["name"].lower().replace("_", "-") for package in json.loads(listed)}
    assert {"lessonkit", "mkdocs"} <= names
    assert not names & NOT_FOR_A_SECOND_COURSE
    where = subprocess.run([venv / "python", "-c", "import lessonkit; print(lessonkit.__file__)"],
                           check=True, capture_output=True, text=True, cwd=venv).stdout
    assert Path(where.strip()).is_relative_to(venv.parent), "lessonkit is not installed into the venv"


def test_the_build_shows_the_snippets_real_output_and_serves_the_courses_package(site):
    page = (site / "index.html").read_text(encoding="utf-8")
    [(title, output)] = re.findall(r'class="lessonkit-output[^>]*>(?:<span class="filename">(.*?)</span>)?'
                                   r"<pre>(.*?)</pre>", page, re.DOTALL)
    assert title == "Output", "the output block has no title"
    assert html.unescape(re.sub(r"<[^>]+>", "", output)).strip() == BUILD_OUTPUT
    assert list((site / "assets" / "wheels").glob("*/tally-*-py3-none-any.whl"))


def test_a_starter_that_passes_its_checks_fails_the_build(venv, tmp_path):
    page = (COURSE / "docs" / "index.md").read_text(encoding="utf-8")
    assert page.splitlines()[STARTER_LINE - 1].strip() == '```python exercise="most-common"'
    solved = page.replace(STARTER, "    def most_common(word):\n        return 'a'\n")
    assert solved != page
    built = build(venv, course_copy(tmp_path / "course", solved))
    assert built.returncode != 0
    assert re.search(rf"ERROR +- +docs/index\.md:{STARTER_LINE}: .*this exercise cannot fail", built.stderr), \
        built.stderr


@pytest.fixture(scope="module")
def served(site, browser):
    """(Chromium, the URL where the course's site is served on 127.0.0.1)."""
    with serving(site) as url:
        yield browser, url


@pytest.fixture
def page(served):
    """The course's page in a fresh browser context; a request to any other host is blocked, counted, and fails."""
    browser, url = served
    outside, errors = [], []

    def only_local(route):
        if urlparse(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.route("**/*", only_local)
    page = context.new_page()
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(url)
    page.wait_for_function("crossOriginIsolated")  # coi-serviceworker's one reload is done before a test clicks
    page.wait_for_load_state("load")
    yield page
    context.close()
    assert outside == [], "requests left 127.0.0.1"
    assert errors == [], "errors in the browser console"


def editor(block):
    return block.get_by_role("textbox", name=re.compile("^Code"))


def test_run_and_check_work_in_the_page(page):
    snippet = page.locator("[data-snippet]").filter(has=page.locator("code", has_text="from tally import"))
    editor(snippet).fill(editor(snippet).input_value() + "\nimport sys\n\nprint(sys.platform, count_letters('pyodide'))\n")
    snippet.get_by_role("button", name="Run").click()
    expect(snippet.get_by_role("status", name=re.compile("^Output"))).to_contain_text(  # the page's Python, the wheel
        BUILD_OUTPUT + "\nemscripten {'d': 2, 'e': 1, 'i': 1, 'o': 1, 'p': 1, 'y': 1}", timeout=STARTING)

    exercise = page.locator(".admonition.exercise")
    feedback = exercise.get_by_role("status", name="Feedback, The most common letter")
    exercise.get_by_role("button", name="Check").click()
    expect(feedback).to_have_attribute("data-outcome", "fail", timeout=STARTING)
    expect(feedback).to_have_text("Not yet: most_common('banana') should be 'a', not 'b'")

    island = json.loads(page.locator("#lessonkit-page").text_content())
    [solution] = [entry["code"] for entry in island["snippets"]
                  if entry["exercise"] == {"id": "most-common", "role": "solution"}]
    editor(exercise).fill(solution)
    exercise.get_by_role("button", name="Check").click()
    expect(feedback).to_have_attribute("data-outcome", "pass", timeout=STARTING)
    expect(feedback).to_have_text("Passed: your code passes every check.")
    SCREENSHOT.parent.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOT, full_page=True, animations="disabled")


def test_each_editor_lies_over_its_code_and_the_buttons_can_be_read(page):
    editors = page.locator("[data-snippet] textarea")
    expect(editors).to_have_count(2)  # the snippet, and the exercise's starter
    for textarea in editors.all():
        over = textarea.bounding_box()
        code = textarea.locator("xpath=..").bounding_box()  # the <pre> of the highlighted code
        assert abs(over["y"] - code["y"]) <= 2 and abs(over["height"] - code["height"]) <= 2, \
            f"the editor {over} is not over its code {code}: the learner sees the code twice"
    for name in ("Run", "Reset", "Check"):
        for button in page.get_by_role("button", name=name, exact=True).all():
            assert button.evaluate(CONTRAST) >= 3, f"{name}'s text can hardly be read"
