"""Writing a file whole: a reader never sees half of it, and a failed write leaves nothing behind."""

import contextlib
import os


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
