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
  their own variables never reach the page's. Then each wrong answer runs, as
  the starter does, with the checks in a copy of the namespace: it must fail,
  and the failure's message (semantics.verdict's, as the learner reads it) must
  contain its `says` text, whitespace counted as one space. Each right answer
  runs so too, and must pass. A wrong or right answer that changes a class of
  the page's namespace (`MyValue.__add__ = __add__`: the copy is shallow) has
  the change undone after it, so that the page's later snippets see the
  solution's class.
- LOG, whenever the page logs a record at INFO or above through `logging`
  (a training loop's step and loss, say): the logger's name, the level's number
  and the message. A handler on the root logger sends it on the channel, never
  into the snippet's output, so progress reaches the build's log, not the page.
- PRINTED, once a snippet has run LIVE_AFTER seconds: {"snippet": its filename,
  "text": lines it printed}. The complete lines held back so far go at once,
  then each line as it comes, batched so that messages are LIVE_INTERVAL
  seconds apart at least, and when the snippet ends, the rest (its last line
  may have no line break), before its SNIPPET_RESULT (after it, if a process
  the snippet started holds its output open past LINGER). A snippet that ends
  sooner sends none. Only the bytes the output keeps (its first `max_output`)
  are sent, without the MARKs of displays (pictures are the page's). They are
  a copy for the build's log, so that a long run shows its progress there as
  on the page: the SNIPPET_RESULT's output is the same with or without them.
- MODULES, last: the project's source files the snippets imported, and the
  files they opened for reading (seen by an audit hook), so that the cache can
  tell when they change.

How a snippet runs (its last expression, display() and rich output in print
order, an error's description, an exercise's checks) is lessonkit/semantics.py,
which the page's worker (assets/run_worker.py, in Pyodide) uses too. This file
loads it by path, as the private module `_lessonkit_semantics`, and adds what
only the build does: output caught at the file-descriptor level with a limit,
LOG, PRINTED and MODULES, and the starter that must fail. Each display prints a
one-line text stand-in into the output (the object's repr, or `<TypeName>` when
the repr holds a memory address), which goes in the page's output fence, so
that the page's source says where a picture is, and the check sees it.

A SNIPPET_RESULT is {"output", "displays": [{"mime", "data", "text"}],
"error": null | {"kind", "message", "frames", "syntax", "type", "line"}},
and also "parts": the output and the displays in print order, as
semantics.parts gives them; a starter's, a wrong answer's and a right
answer's also has "check", the exercise's outcome (semantics.verdict) with
that code. A wrong or right answer that does not do as it must has an error of
kind "wrong-passes", "wrong-says" or "right-fails", whose message says so.
"""

import contextlib
import io
import json
import logging
import os
import select
import signal
import site
import sys
import threading
import time
import types
import warnings

READY = "ready"
SNIPPET_RESULT = "snippet-result"
MODULES = "modules"
LOG = "log"
PRINTED = "printed"
# Seconds a snippet runs before what it prints goes to the build's log as well as the page. Almost every snippet
# ends well before (a few take a second or two on a busy machine), so the log is not flooded with every page's
# output, which the pages show anyway; a snippet still going after 5 s is a training run, say, that whoever
# watches the build waits for, and sees progress from before they wonder whether it hung.
LIVE_AFTER = 5.0
LIVE_INTERVAL = 0.25  # seconds at least between two PRINTED messages: lines printed faster go in batches
READ_BLOCK = 1 << 16  # bytes read from the output pipe at a time
LINGER = 1.0  # seconds to wait for the end of a snippet's output that a process it started still holds open
SYSTEM_FILES = ("/dev/", "/proc/", "/sys/")
SEMANTICS = "_lessonkit_semantics"  # the private name semantics.py is loaded under
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
    semantics.install()
    warnings.filterwarnings("ignore", "FigureCanvasAgg is non-interactive")  # plt.show(): figures show anyway
    limit = job["max_output"]
    send(channel, {"kind": READY})
    for snippet in job["prelude"]:
        send(channel, {"kind": SNIPPET_RESULT,
                       **run_snippet(snippet["filename"], snippet["code"], None, namespace, limit, channel)})
    for snippet in job["snippets"]:  # after a failure, go on: every failing snippet gets reported
        if snippet["role"] == "starter":
            result = run_starter(snippet, namespace, limit, channel)
        elif snippet["role"] in ("wrong", "right"):
            result = run_answer(snippet, namespace, limit, channel)
        else:
            where = dict(namespace) if snippet["role"] == "check" else namespace
            result = run_snippet(snippet["filename"], snippet["code"], snippet["raises"], where, limit, channel)
        send(channel, {"kind": SNIPPET_RESULT, **result})
    send(channel, {"kind": MODULES, "modules": project_files(imported_files()),
                   "read": project_files(read)})


def fresh_main_module():
    """An empty __main__ module for the snippets, like a fresh notebook kernel."""
    module = types.ModuleType("__main__")
    module.__dict__["__builtins__"] = __builtins__
    sys.modules["__main__"] = module
    return module


def load_semantics(path=os.path.join(os.path.dirname(os.path.abspath(__file__)), "semantics.py")):
    """lessonkit/semantics.py, loaded by its path as the module SEMANTICS: a snippet sees no lessonkit module name."""
    module = types.ModuleType(SEMANTICS)
    module.__file__ = path
    sys.modules[SEMANTICS] = module
    with open(path, encoding="utf-8") as file:
        exec(compile(file.read(), path, "exec"), module.__dict__)
    return module


semantics = load_semantics()


def run_snippet(filename, code, raises, namespace, max_output, channel):
    """Run one snippet; say what it printed, displayed and raised (semantics.outcome), as run.py reads it."""
    with captured_output(max_output, filename, channel) as printed:
        error, displays = semantics.run(code, filename, namespace)
    if printed.size > max_output:
        return {"output": printed.text.replace(semantics.MARK, ""), "displays": [], "parts": [], "error": {
            "kind": "output-limit", "frames": [], "syntax": None, "type": None, "line": None,
            "message": f"printed {printed.size:,} bytes, more than the limit of {max_output:,} (print less, "
                       f"or raise the page's limit with front matter max-output: BYTES)"}}
    result = semantics.outcome(filename, printed.text, displays, error, raises)
    shown = [part["display"] for part in result["parts"] if "display" in part]
    return {**result, "displays": [] if error is not None else shown}


def run_starter(starter, namespace, max_output, channel):
    """Run an exercise's starter, then its checks, in a copy of the namespace: they must fail."""
    code_error, checks_error = run_with_checks(starter, namespace, max_output, channel)
    verdict = semantics.verdict(code_error, checks_error, starter["checks"]["filename"])
    if verdict["status"] != "pass":
        return {"output": "", "displays": [], "parts": [], "error": None, "check": verdict}
    return {"output": "", "displays": [], "parts": [], "check": verdict, "error": {
        "kind": "cannot-fail", "frames": [], "syntax": None, "type": None, "line": None,
        "message": "this exercise cannot fail: its starter passes every check\n"
                   "A learner who changes nothing would be told they are right: make the starter leave "
                   "the work undone, or the checks stricter."}}


def run_with_checks(snippet, namespace, max_output, channel):
    """The snippet's code, then its exercise's checks unless the code raised, in a copy of the namespace, their
    output thrown away (but for the lines of a long run, which the build's log shows as any snippet's):
    (the code's exception or None, the checks' exception or None)."""
    copy, checks = dict(namespace), snippet["checks"]
    with captured_output(max_output, snippet["filename"], channel):
        code_error, _ = semantics.run(snippet["code"], snippet["filename"], copy)
        checks_error = None if code_error else semantics.run(checks["code"], checks["filename"], dict(copy))[0]
    return code_error, checks_error


def run_answer(answer, namespace, max_output, channel):
    """Run an exercise's wrong or right answer, then its checks, in a copy of the namespace: a wrong answer must
    fail, saying its `says` text; a right answer must pass. Classes of the namespace get their attributes back."""
    classes = class_attributes(namespace)
    try:
        code_error, checks_error = run_with_checks(answer, namespace, max_output, channel)
    finally:
        restore(classes)
    verdict = semantics.verdict(code_error, checks_error, answer["checks"]["filename"])
    result = {"output": "", "displays": [], "parts": [], "error": None, "check": verdict}
    error = code_error if code_error is not None else checks_error
    frames = semantics.describe(error, answer["filename"])["frames"] if error is not None else []
    if answer["role"] == "right":
        if verdict["status"] != "pass":
            result["error"] = answer_error("right-fails", f"this right answer fails the checks: {verdict['message']}",
                                           frames)
        return result
    if verdict["status"] == "pass":
        result["error"] = answer_error(
            "wrong-passes", "this wrong answer passes the checks\nA learner who wrote it would be told they are "
                            "right: make the checks stricter, so that they catch it.", [])
    elif one_line(answer["says"]) not in one_line(verdict["message"]):
        result["error"] = answer_error(
            "wrong-says", f"this wrong answer fails, but its message does not say '{answer['says']}': "
                          f"it says '{one_line(verdict['message'])}'", frames)
    return result


def one_line(text):
    """The text with every run of whitespace (line breaks too) as one space."""
    return " ".join(text.split())


def answer_error(kind, message, frames):
    return {"kind": kind, "message": message, "frames": frames, "syntax": None, "type": None, "line": None}


def class_attributes(namespace):
    """Each class that the namespace names, with a copy of its attributes."""
    return [(value, dict(vars(value))) for value in list(namespace.values()) if isinstance(value, type)]


def restore(classes):
    """Put back each class's attributes as class_attributes found them: a wrong answer's changes are undone."""
    for cls, attributes in classes:
        now = dict(vars(cls))
        with contextlib.suppress(TypeError, AttributeError):  # a built-in class: no answer changed it
            for name in now.keys() - attributes.keys():
                delattr(cls, name)
            for name, value in attributes.items():
                if now.get(name, restore) is not value:
                    setattr(cls, name, value)


class Printed:
    """What a snippet printed: its first `limit` bytes, and how many bytes it printed in all.

    Once the snippet has run LIVE_AFTER seconds, the complete lines kept so far also go on the channel as
    a PRINTED message, then those that come, at most every LIVE_INTERVAL seconds, and the rest at the end:
    the build's log follows a long run as its page does. A short snippet sends nothing.
    """

    def __init__(self, limit, snippet, channel):
        self.limit = limit
        self.kept = bytearray()
        self.size = 0
        self.snippet = snippet  # the snippet's filename, which its PRINTED messages name
        self.channel = channel
        self.sent = 0  # how many bytes of `kept` went in PRINTED messages
        self.live_from = time.monotonic() + LIVE_AFTER
        self.due = self.live_from  # when the next PRINTED message may go

    def drain(self, pipe):
        """Read the pipe to its end as it fills, keeping `limit` bytes at most, so memory stays bounded, and send
        the complete lines kept when they are due."""
        with open(pipe, "rb", buffering=0) as source:
            while True:
                if select.select([source], [], [], self.seconds_until_due())[0]:
                    block = source.read(READ_BLOCK)
                    if not block:
                        break
                    self.size += len(block)
                    self.kept += block[:max(0, self.limit - len(self.kept))]
                if time.monotonic() >= self.due:
                    self.send_lines(self.kept.rfind(b"\n", self.sent) + 1)
        if time.monotonic() >= self.live_from:
            self.send_lines(len(self.kept))

    def seconds_until_due(self):
        """How long the complete lines not sent yet may wait (0 when they are due), or None when there are none."""
        if self.kept.find(b"\n", self.sent) < 0:
            return None
        return max(0.0, self.due - time.monotonic())

    def send_lines(self, end):
        """Send kept[sent:end] as a PRINTED message, if it holds anything."""
        if end <= self.sent:
            return
        text = self.kept[self.sent:end].decode("utf-8", errors="replace").replace(semantics.MARK, "")
        self.sent, self.due = end, time.monotonic() + LIVE_INTERVAL
        send(self.channel, {"kind": PRINTED, "snippet": self.snippet, "text": text})

    @property
    def text(self):
        return self.kept.decode("utf-8", errors="replace")


@contextlib.contextmanager
def captured_output(limit, snippet, channel):
    """Send file descriptors 1 and 2, and sys.stdout and sys.stderr, into one pipe, read in order as it fills;
    the lines of a long run go on the channel too, named by the snippet's filename."""
    printed = Printed(limit, snippet, channel)
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
    files.difference_update(os.path.realpath(path) for path in (__file__, semantics.__file__))
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
