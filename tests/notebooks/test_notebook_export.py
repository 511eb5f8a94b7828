"""How a page's parts land in its notebook: prose, snippets, options, outputs, admonitions."""

import json

import nbformat

from lessonkit import export_notebook, page_notebook, parse_page
from run_in_kernel import printed, run

PAGE = '''---
title: Tiny lesson
lesson: "9.1"
---

```python hidden
from deepdive import Value
```

# Tiny lesson

Some prose with `code`.
{ .lesson-lede }

```python
a = Value(2.0)
print(a.data)
```

```output
2.0
```

Not run, only shown:

```python norun
import antigravity
```

A note is written like this:

```markdown
!!! note
    Text. { .small }
```

```python raises="ZeroDivisionError"
1 / 0
```

```output
ZeroDivisionError: division by zero
```

??? question "Reveal answers"

    The answer, measured:

    ```python
    print(a.data * 2)
    ```

    ```output
    4.0
    ```

    So it is `4.0`.

!!! note

    A note.

The end.
'''


def cells(text=PAGE, path="docs/tiny.md"):
    return [(cell.cell_type, cell.source) for cell in page_notebook(parse_page(text, path)).cells]


def test_prose_and_snippets_alternate_in_page_order():
    assert cells()[1:] == [
        ("code", "from deepdive import Value"),
        ("markdown", "Some prose with `code`."),
        ("code", "a = Value(2.0)\nprint(a.data)"),
        ("markdown", "Not run, only shown:\n\n```python\nimport antigravity\n```\n\n"
                     "A note is written like this:\n\n```markdown\n!!! note\n    Text. { .small }\n```"),
        ("code", "1 / 0"),
        ("markdown", "### Reveal answers\n\nThe answer, measured:"),
        ("code", "print(a.data * 2)"),
        ("markdown", "So it is `4.0`."),
        ("markdown", "### Note\n\nA note."),
        ("markdown", "The end."),
    ]


def test_first_cell_has_the_title_and_the_subtitle_with_the_lesson():
    notebook = page_notebook(parse_page(PAGE, "docs/tiny.md"), subtitle="Lesson {lesson} of a course.")
    assert notebook.cells[0].source == "# Tiny lesson\n\n*Lesson 9.1 of a course.*"
    assert cells()[0][1] == "# Tiny lesson"  # no subtitle unless the course gives one


def test_a_snippet_that_must_raise_is_tagged_so_run_all_goes_on():
    notebook = page_notebook(parse_page(PAGE, "docs/tiny.md"))
    raising = next(cell for cell in notebook.cells if cell.source == "1 / 0")
    assert raising.metadata["tags"] == ["raises-exception"]


def test_a_build_only_snippet_is_tagged_and_a_build_only_page_tags_every_snippet():
    page = "---\ntitle: T\n---\n\n```python\nx = 1\n```\n\n```python build-only=\"reads a data file\"\ny = 2\n```\n"
    tags = [cell.metadata.get("tags") for cell in page_notebook(parse_page(page, "docs/t.md")).cells
            if cell.cell_type == "code"]
    assert tags == [None, ["build-only"]]
    whole = page.replace("title: T", 'title: T\nbuild-only: "trains for minutes"')
    tags = [cell.metadata.get("tags") for cell in page_notebook(parse_page(whole, "docs/t.md")).cells
            if cell.cell_type == "code"]
    assert tags == [["build-only"], ["build-only"]]


def test_run_all_goes_on_past_the_snippet_that_must_raise(tmp_path):
    notebook = run(page_notebook(parse_page(PAGE, "docs/tiny.md")), tmp_path)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert [output.get("ename") for output in code[2].outputs] == ["ZeroDivisionError"]
    assert printed(code[3]) == "4.0\n"


def test_no_outputs_no_execution_counts_and_valid():
    notebook = page_notebook(parse_page(PAGE, "docs/tiny.md"))
    nbformat.validate(notebook)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None
    assert notebook.metadata.kernelspec.name == "python3"


def test_cell_ids_depend_on_the_page_path_and_position_only():
    once, twice = (export_notebook(parse_page(PAGE, "docs/tiny.md")) for _ in range(2))
    assert once == twice and once.endswith("}\n")
    ids = [cell["id"] for cell in json.loads(once)["cells"]]
    other = [cell["id"] for cell in json.loads(export_notebook(parse_page(PAGE, "docs/other.md")))["cells"]]
    assert len(set(ids)) == len(ids) and not set(ids) & set(other)


def test_a_page_with_nothing_to_run_has_no_notebook():
    assert export_notebook(parse_page("# Home\n\nNo code here.\n", "docs/index.md")) is None
    assert export_notebook(parse_page("---\nrun: false\n---\n\n```python\nprint(1)\n```\n", "docs/x.md")) is None
    assert export_notebook(parse_page("```python norun\nprint(1)\n```\n", "docs/x.md")) is None
