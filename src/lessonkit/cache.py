"""Page results cached on disk, keyed by what a run depends on, so that unchanged pages never run twice.

The key is the hash of the page's job (lessonkit/job.py). Each entry also
records the project files the run imported (deepdive, say) or read (a data
file next to the page), with their hashes, named relative to the project's
root; when one of them changes, the entry no longer counts. So a checkout
copied or restored elsewhere reuses its entries, and checks them against its
own files. Only runs where every snippet succeeded are stored.

An entry holds what a PageRun holds: a result for each of the page's
snippets, and for each of its prelude's (the solutions of the earlier
exercises that its front matter `builds-on` names, whose code is in the job,
so that editing one re-runs the pages that build on it).

Entries are JSON files written atomically in .cache/lessonkit under the
project's root, or in the folder that the environment variable LESSONKIT_CACHE
names (a benchmark's empty cache, say); the folder is safe to delete. An entry
that cannot be read as this version wrote it (corrupt, cut short, from another
version, or with a result for each of a different number of snippets) is a
miss, with a warning.

A page runs once per key, however many processes want it at once: `lock(key)`
holds the file lock <key>.lock in the folder (fcntl.flock, released when the
process ends, however it ends), so that pytest and a `mkdocs build` started
in the same session wait for each other's run of a page and then read it from
the cache (lessonkit.batch.run_cached). The lock file is removed once the run
is stored.

The folder also keeps, in run-times.txt, how long each page's last fresh run
took, so that the next runs start the longest pages first (lessonkit.batch).
"""

import contextlib
import json
import logging
import os
from pathlib import Path

try:
    import fcntl
except ImportError:  # not on POSIX: no lock across processes
    fcntl = None

from lessonkit.files import whole_file
from lessonkit.job import FORMAT, file_digest, job_key, page_job
from lessonkit.run import Display, PageRun, SnippetRun

FOLDER = Path(".cache", "lessonkit")
ENVIRONMENT = "LESSONKIT_CACHE"  # a folder to keep the entries in instead of FOLDER
RUN_TIMES = "run-times.txt"  # lines of "SECONDS<tab>PAGE": how long each page's last fresh run took
log = logging.getLogger("lessonkit.cache")


class Cache:
    """The page results of the project at `root`, kept in root/.cache/lessonkit (or in $LESSONKIT_CACHE)."""

    def __init__(self, root):
        self.root = Path(root).resolve()
        elsewhere = os.environ.get(ENVIRONMENT)
        self.folder = Path(elsewhere).resolve() if elsewhere else self.root / FOLDER

    def key(self, page):
        """The hash of the page's job: everything that decides what its snippets do."""
        return job_key(page_job(page))

    def get(self, key, snippets, prelude):
        """The cached run of a page with `snippets` snippets and `prelude` prelude snippets (the earlier exercises
        it builds on), or None when there is none or a file it used changed."""
        path = self.folder / f"{key}.json"
        try:
            text = path.read_text(encoding="utf-8")
        except OSError:
            return None
        try:
            entry = json.loads(text)
            if entry["format"] != FORMAT or (len(entry["results"]), len(entry["prelude"])) != (snippets, prelude):
                raise ValueError(f"format {entry['format']!r}, {len(entry['results'])} results, "
                                 f"{len(entry['prelude'])} prelude results")
            files = {self.root / name: digest for name, digest in entry["files"].items()}
            results = tuple(map(stored_result, entry["results"]))
            prelude_results = tuple(map(stored_result, entry["prelude"]))
        except (ValueError, TypeError, KeyError, AttributeError) as error:
            log.warning(f"lessonkit: ignoring the cache entry {path}, which this version cannot use "
                        f"({type(error).__name__}: {error}); the page runs again")
            return None
        if any(file_digest(path) != digest for path, digest in files.items()):
            return None
        return PageRun(results, tuple(map(str, files)), from_cache=True, prelude=prelude_results)

    def put(self, key, run):
        """Store a run in which every snippet succeeded."""
        if run.failed:
            return
        entry = {
            "format": FORMAT,
            "files": {self.name(path): file_digest(Path(path)) for path in run.files},
            "results": [entry_result(result) for result in run.results],
            "prelude": [entry_result(result) for result in run.prelude],
        }
        self.folder.mkdir(parents=True, exist_ok=True)
        with whole_file(self.folder / f"{key}.json") as file:
            json.dump(entry, file)

    def run_times(self):
        """{page path: seconds} of the last fresh run of each page that has one recorded."""
        try:
            text = (self.folder / RUN_TIMES).read_text(encoding="utf-8")
        except OSError:
            return {}
        times = {}
        for line in text.splitlines():
            seconds, _, page = line.partition("\t")
            with contextlib.suppress(ValueError):
                times[page] = float(seconds)
        return times

    def record_run_time(self, page, seconds):
        """Remember how long a fresh run of the page took."""
        with self.lock("run-times"):
            times = {**self.run_times(), page: seconds}
            with whole_file(self.folder / RUN_TIMES) as file:
                file.writelines(f"{seconds:.2f}\t{page}\n" for page, seconds in sorted(times.items()))

    @contextlib.contextmanager
    def lock(self, key):
        """Hold the lock of a key, waiting while another thread or process holds it."""
        if fcntl is None:
            yield
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / f"{key}.lock"
        while True:
            file = open(path, "a")
            try:
                fcntl.flock(file, fcntl.LOCK_EX)  # released when the file closes, even if this process dies
                if same_file(path, file):  # not a lock file that its last holder removed meanwhile
                    break
            except BaseException:
                file.close()
                raise
            file.close()
        try:
            yield
        finally:
            path.unlink(missing_ok=True)  # before unlocking: whoever waits on this file then opens a new one
            file.close()

    def name(self, path):
        """A file as the entry names it: relative to the root when it is under it."""
        path = Path(path)
        return path.relative_to(self.root).as_posix() if path.is_relative_to(self.root) else str(path)


def same_file(path, file):
    """Whether `path` still names the open `file`."""
    try:
        found = os.stat(path)
    except OSError:
        return False
    held = os.fstat(file.fileno())
    return (found.st_dev, found.st_ino) == (held.st_dev, held.st_ino)


def entry_result(result):
    """A snippet's result as an entry stores it (None for a snippet that does not run)."""
    if result is None:
        return None
    return {"output": result.output,
            "displays": [{"mime": shown.mime, "data": shown.data, "text": shown.text} for shown in result.displays]}


def stored_result(result):
    """The SnippetRun that an entry stores (None for a snippet that does not run); TypeError when it is not one."""
    if result is None:
        return None
    output = result["output"]
    displays = tuple(Display(shown["mime"], shown["data"], shown["text"]) for shown in result["displays"])
    texts = [output] + [text for shown in displays for text in (shown.mime, shown.data, shown.text)]
    if not all(isinstance(text, str) for text in texts):
        raise TypeError("a result that is not text")
    return SnippetRun(output, displays)
