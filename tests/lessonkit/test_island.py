"""The page's JSON island, and the data-snippet wrappers the browser finds snippets by."""

import json
import re

import markdown

from lessonkit import island_html, parse_page, render_page
from lessonkit.course import Course
from lessonkit.island import ISLAND_ID

PAGE = """\
# A page

```python hidden
from math import floor
```

```python
print("</script><!-- ends nothing")
```

```python norun
illustration = ...
```

```python build-only="plots with matplotlib"
print("plot")
```

!!! exercise "Double it"

    ```python exercise="double"
    def double(x):
        return x
    ```

    ```python check="double" hidden
    assert double(2) == 4
    ```

    ??? success "Solution"

        ```python solution="double"
        def double(x):
            return 2 * x
        ```
"""


def island(page):
    html = island_html(page)
    found = re.fullmatch(rf'<script type="application/json" id="{ISLAND_ID}">(.*)</script>\n', html, re.DOTALL)
    assert found, html
    return json.loads(found.group(1))


def test_every_snippet_in_page_order_with_what_the_browser_needs(write_page):
    data = island(write_page(PAGE))
    assert data["page"] == "docs/page.md"
    assert [s["id"] for s in data["snippets"]] == ["L3", "L7", "L11", "L15", "L21", "L26", "L32"]
    setup, shown, norun, build_only, starter, check, solution = data["snippets"]
    assert setup == {"id": "L3", "code": "from math import floor\n", "hidden": True, "live": True,
                     "reason": None, "exercise": None, "replay": True, "raises": None, "timeout": 10.0,
                     "in_page": None, "key": setup["key"]}
    assert shown["live"] and not shown["hidden"]
    assert norun["live"] is False and norun["reason"] is None
    assert build_only["live"] is False and build_only["reason"] == "plots with matplotlib"
    assert starter["exercise"] == {"id": "double", "role": "starter"} and starter["live"]
    assert starter["code"] == "def double(x):\n    return x\n"  # dedented, as it runs
    assert check["exercise"] == {"id": "double", "role": "check"} and check["hidden"]
    assert not check["live"] and not solution["live"]  # the Check button runs them, not Run
    # replayed before a later snippet: what runs live, the learner's starter included, not the checks or solution
    assert [s["replay"] for s in data["snippets"]] == [True, True, False, False, True, False, False]


def test_each_snippet_carries_its_time_limit_its_own_or_the_courses_default():
    text = "```python timeout=900\ntrain()\n```\n\n```python\nprint(1)\n```\n"
    assert [s["timeout"] for s in island(parse_page(text, "docs/page.md"))["snippets"]] == [900.0, 10.0]
    slower = island(parse_page(text, "docs/page.md", Course(timeout=30)))["snippets"]
    assert [s["timeout"] for s in slower] == [900.0, 30.0]  # the course's own default, from mkdocs.yml


def test_no_code_can_close_the_script_element(write_page):
    html = island_html(write_page(PAGE))
    assert html.count("</script>") == 1 and "<!--" not in html
    assert '</script><!-- ends nothing' in json.dumps(island(write_page(PAGE)))  # decoded intact


def test_a_build_only_page_gives_every_snippet_its_reason(write_page):
    data = island(write_page('---\nbuild-only: "needs a data file"\n---\n\n```python\nprint(1)\n```\n'))
    assert [(s["live"], s["reason"]) for s in data["snippets"]] == [(False, "needs a data file")]


def test_a_page_without_snippets_has_no_island(write_page):
    assert island_html(write_page("# Prose only\n")) == ""


def test_shown_snippets_that_run_are_wrapped_by_their_id(write_page):
    rendered = render_page(write_page(PAGE))
    html = markdown.markdown(rendered, extensions=["admonition", "md_in_html", "pymdownx.superfences"])
    wrapped = re.findall(r'<div class="lessonkit-snippet" data-snippet="(L\d+)"', html)
    assert wrapped == ["L7", "L15", "L21"]  # not the hidden ones, nor the norun one
    block = html[html.index('data-snippet="L7"'):]
    assert block.index("ends nothing") < block.index("</div>")  # the code is inside its wrapper


RAISES = """\
```python
x = 1
```

```python raises="ZeroDivisionError"
x / 0
```

```python
x = 1
```
"""


def test_a_snippet_that_must_raise_says_what_so_that_its_replay_may_raise_it(write_page):
    assert [s["raises"] for s in island(write_page(RAISES))["snippets"]] == [None, "ZeroDivisionError", None]


def test_storage_keys_survive_lines_moving_above_a_snippet_and_tell_equal_code_apart(write_page):
    before = island(write_page(RAISES))["snippets"]
    after = island(write_page("# A new title\n\nA new paragraph.\n\n" + RAISES))["snippets"]
    assert [s["id"] for s in before] != [s["id"] for s in after]
    assert [s["key"] for s in before] == [s["key"] for s in after]
    first, raising, again = (s["key"] for s in before)
    assert len({first, raising, again}) == 3 and again == first + ":2"  # the same code, twice
    assert island(write_page(RAISES.replace("x / 0", "x // 0")))["snippets"][0]["key"] == first

    keys = {s["id"]: s["key"] for s in island(write_page(PAGE))["snippets"]}
    assert (keys["L26"], keys["L32"]) == ("exercise:double:check", "exercise:double:solution")
    edited = PAGE.replace("return x\n", "return x + 0\n")  # an exercise's part is named by its role, not its code
    assert island(write_page(edited))["snippets"][4]["key"] == keys["L21"] == "exercise:double:starter"


def test_in_page_changes_the_editor_s_code_and_not_where_the_learner_s_edit_is_kept(write_page):
    text = "```python timeout=900\nsteps = 600\nprint(steps)\n```\n"
    before = island(write_page(text))["snippets"][0]
    after = island(write_page(text.replace("timeout=900", 'timeout=900 in-page="steps = 150"')))["snippets"][0]
    assert before["code"] == "steps = 600\nprint(steps)\n" and before["in_page"] is None
    assert after["code"] == "steps = 150  # the build ran steps = 600\nprint(steps)\n"
    assert after["in_page"] == {"line": 1, "build": "steps = 600", "page": "steps = 150"}
    assert after["key"] == before["key"]
