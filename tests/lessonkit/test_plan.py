"""Where a snippet runs, decided in lessonkit.plan, and the adapters that ask it: the job (whose snippets are
also pytest's tests), the island, the renderer and the notebook."""

import json
import re

import pytest

from test_island import PAGE as ISLAND_PAGE  # one of every kind of snippet, but one that must raise
from lessonkit import build_order, island_html, page_job, page_notebook, render_page, where

PAGE = ISLAND_PAGE + """
```python raises="ZeroDivisionError"
1 / 0
```

```python
after = double(3)
```
"""
KINDS = ["hidden", "shown", "norun", "build-only", "starter", "check", "solution", "raises", "after"]
# build, live, replay, notebook, reason, wrapped
WHERE = {
    "hidden": (True, True, True, True, None, False),
    "shown": (True, True, True, True, None, True),
    "norun": (False, False, False, False, None, False),
    "raises": (True, True, True, True, None, True),
    "build-only": (True, False, False, True, "plots with matplotlib", True),
    "starter": (False, True, True, True, None, True),  # the learner's code stands in for the solution in replay
    "check": (True, False, False, True, None, False),
    "solution": (True, False, False, True, None, True),
    "after": (True, True, True, True, None, True),
}


def answers(page):
    return {kind: tuple(vars(where(page, snippet)).values()) for kind, snippet in zip(KINDS, page.snippets)}


def test_where_each_kind_of_snippet_runs(write_page):
    assert answers(write_page(PAGE)) == WHERE


def test_a_page_that_does_not_run_runs_nothing_anywhere(write_page):
    page = write_page("---\nrun: false\n---\n\n" + PAGE)
    assert set(answers(page).values()) == {(False, False, False, False, None, False),
                                           (False, False, False, True, None, False)}  # exercise parts: notebook
    assert build_order(page) == [] and page_notebook(page) is None


def test_a_build_only_page_runs_in_the_build_only(write_page):
    page = write_page('---\nbuild-only: "needs a data file"\n---\n\n' + PAGE)
    found = answers(page)
    assert found["shown"] == (True, False, False, True, "needs a data file", True)
    assert found["starter"] == (False, False, False, True, None, False)  # runs in the notebook only


def test_the_build_runs_an_exercise_where_its_solution_stands(write_page):
    page = write_page(PAGE)
    assert [KINDS[index] for index in build_order(page)] == [
        "hidden", "shown", "build-only", "starter", "solution", "check", "raises", "after"]


@pytest.mark.parametrize("front_matter", ["", "---\nrun: false\n---\n\n", '---\nbuild-only: "a reason"\n---\n\n'])
def test_every_adapter_asks_the_plan(write_page, front_matter):
    page = write_page(front_matter + PAGE)
    plan = [where(page, snippet) for snippet in page.snippets]
    # the job: what the worker runs, and the cache key
    assert [job["filename"] for job in page_job(page)["snippets"]] == [f"<snippet {i + 1}>" for i in build_order(page)]
    # the island: what run.js and exercises.js read
    html = island_html(page)
    island = json.loads(re.search(r">(.*)</script>", html).group(1))["snippets"]
    assert [(s["live"], s["replay"], s["reason"]) for s in island] == [(w.live, w.replay, w.reason) for w in plan]
    # the renderer: the blocks the browser finds by their id
    wrapped = re.findall(r'data-snippet="(L\d+)"', render_page(page))
    assert wrapped == [f"L{s.line}" for s, w in zip(page.snippets, plan) if w.wrapped]
    # the notebook: a code cell for each snippet the plan puts in it
    notebook = page_notebook(page)
    cells = [cell for cell in notebook.cells if cell.cell_type == "code"] if notebook else []
    assert len(cells) == (sum(w.notebook for w in plan) if any(w.build for w in plan) else 0)


TRAINING = """\
```python timeout=900 in-page="steps = 150"
import logging

steps = 600  # the build's run
for step in range(steps):
    pass
print(step + 1)
```

```output
600
```

```python
print(step)
```
"""


def test_a_snippet_with_in_page_runs_the_build_s_code_everywhere_but_in_the_page(write_page):
    page = write_page(TRAINING)
    training = page.snippets[0]
    built = "import logging\n\nsteps = 600  # the build's run\nfor step in range(steps):\n    pass\nprint(step + 1)\n"
    assert training.code == built
    # the build and pytest run the code as written, so the option changes no cache key
    assert page_job(page)["snippets"][0]["code"] == built
    assert page_job(page) == page_job(write_page(TRAINING.replace(' in-page="steps = 150"', "")))
    # the notebook runs it as written too
    cells = [cell.source for cell in page_notebook(page).cells if cell.cell_type == "code"]
    assert built.rstrip("\n") in cells and not any("150" in cell for cell in cells)
    # the page's editor starts with the one line replaced, and says what the build ran
    island = json.loads(re.search(r">(.*)</script>", island_html(page)).group(1))["snippets"][0]
    assert island["code"] == built.replace("steps = 600  # the build's run",
                                           "steps = 150  # the build ran steps = 600")
    assert island["in_page"] == {"line": 3, "build": "steps = 600", "page": "steps = 150"}
    # the rendered code block is the build's, and the note under it says what the page runs instead
    rendered = render_page(page)
    assert "steps = 600  # the build's run" in rendered and "steps = 150" not in rendered.split("!!!")[0]
    assert 'in-page="' not in rendered  # the option is taken out of the shown info string
