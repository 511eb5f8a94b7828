"""Compare what the snippets did with what the page says: one Problem per snippet that is off.

Output is compared line by line, ignoring whitespace at line ends and blank
lines at the end, since editors strip both.
"""

import difflib
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """A snippet that failed or printed something else than its output fence, at file:line."""

    path: str
    line: int
    title: str  # a few words: "raised ValueError", "printed something other than its output fence"
    detail: str  # the mapped traceback, or a diff of expected against actual
    kind: str  # "failed" (raised, timed out, crashed) or "differs" (ran fine, printed something else)

    @property
    def location(self):
        return f"{self.path}:{self.line}"

    def __str__(self):
        return f"{self.location}: {self.title}\n{self.detail.rstrip()}"


def check_page(page, run):
    """Every problem on the page: in its prelude (the earlier exercises it builds on), then in page order."""
    if len(run.results) != len(page.snippets) or len(run.prelude) != len(page.prelude_snippets):
        raise ValueError(f"{page.path}: a run with {len(run.results)} results for a page of {len(page.snippets)} "
                         f"snippets; it belongs to another version of the page")
    problems = [check_prelude(page, snippet, result) for snippet, result in zip(page.prelude_snippets, run.prelude)]
    problems += (check_snippet(page, snippet, result) for snippet, result in zip(page.snippets, run.results))
    return [problem for problem in problems if problem]


def check_prelude(page, snippet, result):
    """A problem when the solution of an earlier exercise, run as this page's prelude, failed here."""
    if result is None or not result.failure:
        return None
    return Problem(snippet.path, snippet.line, f"{result.failure.summary}, run before {page.path} "
                                               f"(its front matter's builds-on names this exercise)",
                   result.failure.traceback(page), "failed")


def check_snippet(page, snippet, result):
    """The snippet's problem, or None when it ran as the page says (or did not run at all)."""
    if result is None or not result.ran:
        return None
    if result.failure:
        return Problem(page.path, snippet.line, result.failure.summary, result.failure.traceback(page), "failed")
    expected, actual = normalize(snippet.expected), normalize(result.output)
    if expected == actual:
        return None
    if snippet.output is None:
        title = "printed output, but has no output fence"
    elif not actual:
        title = "printed nothing, but has an output fence"
    else:
        title = "printed something other than its output fence"
    return Problem(page.path, snippet.line, title + " (`python -m lessonkit accept` updates it if the change is right)",
                   output_diff(expected, actual, f"{page.path}:{snippet.line}"), "differs")


def normalize(output):
    """Output as it is compared and written: no whitespace at line ends, no blank lines at the end."""
    return "\n".join(line.rstrip() for line in output.splitlines()).rstrip("\n")


def output_diff(expected, actual, location):
    lines = difflib.unified_diff(expected.splitlines(), actual.splitlines(),
                                 f"expected (the output fence of {location})", "actual", lineterm="")
    return "\n".join(lines) + "\n"
