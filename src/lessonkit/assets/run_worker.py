"""The Python half of run-worker.js: a page's snippets in one namespace, in page order, as the build runs them.

run-worker.js loads this module into Pyodide by its path, under a private name,
and calls `run(request_json, post)`. How a snippet runs is lessonkit's semantics.py,
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

While the snippet runs, the page sees it run: `post(message_json)` sends the
page what it printed since the last message ({"type": "output", "text"}, each
display as its text stand-in) and the log records at INFO and above
({"type": "log", "records": [{"snippet", "logger", "level", "message"}]}), at
most every INTERVAL seconds and at the end, so a minute of training shows its
progress as it goes. Log records are progress, never output, as in the build
(worker.py's ChannelHandler sends them to the build's log): a replayed
snippet's records are posted too, its prints are not. Python in a worker
cannot be woken by a timer, so text held back because it came too soon after
the last message is posted by a profile hook (sys.setprofile) at the first call
after INTERVAL has passed, and the hook goes again. {"type": "started", "names"} says
that the requested snippet itself starts, after the replays, and what the
namespace defines then: an exercise's time limit counts from there, as the
build's counts from its worker's READY, and a Stop that must end the worker
can say what it loses.

Stop: when the page is cross-origin isolated, it interrupts Python in place
(pyodide.setInterruptBuffer), which raises KeyboardInterrupt in the running
code. The answer then says `stopped`, and the namespace keeps what the
interrupted code had done (a model trained so far). A replayed snippet that was
interrupted, and those after it, count as not run, so the next request replays
them; the requested snippet counts as run, as a notebook's interrupted cell does.

Request:  {"replay": [{"id", "filename", "code", "raises"?}...], "snippet": {"id", "filename", "code", "raises"?},
           "check": str | null}
Answer:   {"output": as the build's output fence keeps it (each display as its text stand-in),
           "parts": [{"text": str} | {"display": {"mime", "data", "text"}}...] in print order,
           "error": null | {"kind", "type", "message", "line", "traceback", "frames", "syntax"},
           "replayed": [id...], "replay_errors": [{"id", "message"}...],
           "check": null | {"status": "pass" | "fail" | "error", "message"},
           "check_error": null | the checks' exception, described as "error" is, its `line` the learner's,
           "stopped": whether Stop interrupted the run, "names": the names the page's namespace defines}
"""

import io
import json
import logging
import os
import sys
import time
import types

SEMANTICS = "_lessonkit_semantics"  # the private name semantics.py is loaded under
CHECK = "check"  # the filename of an exercise's checks in tracebacks
INTERVAL = 0.1  # seconds at least between two messages of live output or progress


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


class Live:
    """What the page is told while a request runs: the output and progress since the last message."""

    def __init__(self, post):
        self.post = post
        self.text = []  # printed since the last message, MARKs as their displays' stand-ins
        self.records = []
        self.last = -INTERVAL  # when the last message went
        self.snippet = None  # the filename of the snippet running now
        self.shown = False  # whether the running snippet's prints are posted (not a replay's)
        self.displays = 0  # the running snippet's displays whose MARK has been posted
        self.hook = self.when_due  # one bound method, so that sys.getprofile() can be told it is ours

    def running(self, snippet, shown):
        self.flush()
        self.snippet, self.shown, self.displays = snippet, shown, 0

    def printed(self, text):
        if not self.shown:
            return
        marks = text.split(semantics.MARK)
        for index, piece in enumerate(marks):
            if index:
                self.text.append(self.stand_in())
            self.text.append(piece)
        self.soon()

    def stand_in(self):
        """The text of the display whose MARK was just printed (semantics.show lists it first), on its own line."""
        self.displays += 1
        shown = semantics.shown
        return shown[self.displays - 1]["text"] + "\n" if self.displays <= len(shown) else ""

    def logged(self, record):
        self.records.append({"snippet": self.snippet, "logger": record.name, "level": record.levelno,
                             "message": record.getMessage()})
        self.soon()

    def soon(self):
        """Post now if the last message is INTERVAL old; else at the first call after that (a profile hook)."""
        if time.monotonic() - self.last >= INTERVAL:
            self.flush()
        elif sys.getprofile() is not self.hook:
            sys.setprofile(self.hook)

    def when_due(self, frame, event, arg):
        if time.monotonic() - self.last >= INTERVAL:
            self.flush()

    def flush(self):
        if sys.getprofile() is self.hook:
            sys.setprofile(None)
        text = semantics.ANSI_ESCAPE.sub("", "".join(self.text))
        if text:
            self.post(json.dumps({"type": "output", "text": text}))
        if self.records:
            self.post(json.dumps({"type": "log", "records": self.records}))
        if text or self.records:
            self.last = time.monotonic()
        self.text, self.records = [], []


class LiveStream(io.TextIOBase):
    """The running snippet's stdout and stderr: kept whole for its answer, and shown live (Live)."""

    def __init__(self, live):
        self.kept = io.StringIO()
        self.live = live

    def writable(self):
        return True

    def write(self, text):
        self.kept.write(text)
        self.live.printed(text)
        return len(text)

    def getvalue(self):
        return self.kept.getvalue()


class ToPage(logging.Handler):
    """Sends each log record to the page as progress, never into the snippet's output (as the build's
    ChannelHandler sends it to the build's log)."""

    def emit(self, record):
        if live is not None:
            try:
                live.logged(record)
            except Exception:  # noqa: BLE001 - as any logging handler: a broken record must not break the snippet
                self.handleError(record)


semantics = load_semantics()
semantics.install()
logging.root.addHandler(ToPage())
logging.root.setLevel(logging.INFO)
namespace = types.ModuleType("__main__").__dict__  # the page's globals, like a fresh notebook kernel's
ran = set()  # ids of the snippets that have run in this namespace
live = None  # the Live of the request running now


def run(request_json, post=lambda message: None):
    global live
    live = Live(post)
    try:
        said = answer(json.loads(request_json))
        live.flush()
    except KeyboardInterrupt:  # Stop came between snippets (in one, semantics.run catches it as the snippet's)
        said = stopped()
    finally:
        sys.setprofile(None)
        live = None
    return json.dumps(said)


def answer(request):
    replayed, replay_errors = [], []
    for earlier in request["replay"]:
        if earlier["id"] not in ran:
            said = execute(earlier)
            if said["stopped"]:
                return {**stopped(), "replayed": replayed, "replay_errors": replay_errors}
            ran.add(earlier["id"])
            replayed.append(earlier["id"])
            if said["error"]:
                replay_errors.append({"id": earlier["id"], "message": said["error"]["message"].strip()})
    live.flush()
    live.post(json.dumps({"type": "started", "names": names()}))
    ran.add(request["snippet"]["id"])
    said = execute(request["snippet"], request.get("check"), shown=True)
    said.update(replayed=replayed, replay_errors=replay_errors, names=names())
    return said


def stopped():
    """The answer to a request that Stop interrupted before its snippet ran."""
    return {"output": "", "parts": [], "error": None, "replayed": [], "replay_errors": [], "check": None,
            "check_error": None, "stopped": True, "names": names()}


def names():
    """The names that the page's snippets defined, as a learner would list them (no _private ones)."""
    return sorted(name for name in namespace if not name.startswith("_"))


def execute(snippet, checks=None, shown=False):
    """Run one snippet in the page's namespace, then an exercise's checks when given: semantics.outcome's answer."""
    live.running(snippet["filename"], shown)
    printed = LiveStream(live)
    with semantics.capture(printed):
        error, displays = semantics.run(snippet["code"], snippet["filename"], namespace)
    said = semantics.outcome(snippet["filename"], printed.getvalue(), displays, error, snippet.get("raises"))
    if said["error"] and error is not None:
        said["error"]["traceback"] = semantics.traceback_text(error)
    said["stopped"] = isinstance(error, KeyboardInterrupt)
    said["check"], said["check_error"] = None, None
    if checks is not None:
        check(checks, snippet["filename"], error, said)
    return said


def check(checks, filename, code_error, said):
    """Run an exercise's checks after the learner's code, as the build does (semantics.verdict); what they print
    joins the answer's output, and an exception they raise is described with the line of the learner's code it
    points at (a method of theirs that the checks called)."""
    checks_error = None
    if code_error is None:
        live.running(CHECK, True)
        printed = LiveStream(live)
        with semantics.capture(printed):
            checks_error, displays = semantics.run(checks, CHECK, dict(namespace))  # a copy: their `a`, `b` stay theirs
        checked = semantics.outcome(CHECK, printed.getvalue(), displays, None)
        said["output"] += checked["output"]
        said["parts"] = semantics.joined(said["parts"], checked["parts"])
        said["stopped"] = isinstance(checks_error, KeyboardInterrupt)
    said["check"] = semantics.verdict(code_error, checks_error, CHECK)
    if checks_error is not None and not isinstance(checks_error, AssertionError):
        said["check_error"] = {**semantics.describe(checks_error, filename),
                               "traceback": semantics.traceback_text(checks_error)}
