"""Page results cached on disk, keyed by what a run depends on, so that unchanged pages never run twice.

The key is the hash of the page's job (lessonkit/job.py). Each entry also
records the project source files the run imported (deepdive, say) with their
hashes, named relative to the project's root; when one of them changes, the
entry no longer counts. So a checkout copied or restored elsewhere reuses its
entries, and checks them against its own files. Only runs where every snippet
succeeded are stored.

Entries are JSON files written atomically in .cache/lessonkit under the
project's root; the folder is safe to delete.
"""

import json
import os
import tempfile
from pathlib import Path

from lessonkit.job import file_digest, job_key, page_job
from lessonkit.run import PageRun, SnippetRun

FOLDER = Path(".cache", "lessonkit")


class Cache:
    """The page results of the project at `root`, kept in root/.cache/lessonkit."""

    def __init__(self, root):
        self.root = Path(root).resolve()
        self.folder = self.root / FOLDER

    def key(self, page):
        """The hash of the page's job: everything that decides what its snippets do."""
        return job_key(page_job(page))

    def get(self, key):
        """The cached run, or None when there is none or a file it imported has changed."""
        try:
            entry = json.loads((self.folder / f"{key}.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        modules = {self.root / name: digest for name, digest in entry["modules"].items()}
        if any(file_digest(path) != digest for path, digest in modules.items()):
            return None
        results = tuple(None if result is None else SnippetRun(result["output"], result["svg"])
                        for result in entry["results"])
        return PageRun(results, tuple(map(str, modules)), from_cache=True)

    def put(self, key, run):
        """Store a run in which every snippet succeeded."""
        if run.failed:
            return
        entry = {
            "modules": {self.name(path): file_digest(Path(path)) for path in run.modules},
            "results": [None if result is None else {"output": result.output, "svg": result.svg}
                        for result in run.results],
        }
        self.folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=self.folder, suffix=".tmp", delete=False) as file:
            json.dump(entry, file)
        os.replace(file.name, self.folder / f"{key}.json")

    def name(self, path):
        """A module's file as the entry names it: relative to the root when it is under it."""
        path = Path(path)
        return path.relative_to(self.root).as_posix() if path.is_relative_to(self.root) else str(path)
