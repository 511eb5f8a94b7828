"""Run a page's snippets in a child process: in order, in one fresh namespace, each within its time limit.

A process per page gives real isolation (globals, sys.modules, sys.path, the
working directory) and a time limit that works from any thread: when a snippet
runs too long, the worker is interrupted, to learn where it was, then killed.

The worker runs in a scratch folder made for this run and deleted after it, so
a snippet that writes a file never writes into docs/ (nor does Python's
bytecode cache). The page's own folder comes first on sys.path, so a helper
module next to the page imports, and its path is in the environment variable
PAGE_DIR, so a snippet reads a data file next to the page by that path. The
worker leads a process group of its own: whatever a snippet started ends with it.

What a page logs at INFO or above (a training loop's step and loss) is not
part of its output: it is logged again, as `page.md: message`, on the logger
`lessonkit.progress` (and its child named after the page's logger), as it
comes, for an adapter to show: the MkDocs hook puts it in the build's log.
So is what a long snippet prints (one that runs longer than the worker's
LIVE_AFTER seconds): each line, as `page.md:L: line` (L the line of the
snippet's opening fence), on `lessonkit.progress` at INFO, as it comes, the
lines it printed before that first; its output is the same as ever.
Neither is cached: a page that comes from the cache logs nothing.

`stop_running_pages` ends every worker this process has running, so that an
adapter that stops early (pytest after its first failure, or interrupted) does
not wait for pages nobody will look at: their runs end as crashed.
"""

import contextlib
import dataclasses
import json
import logging
import os
import queue
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from lessonkit.failure import Failure, snippet_named
from lessonkit.job import page_job
from lessonkit.plan import build_order
from lessonkit.worker import LOG, MODULES, PRINTED, SNIPPET_RESULT

WORKER = Path(__file__).with_name("worker.py")
GRACE = 5.0  # seconds an interrupted worker gets to say where it was (more than it needs, on a busy machine)
WORKER_GONE = ("timeout", "crashed")  # failures after which the page's later snippets cannot run
PAGE_DIR = "PAGE_DIR"  # the environment variable that holds the page's folder
PROGRESS = "lessonkit.progress"  # where what a page logs is logged again
running = set()  # the workers of the pages this process is running, which stop_running_pages ends
running_lock = threading.Lock()
# Terminal escape sequences (colours, cursor moves, titles), which a page cannot show.
ANSI_ESCAPE = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[()*+][ -~]|[@-Z\\-_])")


@dataclass(frozen=True)
class Display:
    """A picture or HTML that a snippet displayed, and the line of text that stands for it in its output."""

    mime: str  # "image/svg+xml", "image/png" (data in base64) or "text/html"
    data: str
    text: str  # the object's repr, printed into the output where it was displayed


@dataclass(frozen=True)
class SnippetRun:
    """What one snippet did: printed output, what it displayed, or a failure."""

    output: str = ""  # stdout and stderr, in order; for an expected exception, its error line too
    displays: tuple[Display, ...] = ()
    failure: Failure | None = None
    ran: bool = True  # False when an earlier snippet timed out or crashed the worker


@dataclass(frozen=True)
class PageRun:
    """The results of a page's snippets, one per snippet (None for a snippet that does not run)."""

    results: tuple[SnippetRun | None, ...]
    files: tuple[str, ...] = ()  # project files the snippets imported or read
    from_cache: bool = False
    prelude: tuple[SnippetRun | None, ...] = ()  # one per page.prelude_snippets, as results are per snippet
    seconds: float = 0.0  # how long the run took (0 when it came from the cache); not cached

    @property
    def failed(self):
        return any(result and (result.failure or not result.ran) for result in self.prelude + self.results)

    @property
    def snippets_run(self):
        """How many snippets ran for this result (0 when it came from the cache)."""
        return 0 if self.from_cache else sum(1 for result in self.results if result and result.ran)


def run_page(page, root="."):
    """Run the page's snippets in a fresh worker process; `root` is the project's folder, where page.path starts."""
    start = time.perf_counter()
    run = run_in_worker(page, root)
    return dataclasses.replace(run, seconds=time.perf_counter() - start)


def run_in_worker(page, root):
    """The page's run: its job sent to a fresh worker, each snippet's result read within its time limit."""
    job = page_job(page)
    todo = build_order(page)
    results, prelude = [None] * len(page.snippets), [None] * len(page.prelude_snippets)
    if not todo:  # the prelude runs only before the page's own snippets
        return PageRun(tuple(results), prelude=tuple(prelude))
    with tempfile.TemporaryFile() as worker_stderr, tempfile.TemporaryDirectory(prefix="lessonkit-") as scratch:
        with running_lock:
            worker = subprocess.Popen([sys.executable, "-P", str(WORKER)], cwd=scratch, start_new_session=True,
                                      env=worker_environment(Path(root, page.path).parent.resolve(),
                                                             [Path(root, folder).resolve() for folder in job["import_path"]]),
                                      stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=worker_stderr)
            running.add(worker)
        reports = read_reports(worker, page)
        try:
            with contextlib.suppress(BrokenPipeError):  # a worker already gone: its first result says how it ended
                worker.stdin.write(json.dumps(job).encode())
            with contextlib.suppress(BrokenPipeError):
                worker.stdin.close()
            wait_until_ready(reports)
            for position, snippet in enumerate(job["prelude"]):
                prelude[position] = next_result(worker, reports, snippet["timeout"], worker_stderr)
                if prelude[position].failure and prelude[position].failure.kind in WORKER_GONE:
                    not_run = SnippetRun(ran=False)
                    return PageRun(tuple(not_run if i in todo else None for i in range(len(results))),
                                   prelude=tuple(result or not_run for result in prelude))
            for position, (index, snippet) in enumerate(zip(todo, job["snippets"])):
                results[index] = next_result(worker, reports, snippet["timeout"], worker_stderr)
                if results[index].failure and results[index].failure.kind in WORKER_GONE:
                    for later in todo[position + 1:]:
                        results[later] = SnippetRun(ran=False)
                    return PageRun(tuple(results), prelude=tuple(prelude))
            last = reports.get()
            return PageRun(tuple(results), files_used(last, root) if last and last["kind"] == MODULES else (),
                           prelude=tuple(prelude))
        finally:
            end_process_group(worker)
            worker.stdout.close()


def wait_until_ready(reports):
    """Wait, with no time limit, for the worker to be set up: a busy machine may take seconds to start it,
    and that time is no snippet's. A worker that died on the way leaves its end in the queue for the
    first snippet's result to report."""
    if reports.get() is None:  # the worker's first report is READY
        reports.put(None)


def files_used(report, root):
    """The files a run depends on: the modules it imported, and the files it read in the project."""
    project = os.path.realpath(root) + os.sep  # not, say, a library's font cache in the home folder
    return tuple(sorted({*report["modules"], *(path for path in report["read"] if path.startswith(project))}))


def worker_environment(folder, import_path=()):
    """The parent's environment, with a fixed hash seed (so that set order is the same on every build),
    no bytecode written, the page's folder on sys.path and in PAGE_DIR, then the course's `import_path`
    (the folders of its packages), and matplotlib drawing off screen."""
    path = os.pathsep.join(filter(None, [str(folder), *map(str, import_path), os.environ.get("PYTHONPATH")]))
    return {**os.environ, "PYTHONHASHSEED": "0", "PYTHONIOENCODING": "utf-8", "PYTHONDONTWRITEBYTECODE": "1",
            "PYTHONPATH": path, PAGE_DIR: str(folder), "MPLBACKEND": "agg"}


def end_process_group(worker):
    """Kill the worker and every process a snippet started (they share its process group), then reap it."""
    with running_lock:
        running.discard(worker)
        kill_group(worker)
    worker.wait()


def kill_group(worker):
    try:
        os.killpg(worker.pid, signal.SIGKILL)  # the worker is not reaped yet, so its group id is still its own
    except (ProcessLookupError, PermissionError):
        worker.kill()


def stop_running_pages():
    """Kill every page's worker that this process is running: each of those runs ends, its snippet crashed."""
    with running_lock:
        for worker in running:
            kill_group(worker)  # still in `running`, so not reaped: its group id is its own


def read_reports(worker, page):
    """A queue that receives each JSON line the worker writes, then None when it exits.

    LOG and PRINTED messages are logged as they come, and never queued: they are no snippet's result.
    """
    reports = queue.Queue()

    def read():
        for line in worker.stdout:
            report = json.loads(line)
            if report["kind"] == LOG:
                log_progress(page.path, report)
            elif report["kind"] == PRINTED:
                log_printed(page, report)
            else:
                reports.put(report)
        reports.put(None)

    threading.Thread(target=read, daemon=True).start()
    return reports


def log_progress(page_path, report):
    """Log a record the page logged, on lessonkit.progress.<its logger>, with the page's path in front."""
    logger = logging.getLogger(f"{PROGRESS}.{report['logger']}")
    logger.log(report["level"], "%s: %s", page_path, report["message"])


def log_printed(page, report):
    """Log each line a long snippet printed, on lessonkit.progress, with its page and snippet's line in front."""
    snippet = snippet_named(report["snippet"], page)  # a prelude snippet is on the earlier page it comes from
    for line in plain(report["text"]).splitlines():
        logging.getLogger(PROGRESS).info("%s:%d: %s", snippet.path, snippet.line, line)


def show_progress(handler):
    """Send what pages log to `handler`, at INFO and above; once, however often an adapter asks."""
    progress = logging.getLogger(PROGRESS)
    progress.setLevel(logging.INFO)
    handler.name = handler.name or type(handler).__name__
    if all(existing.name != handler.name for existing in progress.handlers):
        progress.addHandler(handler)


def next_result(worker, reports, timeout, worker_stderr):
    """The next snippet's result, waiting at most `timeout` seconds for it."""
    try:
        report = reports.get(timeout=timeout)
    except queue.Empty:
        return stop_runaway(worker, reports, timeout)
    if report is None:
        worker.wait()
        worker_stderr.seek(0)
        said = worker_stderr.read().decode(errors="replace")[-2000:]  # the end says why
        return SnippetRun(failure=Failure("crashed", f"the worker process {how_it_ended(worker.returncode)} "
                                                     f"while running this snippet\n{plain(said)}"))
    error = report["error"]
    if error:
        failure = Failure(error["kind"], plain(error["message"]), tuple(map(tuple, error["frames"])),
                          tuple(error["syntax"]) if error["syntax"] else None)
        return SnippetRun(plain(report["output"]), failure=failure)
    return SnippetRun(plain(report["output"]), tuple(Display(**shown) for shown in report["displays"]))


def how_it_ended(returncode):
    """`exited with code 3`, or `was killed by SIGSEGV` for a process that a signal ended."""
    if returncode >= 0:
        return f"exited with code {returncode}"
    try:
        name = signal.Signals(-returncode).name
    except ValueError:
        name = f"signal {-returncode}"
    memory = " (the system kills a process this way when memory runs out)" if name == "SIGKILL" else ""
    return f"was killed by {name}{memory}"


def plain(text):
    """Text without terminal escape sequences: colour codes would show as `[31m` on the page."""
    return ANSI_ESCAPE.sub("", text)


def stop_runaway(worker, reports, timeout):
    """Interrupt a snippet that ran out of time, to learn where it was, then give up on the worker."""
    message = (f"the snippet did not finish within {timeout:g} s, so it was stopped "
               f"(give it longer with timeout=SECONDS in its info string)")
    if os.name == "posix":
        worker.send_signal(signal.SIGINT)
        try:
            report = reports.get(timeout=GRACE)
        except queue.Empty:
            report = None
        if report and report["kind"] == SNIPPET_RESULT and report["error"]:
            frames = tuple(map(tuple, report["error"]["frames"]))
            failure = Failure("timeout", "TimeoutError: " + message + "\n", frames)
            return SnippetRun(plain(report["output"]), failure=failure)
    worker.kill()
    return SnippetRun(failure=Failure("timeout", "TimeoutError: " + message + "\n"))
