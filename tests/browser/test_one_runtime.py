"""One runtime: a table of snippets run by the build's worker (CPython) and by the page's (Pyodide) says the same.

One small project holds the table as one page. Its snippets run in the
build's worker, as run.py gives it the page's job, and `mkdocs build` renders
the page; in Chromium, with every other host blocked, each snippet is Run (or
Checked) on the page's Pyodide. What the learner then sees must be what the
build showed: the same text blocks and pictures in the same order, the same
sanitized DOM (SVG and HTML, with nh3 in the build and DOMPurify in the page,
from one allowlist), and for an error the same exception type, message and
line of the snippet. (Traceback text differs between Python 3.11 and 3.14.)

Its cost, cold: one small build, one browser context, one Python loaded.
"""

import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from local_server import serving
from playwright.sync_api import expect

from lessonkit import page_job, parse_page
import lessonkit

pytestmark = pytest.mark.xdist_group("one-runtime")  # one process (pytest -n) makes its module fixtures once

ROOT = Path(__file__).resolve().parents[2]
STARTING = 90_000  # ms: the first Run of a visit loads Python
WORKER = Path(lessonkit.__file__).with_name("worker.py")

PAGE = '''
# One runtime

```python
class Picture:
    def __init__(self, svg, name):
        self.svg, self.name = svg, name

    def _repr_svg_(self):
        return self.svg

    def __repr__(self):
        return f"<picture: {self.name}>"


print("before")
display(Picture('<svg width="40" height="20"><rect width="40" height="20" fill="teal"/></svg>', "a box"))
print("after")
```

```output
before
<picture: a box>
after
```

```python
class Table:
    def _repr_html_(self):
        return ('<table><tr><th style="color: red; position: fixed">x</th></tr>'
                '<tr><td onclick="steal()" title="one">1</td></tr></table>')


Table()
```

```output
<Table>
```

```python
Picture('<svg viewBox="0 0 10 10" onload="steal()"><script>steal()</script>'
        '<a href="javascript:steal()"><circle r="4" cx="5" cy="5" onmouseover="steal()"/></a>'
        '<use href="#dot" xlink:href="#dot"/><style>* { display: none }</style></svg>', "a trap")
```

```output
<picture: a trap>
```

```python
def outer():
    def inner():
        raise ValueError("too deep")
    inner()


print("calling")
outer()
```

```output
calling
```

!!! exercise "Double it"

    Write `double`.

    ```python exercise="double"
    def double(x):
        return x
    ```

    ```python check="double"
    assert double(2) == 4, f"double(2) should be 4, not {double(2)}"
    ```

    ??? success "Solution"

        ```python solution="double"
        def double(x):
            return 2 * x
        ```

!!! exercise "Halve it"

    Write `halve`.

    ```python exercise="halve"
    def halve(x):
        pass
    ```

    ```python check="halve"
    assert halve(4) + 0 == 2
    ```

    ??? success "Solution"

        ```python solution="halve"
        def halve(x):
            return x / 2
        ```
'''
CONFIG = """
site_name: one runtime
site_url: http://127.0.0.1/one-runtime/
theme:
  name: material
  font: false
markdown_extensions: [admonition, attr_list, md_in_html, pymdownx.details, pymdownx.superfences, pymdownx.highlight]
plugins:
  - lessonkit
"""
# A node as plain data: text as itself, an element as [namespace and name, sorted attributes (a style as the
# browser reads it), children]. Material wraps the tables of the page it loads in two <div>s of its own (for
# scrolling): those are not the snippet's, so they are left out.
TREE = r"""
    const style = node => [...node.style].map(name => `${name}:${node.style.getPropertyValue(name)}`).sort().join(";");
    const theirs = node => node.matches?.(".md-typeset__scrollwrap, .md-typeset__table");
    const children = node => [...node.childNodes].flatMap(child => theirs(child) ? children(child) : [child]);
    const tree = node => node.nodeType === Node.TEXT_NODE ? node.data
        : node.nodeType !== Node.ELEMENT_NODE ? ["#" + node.nodeType]
        : [`${node.namespaceURI} ${node.localName}`,
           [...node.attributes].map(a => [a.name, a.name === "style" ? style(node) : a.value]).sort(),
           children(node).map(tree)];
"""
# The blocks of a snippet's output region, in order: ["text", its lines] or ["display", its nodes].
BLOCKS = "region => {" + TREE + r"""
    return [...region.children].map(block =>
        block.matches(".lessonkit-display") ? ["display", children(block).map(tree)]
        : block.matches(".lessonkit-output") ? ["text", block.querySelector("code").textContent.replace(/\n$/, "")]
        : ["other", block.className, block.textContent]);
}"""


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """The project, built (not strictly: one snippet raises on purpose)."""
    root = tmp_path_factory.mktemp("one-runtime")
    (root / "mkdocs.yml").write_text(textwrap.dedent(CONFIG))
    (root / "docs").mkdir()
    (root / "docs" / "index.md").write_text(PAGE.lstrip())
    (root / ".cache").mkdir()
    (root / ".cache" / "pyodide").symlink_to(ROOT / ".cache" / "pyodide")  # the runtime `make test` fetched
    built = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-d", str(root / "site")], cwd=root,
                           capture_output=True, text=True, timeout=300,
                           env={**os.environ, "NO_MKDOCS_2_WARNING": "true"})
    assert built.returncode == 0, built.stderr
    assert "docs/index.md:" in built.stderr and "raised ValueError" in built.stderr  # the one error, on purpose
    return root


@pytest.fixture(scope="module")
def build(project):
    """What the build's worker reported for each snippet (by its index on the page), given the page's job."""
    page = parse_page((project / "docs" / "index.md").read_text(), "docs/index.md")
    job = page_job(page)
    ran = subprocess.run([sys.executable, "-P", str(WORKER)], input=json.dumps(job), cwd=project,
                         capture_output=True, text=True, timeout=60)
    reports = [json.loads(line) for line in ran.stdout.splitlines()]
    results = [report for report in reports if report["kind"] == "snippet-result"]
    assert len(results) == len(job["snippets"]), ran.stderr
    return {int(re.fullmatch(r"<snippet (\d+)>", snippet["filename"])[1]) - 1: result
            for snippet, result in zip(job["snippets"], results)}


@pytest.fixture(scope="module")
def learner(project, visiting):
    """The built page in Chromium, with every other host blocked (conftest's Visit); Python starts on the first
    Run."""
    with serving(project / "site") as url:
        yield visiting(url)


def block(page, index):
    """The block of the page's snippet number `index` (its id, from the island)."""
    island = json.loads(page.locator("#lessonkit-page").text_content())
    return page.locator(f'[data-snippet="{island["snippets"][index]["id"]}"]')


def output(snippet):
    return snippet.get_by_role("status", name=re.compile("^Output"))


def run(snippet):
    """Run the snippet; the blocks of its output region before (the build's) and after (the page's)."""
    region = output(snippet)
    before = region.evaluate(BLOCKS)
    snippet.get_by_role("button", name="Run").click()
    expect(region.locator(".lessonkit-run__progress")).to_have_count(0, timeout=STARTING)
    return before, region.evaluate(BLOCKS)


def test_print_display_print_shows_the_picture_between_the_lines_as_the_build_does(learner, build):
    before, after = run(block(learner, 0))
    assert [kind for kind, _ in before] == ["text", "display", "text"]
    assert after == before
    assert [part.get("text") or part["display"]["text"] for part in build[0]["parts"]] == [
        "before\n", "<picture: a box>", "after\n"]


def test_a_last_expression_with_html_shows_the_same_sanitized_table(learner, build):
    before, after = run(block(learner, 1))
    assert after == before
    [[kind, table]] = after
    assert kind == "display" and "steal" not in json.dumps(table) and "position" not in json.dumps(table)
    assert "color:red" in json.dumps(table)


def test_svg_that_carries_a_script_and_event_handlers_is_the_same_harmless_svg(learner, build):
    before, after = run(block(learner, 2))
    assert after == before
    markup = output(block(learner, 2)).locator(".lessonkit-display").inner_html()
    assert not re.search(r"steal|<script|<style|onload|onmouseover|javascript:", markup), markup
    assert "<circle" in markup and 'href="#dot"' in markup


def test_an_exception_in_a_nested_function_has_the_same_type_message_and_line(learner, build):
    snippet = block(learner, 3)
    run(snippet)
    said = build[3]["error"]
    assert (said["type"], said["message"], said["line"]) == ("ValueError", "ValueError: too deep\n", 3)
    region = output(snippet)
    expect(region.locator(".lessonkit-run__error .filename")).to_have_text(f"Line {said['line']}: ValueError: too deep")
    assert region.evaluate(BLOCKS)[0] == ["text", "calling"]
    lesson = json.loads(learner.locator("#lessonkit-page").text_content())["snippets"][3]
    answer = learner.evaluate("([id, code]) => window.lessonkitRun.run(id, code)", [lesson["id"], lesson["code"]])
    assert {key: answer["error"][key] for key in ("type", "message", "line")} == {
        key: said[key] for key in ("type", "message", "line")}


@pytest.mark.parametrize("name", ["semantics", "run_worker", "lessonkit"])
def test_a_snippet_in_the_page_sees_no_lessonkit_module(learner, name):
    lesson = json.loads(learner.locator("#lessonkit-page").text_content())["snippets"][0]
    answer = learner.evaluate("([id, code]) => window.lessonkitRun.run(id, code)", [lesson["id"], f"import {name}\n"])
    assert answer["error"]["type"] == "ModuleNotFoundError"


@pytest.mark.parametrize("title, starter, status, message", [
    ("Double it", 4, "fail", "double(2) should be 4, not 2"),
    ("Halve it", 7, "error", "TypeError: unsupported operand type(s) for +: 'NoneType' and 'int'"),
])
def test_a_check_that_fails_or_raises_says_the_same_in_the_page(learner, build, title, starter, status, message):
    assert build[starter]["check"] == {"status": status, "message": message}
    exercise = learner.locator(".admonition.exercise").filter(has=learner.locator(".admonition-title",
                                                                                  has_text=title))
    exercise.get_by_role("button", name="Check").click()
    feedback = exercise.get_by_role("status", name=re.compile("^Feedback"))
    expect(feedback).to_have_attribute("data-outcome", status, timeout=STARTING)
    expect(feedback).to_contain_text(message)


def test_edits_and_passed_marks_are_kept_under_the_sites_address(learner):
    island = json.loads(learner.locator("#lessonkit-page").text_content())
    first = island["snippets"][0]
    site = learner.evaluate("() => new URL(JSON.parse(document.getElementById('pyodide-runtime').textContent)"
                            ".root, location.href).href")
    assert site == learner.url  # the page is the site's root
    key = learner.evaluate("id => window.lessonkitRun.store.key(id)", first["id"])
    assert key == f"{site}lessonkit:docs/index.md:{first.get('key', first['id'])}"
    block(learner, 0).get_by_role("textbox", name=re.compile("^Code")).fill("print('mine')\n")
    assert json.loads(learner.evaluate("key => localStorage.getItem(key)", key))["code"] == "print('mine')\n"
    exercise = learner.locator(".admonition.exercise").filter(has=learner.locator(".admonition-title",
                                                                                  has_text="Double it"))
    exercise.get_by_role("textbox", name=re.compile("^Code")).fill("def double(x):\n    return x + x\n")
    exercise.get_by_role("button", name="Check").click()
    expect(exercise.get_by_role("status", name=re.compile("^Feedback"))).to_have_attribute(
        "data-outcome", "pass", timeout=STARTING)
    marks = learner.evaluate("key => localStorage.getItem(key)", f"{site}lessonkit:passed:docs/index.md")
    assert json.loads(marks) == {"double": True}
    ours = [name for name in learner.evaluate("() => Object.keys(localStorage)") if "lessonkit:" in name]
    assert ours and all(name.startswith(site) for name in ours)


SANITIZED_ALIKE = [  # markup that one sanitizer could easily treat differently from the other
    '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" version="1.1">'
    '<use xlink:href="#p" x="1"/><a xlink:href="javascript:x">k</a>'
    '<text xml:space="preserve" xlink:role="r">t</text></svg>',
    '<svg><rect style="fill: red; position:absolute;  stroke : blue" onload="x()"/><script>alert(1)</script>'
    '<a href="javascript:alert(1)">x</a><use xlink:href="#a" href="https://example.org/x"/></svg>',
    '<div style="color:red;background:url(x)" title="t" data-x=1 aria-hidden=true><img src=x onerror=alert(1)>'
    '<table><tfoot><tr><td>1</td></tr></tfoot></table></div>',
    '<svg viewBox="0 0 1 1"><foreignObject><div>hi</div></foreignObject><text font-family="A: b">t</text>'
    '<style>x</style><metadata>m</metadata></svg><!-- c -->',
    '<p>a<iframe src="https://example.org"></iframe><object data="x"></object><form action="x"><input name="q">'
    '</form><b id="title">b</b></p>',
    '<a href=" JaVaScRiPt:alert(1)">1</a><a href="java\tscript:alert(1)">2</a><a href="//example.org">3</a>'
    '<a href="mailto:x@example.org">4</a><a href="data:text/html,x">5</a><a href="#frag">6</a>',
    '<svg><a href="https://example.org"><text x="1" dominant-baseline="middle">hi</text></a>'
    '<animate attributeName="href" to="javascript:alert(1)"/><set attributeName="onclick" to="alert(1)"/></svg>',
    '<math><mi>x</mi></math><svg><g class="c" id="g1" transform="translate(1 2)">'
    '<path d="M 0 0 \nL 1 1 \nz\n" stroke-dasharray="5.55,2.4"/></g></svg>',
    '<div style="font-family: &quot;DejaVu Sans&quot;, Arial; width: 10px !important; FILL: red; '
    'margin:0 auto">x</div>',
    '<svg><desc><b>x</b>y</desc><foo>text</foo><image>t</image><switch><text>in</text></switch></svg>',
    '<math><mtext>t</mtext></math><svg><foreignObject>txt<b>b</b></foreignObject></svg><svg><p><style>'
    '<img src=x onerror=alert(1)></style></p></svg><template><b>t</b></template>',
    '  <b>lead</b>  <ul><li>1<li>2</ul><br><hr><pre>  x\n  y</pre><details><summary>s</summary>x</details>',
]
# Two pieces of markup, each parsed into the page, as plain data.
SAME_DOM = "([built, paged]) => {" + TREE + r"""
    const parsed = html => { const box = document.createElement("div"); box.innerHTML = html; return box; };
    return [built, paged].map(html => JSON.stringify(children(parsed(html)).map(tree)));
}"""


@pytest.mark.parametrize("markup", SANITIZED_ALIKE, ids=range(len(SANITIZED_ALIKE)))
def test_the_page_sanitizes_as_the_build_does(learner, markup):
    from lessonkit.sanitize import sanitize

    built = sanitize(markup)
    paged = learner.evaluate("markup => window.lessonkitRun.sanitize(markup)", markup)
    as_built, as_paged = learner.evaluate(SAME_DOM, [built, paged])
    assert as_paged == as_built
    assert not re.search(r"alert|javascript:|onload|onerror|onclick|<script|<style", paged)
