import re
import textwrap
from pathlib import Path

import pytest

from lessonkit import Course, ParseError, parse_page, read_page


def parse(text, path="docs/page.md"):
    return parse_page(textwrap.dedent(text).lstrip("\n"), path)


def test_a_snippet_has_its_code_line_and_output_fence():
    page = parse("""
        # Title

        ```python
        print(1)
        ```

        ```output
        1
        ```
        """)
    [snippet] = page.snippets
    assert (snippet.path, snippet.line) == ("docs/page.md", 3)
    assert snippet.code == "print(1)\n"
    assert snippet.expected == "1\n"


def test_tilde_fences_and_py_are_snippets_too():
    page = parse("""
        ~~~python
        a = 1
        ~~~
        ~~~~py
        b = 2
        ~~~~
        """)
    assert [s.code for s in page.snippets] == ["a = 1\n", "b = 2\n"]
    assert [s.line for s in page.snippets] == [1, 4]


def test_a_fence_in_a_reveal_block_is_dedented_and_keeps_its_line():
    page = parse("""
        ??? question "Reveal answers"

            ```python
            if True:
                print("yes")
            ```

            ```output
            yes
            ```
        """)
    [snippet] = page.snippets
    assert snippet.line == 3
    assert snippet.indent == "    "
    assert snippet.code == 'if True:\n    print("yes")\n'
    assert snippet.expected == "yes\n"
    assert snippet.source_line(2) == 5


def test_other_languages_and_fences_inside_them_are_not_snippets():
    page = parse("""
        ````markdown
        ```python
        print("an example of a snippet, not a snippet")
        ```
        ````

        ```text
        plain
        ```

        Inline ```python x``` is not a fence.
        """)
    assert page.snippets == ()


def test_options_are_read_and_taken_out_of_the_shown_info_string():
    page = parse("""
        ```python hidden
        setup = 1
        ```

        ```python norun title="engine.py"
        not run
        ```

        ```python raises="ValueError" timeout=2.5
        raise ValueError
        ```

        ```{ .python .annotate hidden }
        more = 2
        ```
        """)
    hidden, norun, raises, braced = (s.options for s in page.snippets)
    assert hidden.hidden and not hidden.norun
    assert norun.norun and norun.shown_info == 'python title="engine.py"'
    assert (raises.raises, raises.timeout) == ("ValueError", 2.5)
    assert braced.hidden and braced.shown_info == "{ .python .annotate }"
    assert [page.runs(s) for s in page.snippets] == [True, False, True, True]


@pytest.mark.parametrize("text, message", [
    ("```python\nprint(1)\n```\n\n```output\n1\n```\n\n```output\nstale\n```\n",
     "docs/page.md:9: this output fence follows no snippet, so nothing checks it"),
    ("```python\nprint(1)\n```\n\nSome prose.\n\n```output\n1\n```\n",
     "docs/page.md:7: this output fence follows no snippet"),
    ("!!! note\n\n    ```python\n    print(1)\n    ```\n\n```output\n1\n```\n",
     "docs/page.md:7: this output fence follows no snippet"),  # not at the snippet's indent
    ("```python norun\nprint(1)\n```\n\n```output\n1\n```\n",
     "docs/page.md:5: this output fence follows a snippet that does not run (line 1)"),
    ("---\nrun: false\n---\n```python\nprint(1)\n```\n```output\n1\n```\n",
     "docs/page.md:7: this output fence follows a snippet that does not run (line 4)"),
    ("!!! note\n\n\t```python\n\tprint(1)\n\t```\n",
     "docs/page.md:3: this fence is indented with a tab; indent it with spaces"),
    ("```python3\nprint(1)\n```\n", "docs/page.md:1: ```python3 is never run; write ```python to run it"),
    ("```Python\nprint(1)\n```\n", "docs/page.md:1: ```Python is never run"),
    ("```{ .py3 }\nprint(1)\n```\n", "docs/page.md:1: ```py3 is never run"),
])
def test_an_output_fence_or_a_python_fence_that_nothing_would_check_is_an_error(text, message):
    with pytest.raises(ParseError, match="^" + re.escape(message)):
        parse_page(text, "docs/page.md")


def test_an_unclosed_fence_is_an_error_naming_its_line():
    with pytest.raises(ParseError, match=r"^docs/page\.md:3: the ``` fence opened here is never closed"):
        parse("""
            # Title

            ```python
            print(1)
            """)


def test_a_fence_that_leaves_its_block_unclosed_is_an_error():
    with pytest.raises(ParseError, match=r"^docs/page\.md:3: .*not closed before line 5"):
        parse("""
            !!! note

                ```python
                print(1)
            Back to prose.
            ```
            """)


@pytest.mark.parametrize("info, message", [
    ("python nrun", "unknown option 'nrun'"),
    ("python timeout=soon", "timeout= needs a positive number"),
    ("python raises=1", "raises= needs an exception name"),
    ("python norun hidden", "norun cannot go with hidden"),
    ("python hidden=yes", "hidden= takes no value"),
    ("python raises", "raises needs a value: raises=ExceptionName"),
    ("python build-only", 'build-only needs a value: build-only="reason"'),
    ('python build-only=""', "build-only= needs a reason"),
    ('python exercise="two words"', "exercise= needs an exercise id"),
    ('python check=a solution=a', "a snippet has one exercise role"),
    ('python exercise=a norun', "norun cannot go with hidden, raises= or an exercise role"),
])
def test_a_bad_option_is_an_error_naming_its_line(info, message):
    with pytest.raises(ParseError, match=f"^docs/page.md:2: {message}"):
        parse(f"Intro\n```{info}\nx = 1\n```\n")


def test_in_page_names_the_one_line_the_page_runs_differently_and_leaves_the_code_as_written():
    page = parse("""
        Intro

        ```python timeout=900 in-page="steps = 150"
        def train(steps):
            steps = steps * 2  # not top-level: not the line
            return steps

        steps = 600  # as in the build
        print(train(steps))
        ```
        """)
    [snippet] = page.snippets
    assert snippet.options.shown_info == "python" and snippet.options.in_page == "steps = 150"
    assert (snippet.in_page.line, snippet.in_page.build, snippet.in_page.page) == (5, "steps = 600", "steps = 150")
    assert "steps = 600  # as in the build\n" in snippet.code
    assert snippet.page_code == snippet.code.replace("steps = 600  # as in the build",
                                                     "steps = 150  # the build ran steps = 600")


@pytest.mark.parametrize("code, message", [
    ("print(1)\n", 'docs/page.md:3: in-page="steps = 150" replaces the one top-level line of the code that '
                   "assigns steps, and none does"),
    ("steps = 600\nsteps = 700\n", "docs/page.md:3: in-page=\"steps = 150\" replaces the one top-level line of "
                                   "the code that assigns steps, and lines 4, 5 assign it"),
    ("steps = 600\nsteps += 1\n", "docs/page.md:3: in-page=\"steps = 150\" replaces the one top-level line of "
                                  "the code that assigns steps, and lines 4, 5 assign it"),
    ("x = 1\nsteps = (\n    600)\n", "docs/page.md:5: in-page= replaces a line such as `steps = 600`: an "
                                     "assignment to steps alone, on one line of its own"),
    ("steps = 600; print(steps)\n", "docs/page.md:4: in-page= replaces a line such as `steps = 600`"),
    ("lr, steps = 0.1, 600\n", "docs/page.md:4: in-page= replaces a line such as `steps = 600`"),
    ("steps = 600\nprint(\n", "docs/page.md:5: in-page= needs code that Python can read"),
])
def test_in_page_needs_exactly_one_top_level_line_that_assigns_its_name(code, message):
    with pytest.raises(ParseError, match="^" + re.escape(message)):
        parse_page(f"Intro\n\n```python in-page=\"steps = 150\"\n{code}```\n", "docs/page.md")


@pytest.mark.parametrize("info, message", [
    ("python in-page=steps", 'in-page= needs one assignment to a name, such as in-page="steps = 150"'),
    ('python in-page="steps == 150"', "in-page= needs one assignment to a name"),
    ('python norun in-page="steps = 150"', "in-page= goes on a snippet that the learner runs with Run"),
    ('python hidden in-page="steps = 150"', "in-page= goes on a snippet that the learner runs with Run"),
    ('python build-only="slow" in-page="steps = 150"', "in-page= goes on a snippet that the learner runs"),
])
def test_in_page_goes_on_a_snippet_the_learner_runs_and_assigns_a_name(info, message):
    with pytest.raises(ParseError, match=f"^docs/page.md:2: {re.escape(message)}"):
        parse(f"Intro\n```{info}\nsteps = 600\n```\n")


def test_an_unknown_option_is_answered_with_every_option():
    with pytest.raises(ParseError) as error:
        parse("```python nrun\nx = 1\n```\n")
    for usage in ("norun", "hidden", "raises=ExceptionName", "timeout=SECONDS", 'build-only="reason"',
                  'exercise="ID"', 'check="ID"', 'solution="ID"', "title="):
        assert usage in str(error.value)


def test_build_only_and_exercise_roles_are_read_and_taken_out_of_the_shown_info_string():
    page = parse("""
        ```python build-only="plots with matplotlib" title="plot.py"
        plot = 1
        ```

        !!! exercise "Add backward"

            ```python exercise="add-backward"
            starter = 1
            ```

            ```python check=add-backward hidden
            assert True
            ```

            ??? success "Solution"

                ```python solution='add-backward'
                solved = 1
                ```
        """)
    build_only, starter, check, solution = page.snippets
    assert build_only.options.build_only == "plots with matplotlib"
    assert build_only.options.shown_info == 'python title="plot.py"'
    assert [(s.options.exercise.id, s.options.exercise.role) for s in (starter, check, solution)] == [
        ("add-backward", "starter"), ("add-backward", "check"), ("add-backward", "solution")]
    assert check.options.hidden and starter.options.shown_info == "python"
    assert build_only.options.exercise is None and starter.options.build_only is None
    assert [page.runs(s) for s in page.snippets] == [True, False, True, True]


def test_front_matter_is_yaml_and_its_keys_are_kept():
    page = parse("""
        ---
        title: "Values: and expressions"
        lesson: "2.1"
        run: false  # a draft
        build-only: "it trains for minutes"
        ---
        ```python
        print(1)
        ```
        """)
    assert page.meta["title"] == "Values: and expressions" and page.meta["lesson"] == "2.1"
    assert page.run is False and not page.runs(page.snippets[0])
    assert page.build_only == "it trains for minutes"
    assert page.body_start == 6 and page.snippets[0].line == 7


def test_a_page_without_front_matter_runs_and_is_not_build_only():
    page = parse("```python\nprint(1)\n```\n")
    assert (page.meta, page.run, page.build_only, page.body_start) == ({}, True, None, 0)


@pytest.mark.parametrize("front_matter, message", [
    ("title: [unclosed", "docs/page.md:2: the front matter is not valid YAML"),
    ("title: a\nrun: [1", "docs/page.md:3: the front matter is not valid YAML"),
    ("- a list", "docs/page.md:1: the front matter must be YAML keys and values, not a list"),
    ("title: a\nrun: maybe", "docs/page.md:3: front matter `run:` must be true or false, got 'maybe'"),
    ("build-only: 3", "docs/page.md:2: front matter `build-only:` needs a reason"),
])
def test_bad_front_matter_is_an_error_naming_its_line(front_matter, message):
    with pytest.raises(ParseError, match="^" + re.escape(message)):
        parse_page(f"---\n{front_matter}\n---\n\n```python\nprint(1)\n```\n", "docs/page.md")


def test_front_matter_can_turn_running_off():
    page = parse("""
        ---
        title: Not a lesson
        run: false
        ---
        ```python
        print(1)
        ```
        """)
    assert page.run is False
    assert page.snippets[0].line == 5
    assert not page.runs(page.snippets[0])


def test_a_snippet_without_timeout_gets_the_courses_default_and_its_earlier_exercises_too(tmp_path):
    page = parse_page("```python\nx = 1\n```\n\n```python timeout=5\ny = 2\n```\n", "docs/page.md", Course(timeout=3))
    assert [s.options.timeout for s in page.snippets] == [3.0, 5.0] and page.course.timeout == 3.0
    assert parse("```python\nx = 1\n```\n").snippets[0].options.timeout == 10.0  # lessonkit's own default
    docs = tmp_path / "docs"  # the earlier exercises a page builds on are parsed with its default too
    docs.mkdir()
    (docs / "one.md").write_text((Path(__file__).parents[1] / "fixtures" / "square-exercise.md").read_text())
    (docs / "two.md").write_text("---\nbuilds-on: [square]\n---\n\n```python\nprint(square(2))\n```\n")
    assert read_page("docs/two.md", tmp_path, Course(timeout=4)).prelude_snippets[0].options.timeout == 4.0
