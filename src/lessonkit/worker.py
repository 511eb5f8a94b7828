"""The child process that runs one page's snippets, in order, in one fresh namespace.

run.py starts it as `python -P path/to/worker.py`, by path, so that the page
sees a plain interpreter: no lessonkit in sys.modules, no extra sys.path entry.
This file holds the protocol between the two, which run.py imports from it.

The worker reads its job (lessonkit/job.py) as JSON on stdin, and answers on
stdout with one JSON line per message, each with a `kind`:

- READY, first, once the worker is set up: snippets' time limits count from
  here, so that a slow start (a busy machine) never uses up the first one's.
- SNIPPET_RESULT, one per prelude snippet (the earlier exercises the page
  builds on), then one per snippet, in the job's order: what the snippet printed (stdout
  and stderr, caught at the file-descriptor level, so prints from imported
  modules and subprocesses are caught too; read as it comes, and no more than
  the job's `max_output` bytes kept), what it displayed, and its exception
  if it raised one it should not have. After an
  unexpected exception it goes on, as running all of a notebook's cells would,
  so that every failure is reported.

  An exercise's parts run in their own ways. The starter runs with the checks
  after it, in a shallow copy of the namespace, and must fail: raise anything.
  The solution runs in the namespace, like any snippet, so later snippets can
  use it. The checks then run in another copy, and must pass; a copy, so that
  their own variables never reach the page's.
- LOG, whenever the page logs a record at INFO or above through `logging`
  (a training loop's step and loss, say): the logger's name, the level's number
  and the message. A handler on the root logger sends it on the channel, never
  into the snippet's output, so progress reaches the build's log, not the page.
- MODULES, last: the project's source files the snippets imported, and the
  files they opened for reading (seen by an audit hook), so that the cache can
  tell when they change.

A snippet displays a picture or HTML as a notebook does: by `display(obj)` (a
builtin here, as in Jupyter), by a last line that is an expression with such a
view, and by leaving matplotlib figures open (each is shown, as SVG, once the
snippet is done; plt.show() changes nothing). An object's view is its
`_repr_svg_()`, `_repr_png_()` or `_repr_html_()`, in that order. Each display
also prints a one-line text stand-in (the object's repr, or `<TypeName>` when
the repr holds a memory address), which goes in the page's output fence, so
that the page's source says where a picture is, and the check sees it. A plain
value on the last line is not printed: print() it.
"""

import _ast as ast  # the C core of ast: all this needs, without the full module's import time
import builtins
import contextlib
import io
import json
import linecache
import logging
import os
import re
import signal
import site
import sys
import threading
import traceback
import types
import warnings

READY = "ready"
SNIPPET_RESULT = "snippet-result"
MODULES = "modules"
LOG = "log"
READ_BLOCK = 1 << 16  # bytes read from the output pipe at a time
LINGER = 1.0  # seconds to wait for the end of a snippet's output that a process it started still holds open
SYSTEM_FILES = ("/dev/", "/proc/", "/sys/")
MEMORY_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")
shown = []  # what the running snippet displayed: {"mime", "data", "text"}
sending = threading.Lock()  # a LOG may come from a snippet's thread while the main thread sends a result


def main():
    job = json.load(sys.stdin)
    # A process started in the background inherits SIGINT ignored; the runner's interrupt must still
    # raise KeyboardInterrupt in a runaway snippet, so that it can say where the snippet was.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    read = set()
    sys.addaudithook(record_reads(read))
    channel = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)  # between snippets, stray output (a snippet's thread, say) goes to stderr, not into the channel
    os.dup2(os.open(os.devnull, os.O_RDONLY), 0)  # input() gets EOF instead of waiting forever
    namespace = fresh_main_module().__dict__
    logging.root.addHandler(ChannelHandler(channel))
    logging.root.setLevel(logging.INFO)
    builtins.display = display
    warnings.filterwarnings("ignore", "FigureCanvasAgg is non-interactive")  # plt.show(): figures show anyway
    limit = job["max_output"]
    send(channel, {"kind": READY})
    for snippet in job["prelude"]:
        send(channel, {"kind": SNIPPET_RESULT, **run_snippet(snippet["filename"], snippet["code"], None, namespace, limit)})
    for snippet in job["snippets"]:  # after a failure, go on: every failing snippet gets reported
        if snippet["role"] == "starter":
            result = run_starter(snippet, namespace, limit)
        else:
            where = dict(namespace) if snippet["role"] == "check" else namespace
            result = run_snippet(snippet["filename"], snippet["code"], snippet["raises"], where, limit)
        send(channel, {"kind": SNIPPET_RESULT, **result})
    send(channel, {"kind": MODULES, "modules": project_files(imported_files()),
                   "read": project_files(read)})


def fresh_main_module():
    """An empty __main__ module for the snippets, like a fresh notebook kernel."""
    module = types.ModuleType("__main__")
    module.__dict__["__builtins__"] = __builtins__
    sys.modules["__main__"] = module
    return module


def run_snippet(filename, code, raises, namespace, max_output):
    """Run one snippet; say what it printed, displayed and raised."""
    linecache.cache[filename] = (len(code), None, code.splitlines(keepends=True), filename)
    error = None
    shown.clear()
    with captured_output(max_output) as printed:
        try:
            execute(code, filename, namespace)
            show_open_figures()
        except BaseException as exception:  # noqa: BLE001 - a snippet may raise anything, even SystemExit
            error = exception
    output = printed.text
    if printed.size > max_output:
        return {"output": output, "displays": [], "error": {
            "kind": "output-limit", "frames": [], "syntax": None,
            "message": f"printed {printed.size:,} bytes, more than the limit of {max_output:,} (print less, "
                       f"or raise the page's limit with front matter max-output: BYTES)"}}
    if raises is None and error is None:
        return {"output": output, "displays": list(shown), "error": None}
    if raises is not None and error is not None and is_instance_of(error, raises):
        return {"output": output + error_line(error), "displays": [], "error": None}
    if error is None:
        return {"output": output, "displays": list(shown), "error": {
            "kind": "not-raised", "message": f"expected {raises}, but the snippet raised nothing",
            "frames": [], "syntax": None}}
    return {"output": output, "displays": [], "error": describe(error)}


def run_starter(starter, namespace, max_output):
    """Run an exercise's starter, then its checks, in a copy of the namespace: they must fail."""
    copy = dict(namespace)
    for part in (starter, starter["checks"]):
        result = run_snippet(part["filename"], part["code"], None, copy, max_output)
        if result["error"]:
            return {"output": "", "displays": [], "error": None}
    return {"output": "", "displays": [], "error": {
        "kind": "cannot-fail", "frames": [], "syntax": None,
        "message": "this exercise cannot fail: its starter passes every check\n"
                   "A learner who changes nothing would be told they are right: make the starter leave "
                   "the work undone, or the checks stricter."}}


def execute(code, filename, namespace):
    """Run the code; if its last statement is an expression with a picture or HTML view, display it."""
    tree = compile(code, filename, "exec", ast.PyCF_ONLY_AST)
    last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
    exec(compile(tree, filename, "exec"), namespace)
    if last is not None:
        value = eval(compile(ast.Expression(last.value), filename, "eval"), namespace)
        view = view_of(value)
        if view:
            show(value, view)


def display(*objects):
    """Show each object as a notebook would: its picture or HTML view, else its repr, printed."""
    for value in objects:
        view = view_of(value)
        if view:
            show(value, view)
        else:
            print(repr(value))


def show(value, view):
    """Display a view: its text stand-in goes into the output, the view beside it."""
    text = stand_in(value)
    print(text)
    shown.append({"mime": view[0], "data": view[1], "text": text})


def view_of(value):
    """(mime type, data) of the value's richest view, or None when it has none."""
    if is_figure(value):
        return "image/svg+xml", figure_svg(value)
    for mime, method in [("image/svg+xml", "_repr_svg_"), ("image/png", "_repr_png_"), ("text/html", "_repr_html_")]:
        data = getattr(value, method, None)
        data = data() if callable(data) and not isinstance(value, type) else None
        if isinstance(data, tuple):  # (data, metadata), as IPython allows
            data = data[0]
        if isinstance(data, bytes) and mime == "image/png":
            import base64  # only here: few snippets show a PNG

            return mime, base64.b64encode(data).decode()
        if isinstance(data, str):
            return mime, data
    return None


def stand_in(value):
    """One line of text for a displayed object: its repr, unless that changes from run to run."""
    text = (repr(value).splitlines() or [""])[0]
    return f"<{type(value).__name__}>" if not text or MEMORY_ADDRESS.search(text) else text


def is_figure(value):
    figure = sys.modules.get("matplotlib.figure")
    return figure is not None and isinstance(value, figure.Figure)


def figure_svg(figure):
    """A matplotlib figure as SVG, the same on every run (no date, fixed ids), then closed."""
    import matplotlib
    import matplotlib.pyplot

    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.hashsalt": "lessonkit"}):
        figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})  # as Jupyter crops
    matplotlib.pyplot.close(figure)
    return buffer.getvalue()


def show_open_figures():
    """Display the matplotlib figures the snippet left open, as a notebook's inline backend does."""
    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is not None:
        for number in pyplot.get_fignums():
            display(pyplot.figure(number))


class Printed:
    """What a snippet printed: its first `limit` bytes, and how many bytes it printed in all."""

    def __init__(self, limit):
        self.limit = limit
        self.kept = bytearray()
        self.size = 0

    def drain(self, pipe):
        """Read the pipe to its end as it fills, keeping `limit` bytes at most, so memory stays bounded."""
        with open(pipe, "rb", buffering=0) as source:
            while block := source.read(READ_BLOCK):
                self.size += len(block)
                self.kept += block[:max(0, self.limit - len(self.kept))]

    @property
    def text(self):
        return self.kept.decode("utf-8", errors="replace")


@contextlib.contextmanager
def captured_output(limit):
    """Send file descriptors 1 and 2, and sys.stdout and sys.stderr, into one pipe, read in order as it fills."""
    printed = Printed(limit)
    reading, writing = os.pipe()
    reader = threading.Thread(target=printed.drain, args=(reading,), daemon=True)
    reader.start()
    saved = [os.dup(1), os.dup(2)]
    flush_standard_streams()
    os.dup2(writing, 1)
    os.dup2(writing, 2)
    os.close(writing)
    both = io.TextIOWrapper(io.FileIO(1, "w", closefd=False), encoding="utf-8",
                            errors="backslashreplace", write_through=True)
    sys.stdout = sys.stderr = both
    try:
        yield printed
    finally:
        both.flush()
        flush_standard_streams()
        sys.stdout, sys.stderr = sys.__stdout__, sys.__stderr__
        for fd, original in enumerate(saved, start=1):
            os.dup2(original, fd)
            os.close(original)
        reader.join(LINGER)  # the pipe ends once no process holds it


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


def imported_files():
    """The files of the modules imported so far."""
    return [module.__file__ for module in list(sys.modules.values()) if getattr(module, "__file__", None)]


def record_reads(files):
    """An audit hook that adds the absolute path of every file opened for reading to `files`."""
    def hook(event, args):
        if event != "open":
            return
        try:
            path, mode, flags = args
            if isinstance(path, int):
                return  # an open file descriptor
            reading = "r" in mode if mode else flags & os.O_ACCMODE != os.O_WRONLY and not flags & os.O_TRUNC
            if reading:
                files.add(os.path.abspath(os.fsdecode(path)))
        except Exception:  # noqa: BLE001 - an audit hook that raises would break the snippet's open()
            pass
    return hook


def project_files(paths):
    """The regular files among `paths` that live outside the standard library, site-packages and the system."""
    library = tuple(os.path.realpath(folder) + os.sep
                    for folder in [os.path.dirname(os.__file__), *site.getsitepackages()])
    files = {os.path.realpath(path) for path in paths if os.path.isfile(path)}
    files.discard(os.path.realpath(__file__))
    return sorted(path for path in files if not path.startswith(SYSTEM_FILES + library))


class ChannelHandler(logging.Handler):
    """Sends each log record on the channel as a LOG message, so that it never lands in a snippet's output."""

    def __init__(self, channel):
        super().__init__()
        self.channel = channel

    def emit(self, record):
        try:
            send(self.channel, {"kind": LOG, "logger": record.name, "level": record.levelno,
                                "message": self.format(record)})
        except Exception:  # noqa: BLE001 - as any logging handler: a broken record must not break the snippet
            self.handleError(record)


def send(channel, message):
    with sending:
        channel.write(json.dumps(message) + "\n")
        channel.flush()


if __name__ == "__main__":
    main()
