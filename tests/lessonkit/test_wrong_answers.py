"""An exercise's wrong answers (`wrong="ID" says="…"`) must fail its checks, saying so; its right answers
(`right="ID"`) must pass them. They run in the build only, and never reach the page, its island or its notebook."""

import json
import re
import subprocess
import sys
import textwrap

import markdown
import pytest

from lessonkit import (
    ParseError, Where, build_order, check_page, export_notebook, island_html, job_key, page_job, parse_page,
    render_page, run_page, where,
)
from lessonkit.parse import parse_options

pytestmark = pytest.mark.xdist_group("wrong-answers")  # one process (pytest -n) makes its module fixtures once

EXERCISE = textwrap.dedent("""\
    # Squares

    ```python
    base = 3

    class Box:
        def get(self):
            return 1
    ```

    !!! exercise "Square it"

        Write `square(x)`.

        ```python exercise="square"
        def square(x):
            return x
        ```

        ```python check="square"
        result = square(base)
        assert result == 9, f"square({base}) should be 9, not {result}"
        ```

    {answers}
        ??? tip "Hint"

            Multiply.

        ??? success "Solution"

            ```python solution="square"
            def square(x):
                return x * x
            ```

    ```python
    print(square(4), Box().get(), "result" in globals())
    ```

    ```output
    16 1 False
    ```
    """)

ANSWERS = textwrap.indent(textwrap.dedent("""\
    ```python wrong="square" says="should be 9, not 6"
    def square(x):
        return x + x
    ```

    ```python wrong="square" says="should be 9"
    def square(x):
        return x ** 2
    ```

    ```python wrong="square" says="should be 9, not 27"
    def square(x):
        return None + 1
    ```

    ```python wrong='square' says='TypeError: unsupported   operand'
    def square(x):
        return None + 1
    ```

    ```python wrong="square" says="not 4"
    Box.get = lambda self: 2
    def square(x):
        return x + 1
    ```

    ```python right="square"
    def square(x):
        return x ** 2
    ```

    ```python right="square"
    def square(x):
        return -x
    ```

    """), "    ")

PAGE = EXERCISE.replace("{answers}\n", ANSWERS)
PLAIN = EXERCISE.replace("{answers}\n", "")


def line_of(text, page=PAGE):
    """The 1-based line of the page that holds `text`."""
    return next(number for number, line in enumerate(page.splitlines(), start=1) if text in line)


PASSES, ELSEWHERE, RIGHT_FAILS = line_of('says="should be 9"'), line_of("not 27"), line_of("return -x") - 2


@pytest.fixture(scope="module")
def ran(tmp_path_factory):
    """The page and its problems, from one run of its worker."""
    root = tmp_path_factory.mktemp("project")
    (root / "docs").mkdir()
    (root / "docs" / "page.md").write_text(PAGE)
    page = parse_page(PAGE, "docs/page.md")
    run = run_page(page, root)
    return page, run, check_page(page, run)


def test_the_answers_belong_to_their_exercise_and_run_after_it(ran):
    page, _, _ = ran
    [exercise] = page.exercises
    assert [s.options.says for s in exercise.wrong] == [
        "should be 9, not 6", "should be 9", "should be 9, not 27", "TypeError: unsupported   operand", "not 4"]
    assert len(exercise.right) == 2
    order = [page.snippets[index] for index in build_order(page)]
    assert order[1:4] == [exercise.starter, exercise.solution, exercise.check]
    assert order[4:-1] == [*exercise.wrong, *exercise.right] and order[-1].line > exercise.solution.line


def test_a_wrong_answer_that_passes_a_wrong_reason_and_a_right_answer_that_fails_are_problems(ran):
    _, _, problems = ran
    assert [(problem.line, problem.kind) for problem in problems] == [
        (PASSES, "failed"), (ELSEWHERE, "failed"), (RIGHT_FAILS, "failed")]
    passes, elsewhere, right = problems
    assert passes.title == "this wrong answer passes the checks"
    assert elsewhere.title == ("this wrong answer fails, but its message does not say 'should be 9, not 27': "
                               "it says 'TypeError: unsupported operand type(s) for +: 'NoneType' and 'int''")
    assert f'File "docs/page.md", line {ELSEWHERE + 2}, in square' in elsewhere.detail  # where it failed
    assert right.title == "this right answer fails the checks: square(3) should be 9, not -3"
    failing_check = line_of("assert result == 9")
    assert f'File "docs/page.md", line {failing_check}, in <module>' in right.detail  # the check, on the page


def test_answers_run_in_copies_and_a_class_they_change_is_put_back(ran):
    page, run, _ = ran
    last = run.results[len(page.snippets) - 1]
    assert last.output == "16 1 False\n" and last.failure is None  # the solution's square, Box.get as it was


def test_neither_reaches_the_rendered_page_its_island_or_its_notebook():
    page, plain = parse_page(PAGE, "docs/page.md"), parse_page(PLAIN, "docs/page.md")
    assert html(render_page(page)) == html(render_page(plain))
    assert without_line_ids(island_html(page)) == without_line_ids(island_html(plain))
    assert export_notebook(page) == export_notebook(plain)
    for snippet in page.exercises[0].wrong + page.exercises[0].right:
        assert where(page, snippet) == Where(build=True, live=False, replay=False, notebook=False, reason=None,
                                             wrapped=False)


def test_a_problem_with_an_answer_shows_where_it_stood(ran):
    page, run, problems = ran
    rendered = render_page(page, run, problems)
    assert f'    !!! failure "docs/page.md:{PASSES}: this wrong answer passes the checks"' in rendered
    assert "return x + x" not in rendered and "return x ** 2" not in rendered


def test_editing_an_answer_changes_the_cache_key():
    key = job_key(page_job(parse_page(PAGE, "docs/page.md")))
    for edited in (PAGE.replace("return x + x", "return 2 * x"), PAGE.replace("not 6", "not 6.0"),
                   PAGE.replace("return -x", "return -1 * x")):
        assert job_key(page_job(parse_page(edited, "docs/page.md"))) != key


def test_each_answer_is_a_test_and_the_command_line_reports_the_problems(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "page.md").write_text(PAGE)
    check = subprocess.run([sys.executable, "-m", "lessonkit", "check", "docs"],
                           cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert check.returncode == 1
    assert f"docs/page.md:{PASSES}: this wrong answer passes the checks" in check.stderr
    (tmp_path / "pyproject.toml").write_text('[tool.pytest.ini_options]\naddopts = "-p lessonkit.pytest_plugin"\n')
    tests = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "docs", "-rf"],
                           cwd=tmp_path, capture_output=True, text=True, timeout=120)  # a failed run is not cached
    for line in (PASSES, ELSEWHERE, RIGHT_FAILS):
        assert f"FAILED docs/page.md::L{line}" in tests.stdout
    assert "3 failed, 9 passed" in tests.stdout
    assert "this right answer fails the checks: square(3) should be 9, not -3" in tests.stdout


@pytest.mark.parametrize("fence, message", [
    ('```python wrong="square"', 'a wrong answer says what its failure\'s message contains'),
    ('```python says="x"', "says= goes with a wrong answer"),
    ('```python right="square" says="x"', "says= goes with a wrong answer"),
    ('```python wrong="square" says=""', "says= needs the text"),
    ('```python wrong="cube" says="x"', "this wrong answer names exercise 'cube', which this page does not have"),
    ('```python right="square" hidden', "an exercise's right answer cannot take raises=, build-only= or hidden"),
    ('```python wrong="square" says="x" raises=AssertionError', "cannot take raises=, build-only= or hidden"),
    ('```python right="square" build-only="slow"', "cannot take raises=, build-only= or hidden"),
    ('```python wrong="square" right="square" says="x"', "a snippet has one exercise role"),
])
def test_a_bad_answer_is_an_error_at_its_line(fence, message):
    text = PLAIN.replace('    ??? tip "Hint"', f"    {fence}\n    pass\n    ```\n\n    ??? tip \"Hint\"")
    with pytest.raises(ParseError, match=re.escape(message)) as error:
        parse_page(text, "docs/page.md")
    assert str(error.value).startswith(f"docs/page.md:{line_of(fence, text)}: ")


def test_an_answer_goes_inside_its_exercise_block_and_has_no_output_fence():
    outside = PLAIN + '\n```python right="square"\npass\n```\n'
    with pytest.raises(ParseError, match="this right answer of exercise 'square' is outside the `!!! exercise` block"):
        parse_page(outside, "docs/page.md")
    with_output = PLAIN.replace('    ??? tip "Hint"', '    ```python right="square"\n    print(1)\n    ```\n\n'
                                                      '    ```output\n    1\n    ```\n\n    ??? tip "Hint"')
    with pytest.raises(ParseError, match=r"docs/page.md:\d+: this output fence follows a right answer"):
        parse_page(with_output, "docs/page.md")


def html(rendered):
    """The page's HTML as the site's Markdown makes it, with each snippet's line id replaced by its position."""
    numbered = iter(range(1000))
    rendered = re.sub(r'data-snippet="L\d+"', lambda _: f'data-snippet="{next(numbered)}"', rendered)
    return markdown.markdown(rendered, extensions=["admonition", "pymdownx.details", "pymdownx.superfences",
                                                   "md_in_html", "attr_list"])


def without_line_ids(island):
    """The island's snippets without their line ids, which move when lines above them do."""
    data = json.loads(re.search(r">(.*)</script>", island)[1])
    return [{key: value for key, value in snippet.items() if key != "id"} for snippet in data["snippets"]]


def test_says_keeps_the_quotes_inside_its_own():
    assert parse_options('python wrong="x" says="\'list\'"', "p.md", 1).says == "'list'"
    assert parse_options("""python wrong="x" says='a "tuple"'""", "p.md", 1).says == 'a "tuple"'
