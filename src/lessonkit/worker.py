"""The child process that runs one page's snippets, in order, in one fresh namespace.

run.py starts it as `python -P path/to/worker.py`, by path, so that the page
sees a plain interpreter: no lessonkit in sys.modules, no extra sys.path entry.
This file holds the protocol between the two, which run.py imports from it.

The worker reads its job (lessonkit/job.py) as JSON on stdin, and answers on
stdout with one JSON line per message, each with a `kind`:

- SNIPPET_RESULT, one per prelude snippet (the earlier exercises the page
  builds on), then one per snippet, in the job's order: what the snippet printed (stdout
  and stderr, caught at the file-descriptor level, so prints from imported
  modules and subprocesses are caught too), the SVG of its last expression if
  it has one, and its exception if it raised one it should not have. After an
  unexpected exception it goes on, as running all of a notebook's cells would,
  so that every failure is reported.

  An exercise's parts run in their own ways. The starter runs with the checks
  after it, in a shallow copy of the namespace, and must fail: raise anything.
  The solution runs in the namespace, like any snippet, so later snippets can
  use it. The checks then run in another copy, and must pass; a copy, so that
  their own variables never reach the page's.
- MODULES, last: the project's source files the snippets imported, so that the
  cache can tell when they change.
"""

import _ast as ast  # the C core of ast: all this needs, without the full module's import time
import contextlib
import io
import json
import linecache
import os
import site
import sys
import traceback
import types

SNIPPET_RESULT = "snippet-result"
MODULES = "modules"


def main():
    job = json.load(sys.stdin)
    channel = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)  # between snippets, stray output (a snippet's thread, say) goes to stderr, not into the channel
    os.dup2(os.open(os.devnull, os.O_RDONLY), 0)  # input() gets EOF instead of waiting forever
    namespace = fresh_main_module().__dict__
    for snippet in job["prelude"]:
        send(channel, {"kind": SNIPPET_RESULT, **run_snippet(snippet["filename"], snippet["code"], None, namespace)})
    for snippet in job["snippets"]:  # after a failure, go on: every failing snippet gets reported
        if snippet["role"] == "starter":
            result = run_starter(snippet, namespace)
        else:
            where = dict(namespace) if snippet["role"] == "check" else namespace
            result = run_snippet(snippet["filename"], snippet["code"], snippet["raises"], where)
        send(channel, {"kind": SNIPPET_RESULT, **result})
    send(channel, {"kind": MODULES, "modules": project_modules()})


def fresh_main_module():
    """An empty __main__ module for the snippets, like a fresh notebook kernel."""
    module = types.ModuleType("__main__")
    module.__dict__["__builtins__"] = __builtins__
    sys.modules["__main__"] = module
    return module


def run_snippet(filename, code, raises, namespace):
    """Run one snippet; say what it printed, displayed and raised."""
    linecache.cache[filename] = (len(code), None, code.splitlines(keepends=True), filename)
    svg = error = None
    with captured_output() as printed:
        try:
            svg = execute(code, filename, namespace)
        except BaseException as exception:  # noqa: BLE001 - a snippet may raise anything, even SystemExit
            error = exception
    output = printed.getvalue()
    if raises is None and error is None:
        return {"output": output, "svg": svg, "error": None}
    if raises is not None and error is not None and is_instance_of(error, raises):
        return {"output": output + error_line(error), "svg": None, "error": None}
    if error is None:
        return {"output": output, "svg": svg, "error": {
            "kind": "not-raised", "message": f"expected {raises}, but the snippet raised nothing",
            "frames": [], "syntax": None}}
    return {"output": output, "svg": None, "error": describe(error)}


def run_starter(starter, namespace):
    """Run an exercise's starter, then its checks, in a copy of the namespace: they must fail."""
    copy = dict(namespace)
    for part in (starter, starter["checks"]):
        result = run_snippet(part["filename"], part["code"], None, copy)
        if result["error"]:
            return {"output": "", "svg": None, "error": None}
    return {"output": "", "svg": None, "error": {
        "kind": "cannot-fail", "frames": [], "syntax": None,
        "message": "this exercise cannot fail: its starter passes every check\n"
                   "A learner who changes nothing would be told they are right: make the starter leave "
                   "the work undone, or the checks stricter."}}


def execute(code, filename, namespace):
    """Run the code; if its last statement is an expression with an SVG view, return that SVG."""
    tree = compile(code, filename, "exec", ast.PyCF_ONLY_AST)
    last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
    exec(compile(tree, filename, "exec"), namespace)
    if last is None:
        return None
    value = eval(compile(ast.Expression(last.value), filename, "eval"), namespace)
    return svg_of(value)


def svg_of(value):
    """The value's `_repr_svg_()`, as Jupyter would display it, or None."""
    to_svg = getattr(value, "_repr_svg_", None)
    if not callable(to_svg):
        return None
    svg = to_svg()
    if isinstance(svg, tuple):  # (data, metadata), as IPython allows
        svg = svg[0]
    return svg if isinstance(svg, str) else None


@contextlib.contextmanager
def captured_output():
    """Send file descriptors 1 and 2, and sys.stdout and sys.stderr, to one buffer, in order."""
    result = io.StringIO()
    saved = [os.dup(1), os.dup(2)]
    with capture_file() as capture:
        flush_standard_streams()
        os.dup2(capture.fileno(), 1)
        os.dup2(capture.fileno(), 2)
        both = io.TextIOWrapper(io.FileIO(1, "w", closefd=False), encoding="utf-8",
                                errors="backslashreplace", write_through=True)
        sys.stdout = sys.stderr = both
        try:
            yield result
        finally:
            both.flush()
            flush_standard_streams()
            sys.stdout, sys.stderr = sys.__stdout__, sys.__stderr__
            for fd, original in enumerate(saved, start=1):
                os.dup2(original, fd)
                os.close(original)
            capture.seek(0)
            result.write(capture.read().decode("utf-8", errors="replace"))


def capture_file():
    """An anonymous file to catch output in: in memory where the system offers it."""
    if hasattr(os, "memfd_create"):
        return open(os.memfd_create("lessonkit-output"), "w+b")
    import tempfile  # elsewhere; imported only here, as it is slow to import

    return tempfile.TemporaryFile()


def flush_standard_streams():
    for stream in (sys.__stdout__, sys.__stderr__):
        with contextlib.suppress(Exception):  # a snippet may have closed them
            stream.flush()


def is_instance_of(error, name):
    """Whether the exception is a `name` (a class name, or module-qualified), as `except name` would say."""
    return any(name in (cls.__name__, f"{cls.__module__}.{cls.__qualname__}") for cls in type(error).__mro__)


def error_line(error):
    """The exception as its traceback's last lines put it: `ValueError: message`."""
    lines = traceback.format_exception_only(type(error), error)
    return lines[-1] if isinstance(error, SyntaxError) else "".join(lines)


def describe(error):
    """An unexpected exception, as plain data: its frames (minus this file's) and its error line."""
    frames = [
        [frame.filename, frame.lineno, frame.end_lineno, frame.colno, frame.end_colno, frame.name]
        for frame in traceback.extract_tb(error.__traceback__)
        if frame.filename != __file__
    ]
    syntax = None
    if isinstance(error, SyntaxError):
        syntax = [error.filename, error.lineno, error.offset, error.text, error.end_lineno, error.end_offset, error.msg]
    return {"kind": "raised", "message": error_line(error), "frames": frames, "syntax": syntax}


def project_modules():
    """Source files of imported modules that live outside the standard library and site-packages."""
    library = {os.path.realpath(folder) for folder in [os.path.dirname(os.__file__), *site.getsitepackages()]}
    files = set()
    for module in list(sys.modules.values()):
        path = getattr(module, "__file__", None)
        if path and os.path.exists(path):
            path = os.path.realpath(path)
            if not any(path.startswith(folder + os.sep) for folder in library):
                files.add(path)
    files.discard(os.path.realpath(__file__))
    return sorted(files)


def send(channel, message):
    channel.write(json.dumps(message) + "\n")
    channel.flush()


if __name__ == "__main__":
    main()
