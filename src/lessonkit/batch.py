"""Run many pages at once: from the cache where it can, in parallel worker processes where it must."""

import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from lessonkit.run import run_page


def run_pages(pages, root=".", cache=None, jobs=None):
    """Run each page (a worker per page, `jobs` at a time) in its own folder under `root`.

    Page paths are relative to `root`. Returns one PageRun per page, in order.
    """
    def run_one(page):
        key = cache.key(page) if cache else None
        run = cache.get(page, key) if cache else None
        if run is None:
            run = run_page(page, cwd=Path(root, page.path).parent)
            if cache and run.snippets_run:
                cache.put(page, run, key)
        return run

    with ThreadPoolExecutor(max_workers=jobs or default_jobs()) as pool:
        return list(pool.map(run_one, pages))


def default_jobs():
    """One worker per core."""
    return os.cpu_count() or 1
