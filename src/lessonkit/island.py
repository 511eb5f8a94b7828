"""The page's JSON island: its snippets in page order, all the browser needs to edit and run them.

The MkDocs plugin puts it at the end of a lesson page, as

    <script type="application/json" id="lessonkit-page">{"page": "docs/….md", "snippets": [
      {"id": "L42", "code": "…", "hidden": false, "live": true, "reason": null,
       "exercise": null or {"id": "…", "role": "starter" | "check" | "solution"},
       "replay": true, "raises": null or "ValueError", "timeout": 10.0,
       "in_page": null or {"line": 3, "build": "steps = 600", "page": "steps = 150"},
       "key": "code:3f1c0a9e42b7"}, …]}</script>

Where a snippet runs is lessonkit/plan.py's answer; the island carries it:

- `id` names the snippet by the line of its opening fence, as pytest does.
- `code`: the code the page's editor starts with, dedented, as the page runs
  it. That is the code as written, except for a snippet with
  `in-page="steps = 150"` (lessonkit/parse.py): its one line that assigns the
  name is replaced, `steps = 150  # the build ran steps = 600`, so that the
  page's run is short, and the learner sees it and can set it back.
- `in_page`: for such a snippet, that line of the code (`line`, 1-based), the
  build's statement on it (`build`) and the page's (`page`); else null. The
  rendered code block above the editor, the notebook and the build keep the
  build's code.
- `live`: the learner can run it in the page. Not for `norun`, nor on a page
  with `run: false`, nor when it is build-only, nor for an exercise's checks
  and solution (the Check button runs those, exercises.js).
- `replay`: running a later snippet in the page runs this one first, as it is
  in its editor (not an exercise's checks or solution).
- `raises`: the exception the snippet must raise (its `raises=`), or null: a
  replayed snippet that raises it is doing what the page says.
- `timeout`: the seconds the snippet may take, as the build gives it: its
  `timeout=`, else the course's default (the plugin's `timeout:` setting,
  10 s unless set). A snippet's own limit says how long its run is meant to
  be, so the page can tell a long run from a runaway one.
- `reason`: why a snippet that runs in the build does not run in the page
  (its `build-only="…"`, or the page's front matter `build-only: "…"`).
- `key`: where the browser keeps the learner's edit of the snippet. Unlike
  `id`, it does not change when lines above the snippet move: an exercise's
  part is named by its exercise and role (`exercise:my-value:starter`), any
  other snippet by a short hash of its code as written (`code:3f1c0a9e42b7`:
  the build's code, so `in-page=` changes no key), with `:2`, `:3`… for the
  second and third snippet of the page with that same code.
- A page whose front matter says `builds-on` starts with one hidden snippet
  per earlier exercise it builds on: the reference solution, with
  `"builds_on": {"id": "my-value", "page": "docs/….md", "starter": "L144",
  "key": "exercise:my-value:starter"}`, which says where the learner wrote
  their own (exercises.js runs theirs instead, once they passed it): `starter`
  is its id on that page and `key` its storage key. Its own id is
  `builds-on:my-value`, and so is its key.
- A starter marked `assembled` has `"assembled": true` in its `exercise`:
  exercises.js starts its editor with the learner's code of those earlier
  exercises, joined in order.
- An exercise's wrong and right answers are not in it (plan.is_shown): they
  only test the checks, in the build.

render.py wraps the rendered block of each snippet that `is_wrapped` in an
element with `data-snippet="L42"`, so the browser finds its code and output.
"""

import hashlib
import json

from lessonkit import plan

ISLAND_ID = "lessonkit-page"
KEY_HASH_LENGTH = 12  # hex digits of a snippet's code hash in its key


def snippet_id(snippet):
    return f"L{snippet.line}"


def is_wrapped(page, snippet):
    """Whether the snippet's block is shown and runs somewhere, so the browser needs to find it (lessonkit.plan)."""
    return plan.where(page, snippet).wrapped


def exercise_key(role):
    """The storage key of an exercise's part: its exercise and its role."""
    return f"exercise:{role.id}:{role.role}"


def storage_keys(page):
    """The storage key of each of the page's snippets, in page order (see the module's docstring)."""
    keys, seen = [], {}
    for snippet in page.snippets:
        if snippet.options.exercise:
            keys.append(exercise_key(snippet.options.exercise))
            continue
        key = "code:" + hashlib.sha256(snippet.code.encode()).hexdigest()[:KEY_HASH_LENGTH]
        seen[key] = seen.get(key, 0) + 1
        keys.append(key if seen[key] == 1 else f"{key}:{seen[key]}")
    return keys


def island_html(page):
    """The island as a <script> element on a line of its own, or "" for a page without snippets."""
    if not page.snippets:
        return ""
    earlier = [{
        "id": f"builds-on:{exercise.id}",
        "code": exercise.solution.code,
        "hidden": True,
        "live": page.run,
        "reason": None,
        "exercise": None,
        "builds_on": {"id": exercise.id, "page": exercise.starter.path, "starter": snippet_id(exercise.starter),
                      "key": exercise_key(exercise.starter.options.exercise)},
        "replay": plan.prelude_replayed(page),
        "raises": None,
        "timeout": exercise.solution.options.timeout,
        "in_page": None,
        "key": f"builds-on:{exercise.id}",
    } for exercise in page.prelude]
    snippets = []
    for snippet, key in zip(page.snippets, storage_keys(page)):
        if not plan.is_shown(snippet):
            continue
        where = plan.where(page, snippet)
        snippets.append({
            "id": snippet_id(snippet),
            "code": snippet.page_code,
            "hidden": snippet.options.hidden,
            "live": where.live,
            "reason": where.reason,
            "exercise": exercise(snippet.options.exercise, snippet.options.assembled),
            "replay": where.replay,
            "raises": snippet.options.raises,
            "timeout": snippet.options.timeout,
            "in_page": in_page(snippet.in_page),
            "key": key,
        })
    text = json.dumps({"page": page.path, "snippets": earlier + snippets}, ensure_ascii=False)
    text = text.replace("<", "\\u003c")  # no "</script>" or "<!--" can end the element early
    return f'<script type="application/json" id="{ISLAND_ID}">{text}</script>\n'


def in_page(line):
    """The line that the page runs differently from the build, or None."""
    if line is None:
        return None
    return {"line": line.line, "build": line.build, "page": line.page}


def exercise(role, assembled):
    """The snippet's part in an exercise; an assembled starter says so (exercises.js fills it in)."""
    if role is None:
        return None
    return {"id": role.id, "role": role.role, **({"assembled": True} if assembled else {})}
