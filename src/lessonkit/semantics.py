"""How a snippet runs: the one definition that the build's worker and the page's worker share.

lessonkit/worker.py runs a page's snippets in CPython at build time; the
page's worker (assets/run_worker.py) runs them in Pyodide when a learner
presses Run or Check. Both load this module and let it decide everything that
a learner could see differ between the two:

- **Running the code** (`run`): the snippet runs in the page's namespace; when
  its last statement is an expression whose value has a picture or HTML view,
  that value is displayed. A plain value on the last line is not printed
  (unlike a notebook): print() it. Matplotlib figures left open are shown,
  as SVG, once the snippet is done (plt.show() changes nothing).
- **Displays, in print order** (`display`, a builtin in snippets as in
  Jupyter): an object's view is its `_repr_svg_()`, `_repr_png_()` or
  `_repr_html_()`, in that order (a matplotlib figure is drawn as SVG, the same
  on every run). What has no view prints its repr. Each display writes a
  marker (MARK) into the snippet's output stream where it happened, so that
  whoever captures that stream (file descriptors in the build, a StringIO in
  the page) gets the displays in order with the text: `parts(text, displays)`
  turns it into [{"text": …} | {"display": {"mime", "data", "text"}}, …], and
  `printed(parts)` into the output as its fence keeps it, where each display is
  its one-line text stand-in (the object's repr, or `<TypeName>` when the repr
  holds a memory address).
- **An outcome** (`outcome`): what a snippet printed and displayed, or the
  exception it raised, described as data (`describe`): its type's name, its
  error line as Python prints it (`ValueError: boom`), the line of the
  snippet's own code it points at, and its frames (this module's left out).
  A snippet that must raise (`raises="ValueError"`) and does shows its error
  line after its prints, as plain output.
- **An exercise's checks** (`verdict`): run after the learner's code, in a copy
  of the namespace; they pass (no exception), fail (an AssertionError: its
  message, or the failing assert's line), or are an error (the learner's code
  or the checks raised something else).

It is plain Python, importable by CPython 3.11 and Pyodide's 3.14, and does no
I/O of its own beyond what a snippet does: capturing the output stream is the
caller's business (`capture(stream)` is the simple way the page uses).
The callers load it by path under a private module name (never by putting
lessonkit's folder on sys.path), so that a snippet sees no lessonkit module.
"""

import _ast as ast  # the C core of ast: all this needs, without the full module's import time
import builtins
import contextlib
import io
import linecache
import re
import sys
import traceback

MARK = "\x00lessonkit-display\x00"  # written into the output where a display happened
MEMORY_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")
# Terminal escape sequences (colours, cursor moves, titles), which a page cannot show.
ANSI_ESCAPE = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[()*+][ -~]|[@-Z\\-_])")
VIEWS = (("image/svg+xml", "_repr_svg_"), ("image/png", "_repr_png_"), ("text/html", "_repr_html_"))
shown = []  # what the running snippet displayed, in order: {"mime", "data", "text"}


def install():
    """Make `display` a builtin, as it is in Jupyter."""
    builtins.display = display


# --- running a snippet ------------------------------------------------------------------------------------
def run(code, filename, namespace):
    """Run a snippet's code in `namespace`, displaying as a notebook does: (its exception or None, its displays).

    Each display also leaves a MARK in the output stream where it happened.
    """
    shown.clear()
    error = None
    try:
        execute(code, filename, namespace)
        show_open_figures()
    except BaseException as exception:  # noqa: BLE001 - a snippet may raise anything, even SystemExit
        error = exception
    return error, list(shown)


def execute(code, filename, namespace):
    """Run the code; if its last statement is an expression with a picture or HTML view, display it."""
    linecache.cache[filename] = (len(code), None, code.splitlines(keepends=True), filename)
    tree = compile(code, filename, "exec", ast.PyCF_ONLY_AST)
    last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
    exec(compile(tree, filename, "exec"), namespace)
    if last is not None:
        value = eval(compile(ast.Expression(last.value), filename, "eval"), namespace)
        view = view_of(value)
        if view:
            show(value, view)


def verdict(code_error, checks_error, checks_filename):
    """An exercise's outcome: {"status": "pass" | "fail" | "error", "message"}.

    The checks run (`run(checks, checks_filename, dict(namespace))`, in a copy
    of the namespace, so that their own variables never reach the page's) after
    the learner's code, and only when it raised nothing (`code_error` None).
    They pass when they raise nothing, fail on an AssertionError (its message,
    or the failing assert's line), and anything else is an error, with its message.
    """
    error = code_error if code_error is not None else checks_error
    if error is None:
        return {"status": "pass", "message": ""}
    if code_error is None and isinstance(error, AssertionError):
        return {"status": "fail", "message": str(error) or failed_line(error, checks_filename)}
    return {"status": "error", "message": error_line(error).strip()}


def failed_line(error, filename):
    """For an assert without a message: the checks' line that failed."""
    lines = [frame.line for frame in traceback.extract_tb(error.__traceback__) if frame.filename == filename]
    return f"failed: {lines[-1]}" if lines else "failed"


# --- displays --------------------------------------------------------------------------------------------
def display(*objects):
    """Show each object as a notebook would: its picture or HTML view, else its repr, printed."""
    for value in objects:
        view = view_of(value)
        if view:
            show(value, view)
        else:
            print(repr(value))


def show(value, view):
    """Display a view where the output has got to: a MARK goes into the output, the view into `shown`."""
    shown.append({"mime": view[0], "data": view[1], "text": stand_in(value)})
    sys.stdout.write(MARK)
    sys.stdout.flush()


def view_of(value):
    """(mime type, data) of the value's richest view, or None when it has none."""
    if is_figure(value):
        return "image/svg+xml", figure_svg(value)
    for mime, method in VIEWS:
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


# --- what a snippet printed and displayed ------------------------------------------------------------------
def parts(text, displays):
    """The output, with a MARK where each display happened, as [{"text": …} | {"display": …}] in that order.

    Text parts are never empty. A MARK with no display left (the snippet
    printed one itself) is dropped; a display whose MARK is missing (its
    output was cut short) comes last.
    """
    pieces = text.split(MARK)
    result, left = [], list(displays)
    for index, piece in enumerate(pieces):
        if index and left:
            result.append({"display": left.pop(0)})
        result = joined(result, [{"text": piece}] if piece else [])
    return result + [{"display": unplaced} for unplaced in left]


def joined(first, then):
    """Two lists of parts as one, the text where they meet in one part."""
    if first and then and "text" in first[-1] and "text" in then[0]:
        return [*first[:-1], {"text": first[-1]["text"] + then[0]["text"]}, *then[1:]]
    return [*first, *then]


def printed(pieces):
    """The output as its fence keeps it: the text, with each display's stand-in on a line of its own."""
    return "".join(part["text"] if "text" in part else part["display"]["text"] + "\n" for part in pieces)


def outcome(filename, text, displays, error, raises=None):
    """The outcome of snippet `filename` from what it printed (with MARKs), displayed and raised, given what
    it must raise (None, or an exception's name).

    {"output": as its fence keeps it, "parts": print order, "error": None or describe(error, filename)}.
    A snippet that raises as it must shows its error line after its prints, as text, and no display;
    one that must raise and does not has an error of kind "not-raised".
    """
    pieces = parts(ANSI_ESCAPE.sub("", text), displays)
    if raises is not None and error is not None and is_instance_of(error, raises):
        output = ANSI_ESCAPE.sub("", printed(pieces) + error_line(error))
        return {"output": output, "parts": [{"text": output}], "error": None}
    result = {"output": printed(pieces), "parts": pieces, "error": None}
    if error is not None:
        result["error"] = describe(error, filename)
        result["error"]["message"] = ANSI_ESCAPE.sub("", result["error"]["message"])
    elif raises is not None:
        result["error"] = {"kind": "not-raised", "type": None, "message": f"expected {raises}, but the snippet raised "
                           f"nothing", "line": None, "frames": [], "syntax": None}
    return result


# --- errors ----------------------------------------------------------------------------------------------
def is_instance_of(error, name):
    """Whether the exception is a `name` (a class name, or module-qualified), as `except name` would say."""
    return any(name in (cls.__name__, f"{cls.__module__}.{cls.__qualname__}") for cls in type(error).__mro__)


def error_line(error):
    """The exception as its traceback's last lines put it: `ValueError: message` and a newline."""
    lines = traceback.format_exception_only(type(error), error)
    return lines[-1] if isinstance(error, SyntaxError) else "".join(lines)


def describe(error, filename):
    """An exception that snippet `filename` raised, as plain data: {"kind": "raised", "type", "message"
    (its error line), "line", "frames", "syntax"}.

    `frames` are [filename, lineno, end_lineno, colno, end_colno, name], innermost last, without this
    module's; `syntax` is a SyntaxError's [filename, lineno, offset, text, end_lineno, end_offset, msg].
    `line` is the line of the snippet's own code that the exception points at (its innermost frame in
    the snippet, such as the call of a function that raised, or its syntax error), or None.
    """
    frames = [[frame.filename, frame.lineno, frame.end_lineno, frame.colno, frame.end_colno, frame.name]
              for frame in traceback.extract_tb(error.__traceback__) if frame.filename != __file__]
    syntax = None
    if isinstance(error, SyntaxError):
        syntax = [error.filename, error.lineno, error.offset, error.text, error.end_lineno, error.end_offset,
                  error.msg]
    return {"kind": "raised", "type": type(error).__name__, "message": error_line(error),
            "line": snippet_line(frames, syntax, filename), "frames": frames, "syntax": syntax}


def snippet_line(frames, syntax, filename):
    """The line of snippet `filename` that an error points at, or None."""
    if syntax and syntax[0] == filename:
        return syntax[1]
    lines = [frame[1] for frame in frames if frame[0] == filename]
    return lines[-1] if lines else None


def traceback_text(error):
    """The traceback as Python prints it, without this module's frames."""
    frames = [frame for frame in traceback.extract_tb(error.__traceback__) if frame.filename != __file__]
    text = "".join(traceback.format_list(frames))
    return ("Traceback (most recent call last):\n" + text if text else "") + "".join(
        traceback.format_exception_only(type(error), error))


# --- capturing the output ---------------------------------------------------------------------------------
@contextlib.contextmanager
def capture(stream):
    """Catch what the code prints (stdout and stderr, in order, MARKs included) in `stream`, which it yields."""
    with contextlib.redirect_stdout(stream), contextlib.redirect_stderr(stream):
        yield stream
