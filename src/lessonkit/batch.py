"""Run many pages at once: from the cache where it can, in parallel worker processes where it must."""

import os
from concurrent.futures import ThreadPoolExecutor

from lessonkit.run import run_page


def run_pages(pages, root=".", cache=None, jobs=None):
    """Run each page, `jobs` pages at a time; one PageRun per page, in order.

    Page paths are relative to `root`, the project's folder.
    """
    with ThreadPoolExecutor(max_workers=jobs or default_jobs()) as pool:
        return [future.result() for future in submit_pages(pool, pages, root, cache)]


def submit_pages(pool, pages, root=".", cache=None):
    """Start running the pages on a thread pool; one Future of a PageRun per page, in order."""
    return [pool.submit(run_cached, page, root, cache) for page in pages]


def run_cached(page, root=".", cache=None):
    """The page's run from the cache, or a fresh run (then stored in the cache)."""
    key = cache.key(page) if cache else None
    run = cache.get(key, len(page.snippets), len(page.prelude_snippets)) if cache else None
    if run is None:
        run = run_page(page, root)
        if cache and run.snippets_run:
            cache.put(key, run)
    return run


def default_jobs():
    """One worker per core."""
    return os.cpu_count() or 1
