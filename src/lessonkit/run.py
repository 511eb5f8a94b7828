"""Run a page's snippets in a child process: in order, in one fresh namespace, each within its time limit.

A process per page gives real isolation (globals, sys.modules, sys.path, the
working directory) and a time limit that works from any thread: when a snippet
runs too long, the worker is interrupted, to learn where it was, then killed.
"""

import json
import os
import queue
import signal
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

from lessonkit.failure import Failure
from lessonkit.job import page_job, snippets_to_run
from lessonkit.parse import DEFAULT_TIMEOUT
from lessonkit.worker import MODULES, SNIPPET_RESULT

WORKER = Path(__file__).with_name("worker.py")
GRACE = 1.0  # seconds an interrupted worker gets to say where it was
WORKER_GONE = ("timeout", "crashed")  # failures after which the page's later snippets cannot run


@dataclass(frozen=True)
class SnippetRun:
    """What one snippet did: printed output, an SVG to display, or a failure."""

    output: str = ""  # stdout and stderr, in order; for an expected exception, its error line too
    svg: str | None = None
    failure: Failure | None = None
    ran: bool = True  # False when an earlier snippet timed out or crashed the worker


@dataclass(frozen=True)
class PageRun:
    """The results of a page's snippets, one per snippet (None for a snippet that does not run)."""

    results: tuple[SnippetRun | None, ...]
    modules: tuple[str, ...] = ()  # project source files the snippets imported
    from_cache: bool = False
    prelude: tuple[SnippetRun, ...] = ()  # the results of page.prelude, which print nothing when all is well

    @property
    def failed(self):
        return any(result and (result.failure or not result.ran) for result in self.prelude + self.results)

    @property
    def snippets_run(self):
        """How many snippets ran for this result (0 when it came from the cache)."""
        return 0 if self.from_cache else sum(1 for result in self.results if result and result.ran)


def run_page(page, cwd=None):
    """Run the page's snippets in a fresh worker process started in `cwd`."""
    job = page_job(page)
    todo = snippets_to_run(page)
    results, prelude = [None] * len(page.snippets), []
    if not todo:
        return PageRun(tuple(results))
    with tempfile.TemporaryFile() as worker_stderr:
        worker = subprocess.Popen([sys.executable, "-P", str(WORKER)], cwd=cwd, env=worker_environment(),
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=worker_stderr)
        reports = read_reports(worker)
        worker.stdin.write(json.dumps(job).encode())
        worker.stdin.close()
        try:
            for snippet in job["prelude"]:
                prelude.append(next_result(worker, reports, DEFAULT_TIMEOUT, worker_stderr))
                if prelude[-1].failure and prelude[-1].failure.kind in WORKER_GONE:
                    return PageRun(tuple(SnippetRun(ran=False) if i in todo else None for i in range(len(results))),
                                   prelude=tuple(prelude))
            for position, (index, snippet) in enumerate(zip(todo, job["snippets"])):
                results[index] = next_result(worker, reports, snippet["timeout"], worker_stderr)
                if results[index].failure and results[index].failure.kind in WORKER_GONE:
                    for later in todo[position + 1:]:
                        results[later] = SnippetRun(ran=False)
                    return PageRun(tuple(results), prelude=tuple(prelude))
            last = reports.get()
            modules = tuple(last["modules"]) if last and last["kind"] == MODULES else ()
            return PageRun(tuple(results), modules, prelude=tuple(prelude))
        finally:
            worker.kill()
            worker.wait()
            worker.stdout.close()


def worker_environment():
    """The parent's environment, with a fixed hash seed so that set order is the same on every build."""
    return {**os.environ, "PYTHONHASHSEED": "0", "PYTHONIOENCODING": "utf-8"}


def read_reports(worker):
    """A queue that receives each JSON line the worker writes, then None when it exits."""
    reports = queue.Queue()

    def read():
        for line in worker.stdout:
            reports.put(json.loads(line))
        reports.put(None)

    threading.Thread(target=read, daemon=True).start()
    return reports


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
        return SnippetRun(failure=Failure("crashed", f"the worker process exited with code {worker.returncode} "
                                                     f"while running this snippet\n{said}"))
    error = report["error"]
    if error:
        failure = Failure(error["kind"], error["message"], tuple(map(tuple, error["frames"])),
                          tuple(error["syntax"]) if error["syntax"] else None)
        return SnippetRun(report["output"], failure=failure)
    return SnippetRun(report["output"], report["svg"])


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
            return SnippetRun(report["output"], failure=Failure("timeout", "TimeoutError: " + message + "\n", frames))
    worker.kill()
    return SnippetRun(failure=Failure("timeout", "TimeoutError: " + message + "\n"))
