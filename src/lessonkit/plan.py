"""Where each snippet of a page runs, decided in one place: the build, the page, replay in the page, the notebook.

Every adapter asks here: the job (what the worker runs, and the cache key),
pytest (which snippets are tests), the renderer (which blocks the browser must
find), the page's JSON island (island.py, what run.js and exercises.js read)
and the notebook export. The answers, for a snippet of a page:

- **build**: the build runs it, and checks its output. Every snippet, except
  `norun` ones, an exercise's starter (the learner's to fill in: it runs only
  with the checks, which it must fail), and all of a `run: false` page.
- **live**: the learner can run it in the page (a Run button). Not `norun`,
  not on a `run: false` page, not build-only (its own `build-only="…"` or the
  page's front matter `build-only:`), and not an exercise's checks or solution
  (the Check button runs those). An exercise's starter is live.
- **replay**: running a later snippet in the page first runs this one, as it
  is now in its editor, so that the page's namespace holds what the page says
  it does. The live snippets, hidden setup included; not an exercise's checks
  or solution: its starter stands in for the exercise, and the page replays it
  as the reference solution until the learner has passed the exercise, then as
  they wrote it (assets/exercises.js).
- **notebook**: it is a code cell of the page's notebook. The snippets the
  build runs and every part of an exercise (the starter for the learner to
  edit, the checks as a function, the solution) but its wrong and right
  answers; a page gets a notebook only when the build runs something on it.
- **reason**: why a snippet that the build runs and shows does not run in the
  page (its build-only reason), else None.
- **wrapped**: its rendered block is shown and runs somewhere, so the browser
  must find it (render.py wraps it in `data-snippet="L42"`).

What runs is the snippet's code everywhere but in the page for a snippet
with `in-page="steps = 150"`: the build, pytest and the notebook run the code
as written (`steps = 600`), while the page's editor starts with that one line
replaced (Snippet.page_code, lessonkit/parse.py), so that a long run, such as
a training loop, ends in about a minute in the page. The learner sees the line
and can set it back to run what the build ran; later snippets on the page then
use what the page's run made. The option is only for a live snippet, and the
page says so under it (render.py).

An exercise's wrong answers (`wrong="ID" says="…"`) and other right answers
(`right="ID"`) test its checks, for the author: they run in the build only
(build true; live, replay, notebook false; never wrapped), and are never shown
(`is_shown` false: render.py leaves them out of the page, island.py out of the
JSON island, notebook.py out of the notebook).

The build's order is `build_order`: page order, except that an exercise runs
where its solution stands, as starter (with the checks, which must fail),
solution, checks (which must pass), then its wrong answers and its right
answers, in page order (each with the checks, in a copy of the namespace).
"""

from dataclasses import dataclass

NOT_REPLAYED = ("check", "solution")  # an exercise's parts that the page never replays
NOT_LIVE = ("check", "solution", "wrong", "right")  # an exercise's parts that the learner never runs with Run
NOT_SHOWN = ("wrong", "right")  # an exercise's answers that test its checks: in the build only, never shown


@dataclass(frozen=True)
class Where:
    """Where one snippet runs (see the module's docstring for each answer)."""

    build: bool
    live: bool
    replay: bool
    notebook: bool
    reason: str | None  # why it runs in the build but not in the page
    wrapped: bool


def where(page, snippet):
    """Where the page's snippet runs: in the build, live in the page, in replay, in the notebook."""
    live = is_live(page, snippet)
    build = runs_in_build(page, snippet)
    shown = is_shown(snippet)
    return Where(
        build=build,
        live=live,
        replay=live and role(snippet) not in NOT_REPLAYED,
        notebook=shown and (build or snippet.options.exercise is not None),
        reason=build_only_reason(page, snippet) if build and shown else None,
        wrapped=shown and not snippet.options.hidden and (live or build),
    )


def is_shown(snippet):
    """Whether the snippet reaches the learner at all (page, island, notebook): not an exercise's wrong or
    right answer, which only test its checks in the build."""
    return role(snippet) not in NOT_SHOWN


def role(snippet):
    """The snippet's part in an exercise ("starter", "check", "solution", "wrong", "right"), or None."""
    return snippet.options.exercise.role if snippet.options.exercise else None


def runs_in_build(page, snippet):
    """Whether the build runs the snippet: the page runs, and it is neither `norun` nor an exercise's starter."""
    return page.run and not snippet.options.norun and role(snippet) != "starter"


def build_only_reason(page, snippet):
    """Why the snippet cannot run in the page (its own `build-only` or the page's), or None."""
    return snippet.options.build_only or page.build_only


def is_live(page, snippet):
    """Whether the learner can run the snippet in the page (an exercise's starter too, not its checks or solution)."""
    return (page.run and not snippet.options.norun and not build_only_reason(page, snippet)
            and role(snippet) not in NOT_LIVE)


def prelude_replayed(page):
    """Whether the page replays the earlier exercises it builds on (their solutions, or the learner's code)
    before its own snippets: whenever it runs at all."""
    return page.run


def build_order(page):
    """The indexes of the page's snippets that the build runs, in the order it runs them.

    That is page order, except for an exercise: where its solution stands, the
    starter runs with the checks (they must fail), then the solution, then the
    checks (they must pass), then each wrong answer (with the checks, which must
    fail) and each right answer (with the checks, which must pass).
    """
    if not page.run:
        return []
    order = []
    for index, snippet in enumerate(page.snippets):
        part = role(snippet)
        if part is None:
            if runs_in_build(page, snippet):
                order.append(index)
        elif part == "solution":
            exercise = page.exercise_of(snippet)
            parts = (exercise.starter, exercise.solution, exercise.check, *exercise.wrong, *exercise.right)
            order += [page.snippets.index(s) for s in parts]
    return order


def has_notebook(page):
    """Whether the page gets a notebook: the build runs at least one of its snippets."""
    return any(runs_in_build(page, snippet) for snippet in page.snippets)
