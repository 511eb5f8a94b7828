"""The Python half of run-worker.js: a page's snippets in one namespace, in page order, as the build runs them.

run-worker.js loads this module into Pyodide by its path, under a private name,
and calls `run(request_json)`. How a snippet runs is lessonkit's semantics.py,
the very module the build's worker uses (its last expression, display() and
rich output in print order, an error's description, an exercise's checks):
run-worker.js puts it next to this file, and this file loads it by path under
the private name `_lessonkit_semantics`, so that a snippet sees no lessonkit
module. (In lessonkit's source tree, semantics.py is one folder up; the tests
load this file from there.)

A request names the snippet to run and the page's earlier snippets, as the
learner has them now; the earlier ones that have not run yet run first, once.
What a snippet prints (stdout and stderr, in order) is caught with its displays
in print order. An exception comes back described, with a traceback whose
frames name the snippets ("snippet 3", line 2) and never this module or
semantics.py. A snippet that must raise (`raises`, the exception's name) and
does shows its error line after its prints, as the build shows it.

Request:  {"replay": [{"id", "filename", "code", "raises"?}...], "snippet": {"id", "filename", "code", "raises"?},
           "check": str | null}
Answer:   {"output": as the build's output fence keeps it (each display as its text stand-in),
           "parts": [{"text": str} | {"display": {"mime", "data", "text"}}...] in print order,
           "error": null | {"kind", "type", "message", "line", "traceback", "frames", "syntax"},
           "replayed": [id...], "replay_errors": [{"id", "message"}...],
           "check": null | {"status": "pass" | "fail" | "error", "message"}}
"""

import json
import os
import sys
import types

SEMANTICS = "_lessonkit_semantics"  # the private name semantics.py is loaded under
CHECK = "check"  # the filename of an exercise's checks in tracebacks


def load_semantics():
    """semantics.py, next to this file in the page (one folder up in lessonkit's source), loaded by its path."""
    here = os.path.dirname(os.path.abspath(__file__))
    path = next(path for path in (os.path.join(here, "semantics.py"), os.path.join(here, "..", "semantics.py"))
                if os.path.isfile(path))
    module = types.ModuleType(SEMANTICS)
    module.__file__ = os.path.normpath(path)
    sys.modules[SEMANTICS] = module
    with open(path, encoding="utf-8") as file:
        exec(compile(file.read(), module.__file__, "exec"), module.__dict__)
    return module


semantics = load_semantics()
semantics.install()
namespace = types.ModuleType("__main__").__dict__  # the page's globals, like a fresh notebook kernel's
ran = set()  # ids of the snippets that have run in this namespace


def run(request_json):
    request = json.loads(request_json)
    replayed, replay_errors = [], []
    for earlier in request["replay"]:
        if earlier["id"] not in ran:
            answer = execute(earlier)
            replayed.append(earlier["id"])
            if answer["error"]:
                replay_errors.append({"id": earlier["id"], "message": answer["error"]["message"].strip()})
    answer = execute(request["snippet"], request.get("check"))
    answer.update(replayed=replayed, replay_errors=replay_errors)
    return json.dumps(answer)


def execute(snippet, checks=None):
    """Run one snippet in the page's namespace, then an exercise's checks when given: semantics.outcome's answer."""
    ran.add(snippet["id"])
    with semantics.capture() as printed:
        error, displays = semantics.run(snippet["code"], snippet["filename"], namespace)
    answer = semantics.outcome(snippet["filename"], printed.getvalue(), displays, error, snippet.get("raises"))
    if answer["error"] and error is not None:
        answer["error"]["traceback"] = semantics.traceback_text(error)
    answer["check"] = None if checks is None else check(checks, error, answer)
    return answer


def check(checks, code_error, answer):
    """Run an exercise's checks after the learner's code, as the build does (semantics.verdict); what they print
    joins the answer's output."""
    checks_error = None
    if code_error is None:
        with semantics.capture() as printed:
            checks_error, displays = semantics.run(checks, CHECK, dict(namespace))  # a copy: their `a`, `b` stay theirs
        said = semantics.outcome(CHECK, printed.getvalue(), displays, None)
        answer["output"] += said["output"]
        answer["parts"] = semantics.joined(answer["parts"], said["parts"])
    return semantics.verdict(code_error, checks_error, CHECK)
