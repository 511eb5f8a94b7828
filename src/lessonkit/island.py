"""The page's JSON island: its snippets in page order, all the browser needs to edit and run them.

The MkDocs hook puts it at the end of a lesson page, as

    <script type="application/json" id="lessonkit-page">{"page": "docs/….md", "snippets": [
      {"id": "L42", "code": "…", "hidden": false, "live": true, "reason": null,
       "exercise": null or {"id": "…", "role": "starter" | "check" | "solution"}}, …]}</script>

- `id` names the snippet by the line of its opening fence, as pytest does.
- `live`: the learner can run it in the page. Not for `norun`, nor on a page
  with `run: false`, nor when it is build-only, nor for an exercise's checks
  and solution (the Check button runs those, exercises.js).
- `reason`: why a snippet that runs in the build does not run in the page
  (its `build-only="…"`, or the page's front matter `build-only: "…"`).
- A page whose front matter says `builds-on` starts with one hidden snippet
  per earlier exercise it builds on: the reference solution, with
  `"builds_on": {"id": "my-value", "page": "docs/….md", "starter": "L144"}`,
  which says where the learner wrote their own (exercises.js runs theirs
  instead, once they passed it). Its id is `builds-on:my-value`.
- A starter marked `assembled` has `"assembled": true` in its `exercise`:
  exercises.js starts its editor with the learner's code of those earlier
  exercises, joined in order.

render.py wraps the rendered block of each snippet that `is_wrapped` in an
element with `data-snippet="L42"`, so the browser finds its code and output.
"""

import json

ISLAND_ID = "lessonkit-page"


def snippet_id(snippet):
    return f"L{snippet.line}"


def build_only_reason(page, snippet):
    """Why the snippet runs in the build but not in the page, or None."""
    return snippet.options.build_only or page.build_only


def is_live(page, snippet):
    """Whether the learner can run the snippet in the page (an exercise's starter too, but not its checks
    or solution: Check runs those)."""
    role = snippet.options.exercise
    return (page.run and not snippet.options.norun and not build_only_reason(page, snippet)
            and not (role and role.role in ("check", "solution")))


def is_wrapped(page, snippet):
    """Whether the snippet's block is shown and runs somewhere, so the browser needs to find it."""
    return not snippet.options.hidden and (is_live(page, snippet) or page.runs(snippet))


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
        "builds_on": {"id": exercise.id, "page": exercise.starter.path, "starter": snippet_id(exercise.starter)},
    } for exercise in page.prelude]
    snippets = [{
        "id": snippet_id(snippet),
        "code": snippet.code,
        "hidden": snippet.options.hidden,
        "live": is_live(page, snippet),
        "reason": build_only_reason(page, snippet) if page.runs(snippet) else None,
        "exercise": exercise(snippet.options.exercise, snippet.options.assembled),
    } for snippet in page.snippets]
    text = json.dumps({"page": page.path, "snippets": earlier + snippets}, ensure_ascii=False)
    text = text.replace("<", "\\u003c")  # no "</script>" or "<!--" can end the element early
    return f'<script type="application/json" id="{ISLAND_ID}">{text}</script>\n'


def exercise(role, assembled):
    """The snippet's part in an exercise; an assembled starter says so (exercises.js fills it in)."""
    if role is None:
        return None
    return {"id": role.id, "role": role.role, **({"assembled": True} if assembled else {})}
