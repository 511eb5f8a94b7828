"""The page's JSON island, and the data-snippet wrappers the browser finds snippets by."""

import json
import re

import markdown

from lessonkit.island import ISLAND_ID, island_html
from lessonkit.render import render_page

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
                     "reason": None, "exercise": None}
    assert shown["live"] and not shown["hidden"]
    assert norun["live"] is False and norun["reason"] is None
    assert build_only["live"] is False and build_only["reason"] == "plots with matplotlib"
    assert starter["exercise"] == {"id": "double", "role": "starter"} and starter["live"]
    assert starter["code"] == "def double(x):\n    return x\n"  # dedented, as it runs
    assert check["exercise"] == {"id": "double", "role": "check"} and check["hidden"]
    assert not check["live"] and not solution["live"]  # the Check button runs them, not Run


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
