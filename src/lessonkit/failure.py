"""Why a snippet failed, and its traceback with line numbers mapped to the Markdown page.

The worker compiles snippet number N under the file name `<snippet N>`, with
line numbers counted from the snippet's first line. That keeps a run's result
independent of where the snippet sits on the page. Only when a failure is
shown are those frames turned into `docs/page.md`, line L.
"""

import re
import traceback
from dataclasses import dataclass

SNIPPET_FILENAME = re.compile(r"<(snippet|prelude) (\d+)>")


def snippet_filename(index):
    """The file name the worker gives page.snippets[index]."""
    return f"<snippet {index + 1}>"


def prelude_filename(index):
    """The file name the worker gives page.prelude_snippets[index]."""
    return f"<prelude {index + 1}>"


@dataclass(frozen=True)
class Failure:
    """A snippet that raised unexpectedly, raised nothing when it should have, timed out or crashed."""

    kind: str  # "raised", "not-raised", "timeout" or "crashed"
    message: str  # the error line (`ValueError: boom`) or what went wrong
    frames: tuple = ()  # (filename, lineno, end_lineno, colno, end_colno, name), innermost last
    syntax: tuple | None = None  # a SyntaxError's (filename, lineno, offset, text, end_lineno, end_offset, msg)

    @property
    def summary(self):
        """A few words for a title: `raised ValueError`, `timed out`."""
        if self.kind == "raised":
            return "raised " + self.message.split(":", 1)[0].strip()
        if self.kind == "timeout":
            return "timed out"
        return self.message.splitlines()[0]

    def traceback(self, page):
        """The failure as Python prints it, with the page's snippets named by page path and line."""
        text = ""
        if self.frames:
            frames = [map_frame(frame, page) for frame in self.frames]
            text = "Traceback (most recent call last):\n" + "".join(traceback.StackSummary.from_list(frames).format())
        if self.syntax:
            return text + "".join(traceback.format_exception_only(SyntaxError, map_syntax_error(self.syntax, page)))
        return text + self.message


def map_frame(frame, page):
    """A worker's frame as a FrameSummary; a snippet's frame points at the page and shows the snippet's line."""
    filename, lineno, end_lineno, colno, end_colno, name = frame
    snippet = snippet_named(filename, page)
    if snippet is None:  # a module's frame: its line comes from its file
        return traceback.FrameSummary(filename, lineno, name, end_lineno=end_lineno, colno=colno, end_colno=end_colno)
    code_lines = snippet.code.splitlines(keepends=True)  # kept ends line the carets up as Python does
    return traceback.FrameSummary(
        snippet.path, snippet.source_line(lineno), name, lookup_line=False,
        line=code_lines[lineno - 1] if 0 < lineno <= len(code_lines) else "",
        end_lineno=end_lineno and snippet.source_line(end_lineno), colno=colno, end_colno=end_colno)


def map_syntax_error(syntax, page):
    filename, lineno, offset, text, end_lineno, end_offset, msg = syntax
    snippet = snippet_named(filename, page)
    if snippet is not None:
        filename = snippet.path
        lineno = lineno and snippet.source_line(lineno)
        end_lineno = end_lineno and snippet.source_line(end_lineno)
    return SyntaxError(msg, (filename, lineno, offset, text, end_lineno, end_offset))


def snippet_named(filename, page):
    """The page's snippet (or prelude snippet) that the worker ran under this file name, or None for any other file."""
    match = SNIPPET_FILENAME.fullmatch(filename or "")
    snippets = page.snippets if match and match[1] == "snippet" else page.prelude_snippets
    if match and int(match[2]) <= len(snippets):
        return snippets[int(match[2]) - 1]
    return None
