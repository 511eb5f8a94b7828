"""Page results cached on disk, keyed by what a run depends on, so that unchanged pages never run twice.

The key is everything the worker is given (the page's path, and the code and
`raises=` of each snippet that runs), the Python version and lessonkit's own
source. Prose, output fences and display options are not in it: editing them
re-runs nothing. Each entry also records the project source files the run
imported (deepdive, say) with their hashes; when one of them changes, the entry
no longer counts. Only runs where every snippet succeeded are stored.

Entries are JSON files written atomically; the folder is safe to delete.
"""

import hashlib
import json
import os
import sys
import tempfile
from pathlib import Path

from lessonkit.run import PageRun, SnippetRun

FORMAT = 1  # bump when the entry layout changes
LESSONKIT = Path(__file__).parent


class Cache:
    """A folder of page results, such as .cache/lessonkit."""

    def __init__(self, folder):
        self.folder = Path(folder)
        self.digests = {}  # (path, mtime_ns, size) -> sha256, so a build hashes each file once

    def key(self, page):
        """A hash of everything that decides what the page's snippets do."""
        inputs = {
            "format": FORMAT,
            "python": sys.version,
            "lessonkit": {path.name: self.digest(path) for path in sorted(LESSONKIT.glob("*.py"))},
            "page": page.path,
            "cache": str(self.folder.resolve()),  # a copied checkout must not trust the original's files
            "snippets": [[s.code, s.options.raises] for s in page.snippets if page.runs(s)],
        }
        return hashlib.sha256(json.dumps(inputs, sort_keys=True).encode()).hexdigest()

    def get(self, page, key=None):
        """The page's cached run, or None when there is none or a file it imported has changed."""
        try:
            entry = json.loads((self.folder / f"{key or self.key(page)}.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if any(self.digest(Path(path)) != digest for path, digest in entry["modules"].items()):
            return None
        results = tuple(None if result is None else SnippetRun(result["output"], result["svg"])
                        for result in entry["results"])
        return PageRun(results, tuple(entry["modules"]), from_cache=True)

    def put(self, page, run, key=None):
        """Store a run in which every snippet succeeded."""
        if run.failed:
            return
        entry = {
            "modules": {path: self.digest(Path(path)) for path in run.modules},
            "results": [None if result is None else {"output": result.output, "svg": result.svg}
                        for result in run.results],
        }
        self.folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=self.folder, suffix=".tmp", delete=False) as file:
            json.dump(entry, file)
        os.replace(file.name, self.folder / f"{key or self.key(page)}.json")

    def digest(self, path):
        """The sha256 of a file's bytes ("" when it is gone), computed once per version of the file."""
        try:
            stat = path.stat()
        except OSError:
            return ""
        version = (str(path), stat.st_mtime_ns, stat.st_size)
        if version not in self.digests:
            self.digests[version] = hashlib.sha256(path.read_bytes()).hexdigest()
        return self.digests[version]
