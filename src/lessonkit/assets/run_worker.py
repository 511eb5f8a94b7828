"""The Python half of run-worker.js: a page's snippets in one namespace, in page order, as the build runs them.

run-worker.js loads this module into Pyodide and calls `run(request_json)`.
A request names the snippet to run and the page's earlier snippets, as the
learner has them now; the earlier ones that have not run yet run first, once.
What a snippet prints (stdout and stderr, in order) is caught; the SVG of each
object it shows comes back too: by `display(obj)`, as in the build and in
Jupyter, or by a last statement that is an expression whose value has
`_repr_svg_()`, such as `draw(e)`. An exception comes back as a traceback whose frames
name the snippets ("snippet 3", line 2) and never this module.

Request:  {"replay": [{"id", "filename", "code"}...], "snippet": {"id", "filename", "code"}, "check": str | null}
Answer:   {"output", "svgs": [svg...], "error": null | {"message", "traceback", "line"},
           "replayed": [id...], "replay_errors": [{"id", "message"}...],
           "check": null | {"status": "pass" | "fail" | "error", "message"}}
"""

import ast
import builtins
import contextlib
import io
import json
import linecache
import traceback
import types

namespace = types.ModuleType("__main__").__dict__  # the page's globals, like a fresh notebook kernel's
ran = set()  # ids of the snippets that have run in this namespace
CHECK = "check"  # the filename of an exercise's checks in tracebacks
shown = []  # the SVGs that the running snippet displayed


def display(*objects):
    """Show each object as a notebook would: its SVG view, else its repr, printed."""
    for value in objects:
        svg = svg_of(value)
        if svg is None:
            print(repr(value))
        else:
            shown.append(svg)


builtins.display = display


def run(request_json):
    request = json.loads(request_json)
    replayed, replay_errors = [], []
    for earlier in request["replay"]:
        if earlier["id"] not in ran:
            outcome = execute(earlier)
            replayed.append(earlier["id"])
            if outcome["error"]:
                replay_errors.append({"id": earlier["id"], "message": outcome["error"]["message"]})
    answer = execute(request["snippet"])
    answer["check"] = None if request.get("check") is None else check(request["check"], answer)
    answer.update(replayed=replayed, replay_errors=replay_errors)
    return json.dumps(answer)


def execute(snippet):
    """Run one snippet in the page's namespace: what it printed, the SVGs it showed, its error."""
    ran.add(snippet["id"])
    shown.clear()
    output, value, exception = capture(snippet["code"], snippet["filename"])
    if exception is not None:
        return {"output": output, "svgs": list(shown), "error": describe(exception, snippet["filename"])}
    last = svg_of(value)
    return {"output": output, "svgs": shown + ([last] if last else []), "error": None}


def capture(code, filename, where=None):
    """Run the code (in the page's namespace, or `where`); what it printed, its last expression's value,
    and the exception it raised, if any."""
    linecache.cache[filename] = (len(code), None, code.splitlines(keepends=True), filename)
    printed, value, exception = io.StringIO(), None, None
    with contextlib.redirect_stdout(printed), contextlib.redirect_stderr(printed):
        try:
            value = evaluate(code, filename, namespace if where is None else where)
        except BaseException as raised:  # noqa: BLE001 - the learner's code may raise anything
            exception = raised
    return printed.getvalue(), value, exception


def evaluate(code, filename, where):
    """Execute the code in `where`; the value of its last statement when that is an expression, else None."""
    tree = compile(code, filename, "exec", ast.PyCF_ONLY_AST)
    last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
    exec(compile(tree, filename, "exec"), where)
    return None if last is None else eval(compile(ast.Expression(last.value), filename, "eval"), where)


def svg_of(value):
    """The value's `_repr_svg_()`, as a notebook would display it, or None."""
    to_svg = getattr(value, "_repr_svg_", None)
    svg = to_svg() if callable(to_svg) else None
    if isinstance(svg, tuple):  # (data, metadata), as IPython allows
        svg = svg[0]
    return svg if isinstance(svg, str) else None


def describe(exception, filename):
    """The traceback without this module's frames, and the line of `filename` it points at."""
    frames = [frame for frame in traceback.extract_tb(exception.__traceback__) if frame.filename != __file__]
    text = "".join(traceback.format_list(frames))
    if text:
        text = "Traceback (most recent call last):\n" + text
    text += "".join(traceback.format_exception_only(type(exception), exception))
    lines = [frame.lineno for frame in frames if frame.filename == filename]
    if isinstance(exception, SyntaxError) and exception.filename == filename:
        lines.append(exception.lineno)
    return {"message": error_line(exception), "traceback": text, "line": lines[-1] if lines else None}


def error_line(exception):
    """`NameError: name 'x' is not defined`: the last line of its traceback."""
    return traceback.format_exception_only(type(exception), exception)[-1].strip()


def check(code, answer):
    """Run an exercise's checks after the learner's code: pass, fail (with the assert's message) or error.

    As in the build, they run in a copy of the page's namespace, so that their
    own variables (an `a`, a `b`) never replace the page's.
    """
    if answer["error"]:
        return {"status": "error", "message": answer["error"]["message"]}
    output, _, exception = capture(code, CHECK, dict(namespace))
    answer["output"] += output
    if exception is None:
        return {"status": "pass", "message": ""}
    if isinstance(exception, AssertionError):
        return {"status": "fail", "message": str(exception) or failed_line(exception)}
    return {"status": "error", "message": error_line(exception)}


def failed_line(exception):
    """For an assert without a message: the check's line that failed."""
    lines = [frame.line for frame in traceback.extract_tb(exception.__traceback__) if frame.filename == CHECK]
    return f"failed: {lines[-1]}" if lines else "failed"
