"""Rewrite a page's output fences from a real run, and nothing else.

A snippet that prints gets an ```output fence right after it (added if it had
none); one that prints nothing loses its fence. A fence that already matches
is left exactly as it is, so accepting twice changes nothing. What is written
takes the page's line ends (a CRLF page stays CRLF). A page where a snippet
failed is refused: its output is not something to accept.
"""

from lessonkit.check import check_page, normalize
from lessonkit.parse import OUTPUT_LANGUAGE
from lessonkit.render import fenced, splice


class AcceptRefused(Exception):
    """A page whose snippets failed; `problems` says where and why."""

    def __init__(self, problems):
        super().__init__("\n\n".join(map(str, problems)))
        self.problems = problems


def accept_page(page, run):
    """The page's text with its output fences rewritten from `run`. Raises AcceptRefused if a snippet failed."""
    failures = [problem for problem in check_page(page, run) if problem.kind == "failed"]
    if failures:
        raise AcceptRefused(failures)
    lines = page.text.splitlines(keepends=True)
    spans = []
    for snippet, result in zip(page.snippets, run.results):
        if result is None:
            continue
        actual = normalize(result.output)
        if snippet.output and normalize(snippet.expected) == actual:
            continue
        if snippet.output:  # replace the fence, or drop it with the blank lines before it
            new_fence = blank_lines_before(snippet, lines) + fenced(actual, OUTPUT_LANGUAGE, snippet.indent)
            spans.append((snippet.fence.end + 1, snippet.output.end, new_fence if actual else ""))
        elif actual:  # add a fence after the closing line of the code
            closing = lines[snippet.fence.end]
            spacing = "" if closing.endswith("\n") else "\n"
            after = "\n" if snippet.fence.end + 1 < len(lines) and lines[snippet.fence.end + 1].strip() else ""
            new_fence = fenced(actual, OUTPUT_LANGUAGE, snippet.indent)
            spans.append((snippet.fence.end, snippet.fence.end, closing + spacing + "\n" + new_fence + after))
    newline = "\r\n" if lines and lines[0].endswith("\r\n") else "\n"
    return splice(lines, [(start, end, text.replace("\r\n", "\n").replace("\n", newline))
                          for start, end, text in spans])


def blank_lines_before(snippet, lines):
    """The blank lines between the snippet and its output fence, as written, when the fence stays."""
    return "".join(lines[snippet.fence.end + 1:snippet.output.start])
