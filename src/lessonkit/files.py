"""Reading a page from disk the one way every adapter does, and writing a file whole.

MkDocs reads a page as UTF-8 with universal newlines (a byte order mark
dropped, CRLF and CR read as LF), so the build's page text is always LF.
`read_text` reads it the same way for the command line and pytest, so that a
page gives one text, one parse and one cache key whichever adapter reads it.
Writing back (`python -m lessonkit accept`) keeps the file's own line ends:
`line_end` says which they are.
"""

import contextlib
import os


def read_text(path):
    """A page's text as MkDocs reads it: UTF-8, without a byte order mark, every line end as \\n."""
    with open(path, encoding="utf-8-sig") as file:
        return file.read()


def line_end(path):
    """The line end the file at `path` uses ("\\r\\n" or "\\n"), from its first line; "\\n" when it has none."""
    try:
        with open(path, "rb") as file:
            first = file.readline()
    except OSError:
        return "\n"
    return "\r\n" if first.endswith(b"\r\n") else "\n"


@contextlib.contextmanager
def whole_file(path):
    """A file to write `path`'s new text into; it replaces `path` only once all of it is written.

    Line ends are written as given, so a page's CRLF stays CRLF.
    """
    partial = path.with_name(f".{path.name}.{os.getpid()}.tmp")  # one per process: parallel builds never share it
    try:
        with open(partial, "w", encoding="utf-8", newline="") as file:
            yield file
    except BaseException:  # a full disk, say, or an interrupted accept
        partial.unlink(missing_ok=True)
        raise
    os.replace(partial, path)
