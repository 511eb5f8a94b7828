"""Exercises: the starter must fail its checks, the solution must pass them, and a page can build on earlier ones."""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from test_mkdocs_build import mkdocs_build, site  # noqa: F401 - the fixture site
from lessonkit import ParseError, check_page, island_html, read_page, render_page, run_page


EXERCISE = (Path(__file__).parents[1] / "fixtures" / "square-exercise.md").read_text()


def run(page, tmp_path):
    return run_page(page, tmp_path)


def test_the_parts_of_an_exercise_are_found_with_its_title(write_page):
    page = write_page(EXERCISE)
    [exercise] = page.exercises
    assert (exercise.id, exercise.title, exercise.line) == ("square", "Square it", 7)
    assert [exercise.starter.line, exercise.check.line, exercise.solution.line] == [11, 16, 27]
    assert page.exercise_of(page.snippets[2]) is exercise and page.exercise_of(page.snippets[0]) is None


def test_a_right_exercise_passes_and_later_snippets_see_the_solution_but_not_the_checks(write_page, tmp_path):
    page = write_page(EXERCISE)
    assert check_page(page, run(page, tmp_path)) == []


def test_an_exercise_whose_starter_passes_is_an_error_at_the_starter(write_page, tmp_path):
    page = write_page(EXERCISE.replace("        return x\n    ```", "        return x * x\n    ```"))
    [problem] = check_page(page, run(page, tmp_path))
    assert problem.location == "docs/page.md:11"
    assert problem.title == "this exercise cannot fail: its starter passes every check"
    assert "make the starter leave the work undone, or the checks stricter" in problem.detail


def test_a_solution_that_fails_its_checks_shows_the_check_message_at_the_check(write_page, tmp_path):
    page = write_page(EXERCISE.replace("return x * x", "return x + x"))
    problems = check_page(page, run(page, tmp_path))
    assert problems[0].location == "docs/page.md:16"
    assert "AssertionError: square(3) should be 9, not 6" in problems[0].detail
    assert 'File "docs/page.md", line 18, in <module>' in problems[0].detail  # the assert, on the page


def test_a_starter_that_raises_fails_as_it_should(write_page, tmp_path):
    page = write_page(EXERCISE.replace("        return x\n    ```", "        ...\n    ```")
                      .replace('assert result == 9', 'assert result + 0 == 9'))
    assert check_page(page, run(page, tmp_path)) == []  # None + 0 raises TypeError: the starter fails


def test_a_broken_exercise_is_an_error_at_its_line(write_page):
    with pytest.raises(ParseError, match=r"^docs/page.md:11: exercise 'square' has no check: add a python fence with "
                                         r'check="square"$'):
        write_page(EXERCISE.replace('```python check="square"', "```python"))
    with pytest.raises(ParseError, match=r"^docs/page.md:32: exercise 'square' has a second solution here; "
                                         r"the first is at line 27$"):
        write_page(EXERCISE.replace('```python\nprint(square(4)', '```python solution="square"\nprint(square(4)'))
    with pytest.raises(ParseError, match=r"^docs/page.md:11: only an exercise's checks can be hidden, not its starter$"):
        write_page(EXERCISE.replace('```python exercise="square"', '```python exercise="square" hidden'))


def test_the_solution_is_in_a_closed_block_whose_summary_says_solution(write_page):
    with pytest.raises(ParseError, match=r'^docs/page.md:27: the solution of exercise \'square\' goes in a closed block '
                                         r'whose summary says Solution: \?\?\? success "Solution"$'):
        write_page(EXERCISE.replace('??? success "Solution"', '???+ success "Answer"'))


def test_exercise_parts_must_be_inside_an_exercise_block(write_page):
    with pytest.raises(ParseError, match=r"docs/page.md:11: exercise 'square' must be inside an `!!! exercise"):
        write_page(EXERCISE.replace('!!! exercise "Square it"', '!!! note "Square it"'))


def test_a_page_builds_on_the_solutions_of_earlier_pages(write_page, tmp_path):
    write_page(EXERCISE, "one.md")
    write_page('''
        ---
        builds-on: [square]
        ---

        ```python
        print(square(5))
        ```

        ```output
        25
        ```
        ''', "two.md")
    page = read_page("docs/two.md", tmp_path)
    assert [(s.path, s.line) for s in page.prelude_snippets] == [("docs/one.md", 27)]
    assert check_page(page, run(page, tmp_path)) == []
    # the browser runs it first too, or the learner's own code for it: the island says where that is
    island = json.loads(re.search(r">(.*)</script>", island_html(page)).group(1))
    assert island["snippets"][0] == {
        "id": "builds-on:square", "code": "def square(x):\n    return x * x\n", "hidden": True, "live": True,
        "reason": None, "exercise": None, "replay": True, "raises": None, "timeout": 10.0, "in_page": None,
        "key": "builds-on:square",
        "builds_on": {"id": "square", "page": "docs/one.md", "starter": "L11", "key": "exercise:square:starter"}}


def test_building_on_an_unknown_exercise_names_the_front_matter_line(write_page, tmp_path):
    write_page("---\ntitle: Two\nbuilds-on: [cube]\n---\n\n```python\nprint(1)\n```\n", "two.md")
    with pytest.raises(ParseError, match=r"^docs/two.md:3: builds-on names exercise 'cube', which no other page"):
        read_page("docs/two.md", tmp_path)


def test_an_earlier_solution_that_fails_here_is_reported_where_it_is_written(write_page, tmp_path):
    write_page(EXERCISE.replace("            return x * x\n", "            return x * x\n        square(undefined_name)\n"),
               "one.md")
    write_page("---\nbuilds-on: [square]\n---\n\n```python\nsquare(1)\n```\n", "two.md")
    page = read_page("docs/two.md", tmp_path)
    problems = check_page(page, run(page, tmp_path))
    assert problems[0].location == "docs/one.md:27"
    assert problems[0].title == "raised NameError, run before docs/two.md (its front matter's builds-on names this exercise)"
    assert 'File "docs/one.md", line 30, in <module>' in problems[0].detail


@pytest.mark.parametrize("two", [
    "---\nbuilds-on: [square]\nrun: false\n---\n\n```python\nprint(square(2))\n```\n",
    "---\nbuilds-on: [square]\n---\n\nOnly prose so far.\n",
], ids=["run-false", "no-snippets"])
def test_a_page_that_runs_nothing_runs_none_of_what_it_builds_on(write_page, tmp_path, two):
    write_page(EXERCISE, "one.md")
    write_page(two, "two.md")
    page = read_page("docs/two.md", tmp_path)
    result = run(page, tmp_path)
    assert check_page(page, result) == []
    assert result.prelude == (None,) and not result.failed


def test_an_earlier_solution_that_ends_the_worker_leaves_the_rest_not_run_and_is_named(write_page, tmp_path):
    crashing = EXERCISE.replace("            return x * x\n", "            return x * x\n        import os\n        os._exit(3)\n")
    write_page(crashing + "\n" + EXERCISE.replace("square", "cube").replace("Square it", "Cube it").replace("# Squares", ""),
               "one.md")
    write_page("---\nbuilds-on: [square, cube]\n---\n\n```python\nprint(cube(2))\n```\n", "two.md")
    page = read_page("docs/two.md", tmp_path)
    result = run(page, tmp_path)
    assert [r.ran for r in result.prelude] == [True, False] and not result.results[0].ran
    [problem] = check_page(page, result)
    assert problem.location == "docs/one.md:27"
    assert problem.title.startswith("the worker process exited with code 3 while running this snippet, run before docs/two.md")


def test_an_earlier_solution_runs_within_its_own_time_limit(write_page, tmp_path):
    slow = EXERCISE.replace('```python solution="square"', '```python solution="square" timeout=1') \
                   .replace("            return x * x\n", "            return x * x\n        import time\n        while True:\n            time.sleep(60)\n")
    write_page(slow, "one.md")
    write_page("---\nbuilds-on: [square]\n---\n\n```python\nprint(square(2))\n```\n", "two.md")
    page = read_page("docs/two.md", tmp_path)
    [problem] = check_page(page, run(page, tmp_path))
    assert problem.location == "docs/one.md:27" and problem.title.startswith("timed out, run before docs/two.md")
    assert "did not finish within 1 s" in problem.detail
    assert 'File "docs/one.md", line 32' in problem.detail  # where it was when stopped


def test_the_command_line_and_pytest_fail_on_an_exercise_that_cannot_fail(write_page, tmp_path):
    write_page(EXERCISE.replace("        return x\n    ```", "        return x * x\n    ```"))
    check = subprocess.run([sys.executable, "-m", "lessonkit", "check", "--no-cache", "docs"],
                           cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert check.returncode == 1
    assert "docs/page.md:11: this exercise cannot fail" in check.stderr
    (tmp_path / "pyproject.toml").write_text('[tool.pytest.ini_options]\naddopts = "-p lessonkit.pytest_plugin"\n')
    tests = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "docs", "-rf"],
                           cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert tests.returncode == 1
    assert "FAILED docs/page.md::L11" in tests.stdout and "1 failed, 4 passed" in tests.stdout


def test_strict_build_fails_on_an_exercise_that_cannot_fail(site):  # noqa: F811 - the fixture
    page = site / "docs" / "exercise.md"
    page.write_text(EXERCISE.replace("        return x\n    ```", "        return x * x\n    ```"))
    build = mkdocs_build(site)
    assert build.returncode != 0
    assert "ERROR   -  docs/exercise.md:11: this exercise cannot fail: its starter passes every check" in build.stderr


def test_the_starter_and_the_checks_are_titled_in_the_page(write_page):
    rendered = render_page(write_page(EXERCISE))
    assert '    ```python title="Your code"\n    def square(x):\n        return x\n' in rendered
    assert '    ```python title="Checks"\n    result = square(base)' in rendered
    assert '        ```python\n        def square(x):\n            return x * x' in rendered  # the solution, untitled
