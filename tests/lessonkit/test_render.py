import re
import textwrap

import markdown

from lessonkit import check_page, render_page, run_page
from lessonkit.render import CUSTOM_FENCES

PAGE = """\
# A page

Prose with `code` and <b>html</b>, kept   exactly.

```python hidden
greeting = "<script>alert(1)</script>"
```

```python title="hello.py"
print(greeting)
```

```output
stale
```

??? question "Reveal answers"

    ```python
    print("inside")
    ```

    ```output
    inside
    ```

The end.
"""


def to_html(text):
    """The page's HTML, as a site with superfences and the lessonkit display fence makes it."""
    return markdown.markdown(text, extensions=["admonition", "pymdownx.details", "pymdownx.superfences"],
                             extension_configs={"pymdownx.superfences": {"custom_fences": CUSTOM_FENCES}})


def render(write_page, tmp_path, text):
    page = write_page(text)
    run = run_page(page, tmp_path)
    return render_page(page, run, check_page(page, run))


def test_output_is_html_escaped_and_titled(write_page, tmp_path):
    html = to_html(render(write_page, tmp_path, PAGE))
    assert "<script>" not in html
    assert '<div class="lessonkit-output highlight"><span class="filename">Output</span>' in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_hidden_snippets_go_options_go_and_everything_else_stays(write_page, tmp_path):
    rendered = render(write_page, tmp_path, PAGE)
    assert "greeting =" not in rendered
    assert '```python title="hello.py"\nprint(greeting)\n```\n' in rendered
    assert "hidden" not in rendered
    for line in ("# A page\n", "Prose with `code` and <b>html</b>, kept   exactly.\n",
                 '??? question "Reveal answers"\n', "The end.\n"):
        assert line in rendered


def test_real_output_replaces_the_fence_and_keeps_the_reveal_blocks_indent(write_page, tmp_path):
    rendered = render(write_page, tmp_path, PAGE)
    assert '```{ .text .lessonkit-output title="Output" }\n<script>alert(1)</script>\n```\n' in rendered
    assert "\n    -stale\n" in rendered  # only in the diff of the error below it
    assert '    ```{ .text .lessonkit-output title="Output" }\n    inside\n    ```\n' in rendered
    html = to_html(rendered)
    details = html[html.index("<details"):html.index("</details>")]
    assert "lessonkit-output" in details


def test_a_failing_snippet_shows_an_error_naming_its_line(write_page, tmp_path):
    rendered = render(write_page, tmp_path, """\
        Intro

        ```python
        print(1)
        ```

        ```output
        2
        ```

        ```python
        undefined_name
        ```
        """)
    assert '!!! failure "docs/page.md:3: printed something other than its output fence' in rendered
    assert "    -2\n    +1\n" in rendered
    assert '!!! failure "docs/page.md:11: raised NameError"' in rendered
    assert 'File "docs/page.md", line 12, in <module>' in rendered


def test_a_display_takes_the_place_of_its_stand_in_sanitized(write_page, tmp_path):
    rendered = render(write_page, tmp_path, """\
        ```python
        class Picture:
            def _repr_svg_(self):
                return ('<?xml version="1.0"?>\\n<svg width="1" onload="steal()"><text>a * b * c</text>'
                        '<script>steal()</script><a href="javascript:steal()"><rect width="1"/></a></svg>')
            def __repr__(self):
                return "<picture>"

        class Table:
            def _repr_html_(self):
                return '<table onclick="steal()"><tr><td>1</td></tr></table><img src="http://elsewhere/x.png">'

        class Photo:
            def _repr_png_(self):
                return b"PNG"

        print("first")
        display(Picture())
        print("between")
        display(Table(), Photo())
        ```

        ```output
        first
        <picture>
        between
        <Table>
        <Photo>
        ```
        """)
    html = to_html(rendered)
    assert "docs/page.md" not in rendered  # the output fence, stand-ins and all, is what ran: no problem
    shown = re.findall(r'<div class="lessonkit-(?:output|display).*?</div>', html, re.DOTALL)
    first, picture, between, table, photo = shown
    assert "first" in first and "between" in between and "&lt;picture&gt;" not in "".join(shown)
    assert picture == ('<div class="lessonkit-display"><svg width="1"><text>a * b * c</text>'
                       '<a><rect width="1"></rect></a></svg></div>')
    assert not re.search(r"steal|<script|elsewhere|<\?xml", "".join(shown))
    assert table == '<div class="lessonkit-display"><table><tbody><tr><td>1</td></tr></tbody></table></div>'
    assert photo == '<div class="lessonkit-display"><img alt="&lt;Photo&gt;" src="data:image/png;base64,UE5H"></div>'


def test_a_page_rendered_without_a_run_shows_its_fences_as_written(write_page):
    page = write_page("""\
        ```python
        print("not run")
        ```

        ```output
        what the author wrote
        ```
        """)
    rendered = render_page(page)
    assert rendered == ('<div class="lessonkit-snippet" data-snippet="L1" markdown>\n\n'
                        '```python\nprint("not run")\n```\n\n'
                        '```{ .text .lessonkit-output title="Output" }\nwhat the author wrote\n```\n\n</div>\n')


def test_a_snippet_the_page_runs_shorter_says_so_under_it_and_shows_the_build_s_code(write_page):
    text = """\
        ```python timeout=900 in-page="steps = 150"
        steps = 600
        print(steps)
        ```

        ```output
        600
        ```
        """
    html = to_html(render_page(write_page(text)))
    code, note = html.split('<div class="admonition info lessonkit-in-page">')
    assert ">600<" in code and "150" not in code  # the code and output shown are the build's
    assert note.startswith("\n<p>The page runs this with <code>steps = 150</code> instead of the build's "
                           "<code>steps = 600</code>, so that it ends in about a minute; the output shown is the "
                           "build's. Later snippets on this page use what this shorter run made, until you set the "
                           "line back to <code>steps = 600</code>.</p>")
    build_only = render_page(write_page('---\nbuild-only: "a reason"\n---\n\n' + textwrap.dedent(text)))
    assert "lessonkit-in-page" not in build_only  # the page does not run it at all


def test_a_reveal_block_holding_a_failure_starts_open_and_others_stay_closed(write_page, tmp_path):
    rendered = render(write_page, tmp_path, """\
        ??? question "Fine"

            ```python
            print("fine")
            ```

            ```output
            fine
            ```

        ??? question "Broken"

            !!! note "Nested"

                ```python
                undefined_name
                ```
        """)
    assert '??? question "Fine"\n' in rendered
    assert '???+ question "Broken"\n' in rendered
    html = to_html(rendered)
    assert html.count('open="open"') == 1 and "raised NameError" in html
