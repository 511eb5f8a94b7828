"""Run many pages at once: from the cache where it can, in parallel worker processes where it must.

Every adapter runs pages through here: the MkDocs plugin, pytest and the
command line. A page runs once per cache key, even when two processes want it
at once (a `mkdocs build` started by a test while pytest runs the same pages):
the second waits on the key's lock (lessonkit.cache), then reads the first's
run from the cache. Pages start longest first, so that the page that trains a
model does not start last: by how long their last fresh run took (the cache
keeps it), and those never run before first of all, in page order.
"""

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
    """Start running the pages on a thread pool, longest first; one Future of a PageRun per page, in page order."""
    times = cache.run_times() if cache else {}
    futures = {}
    for index in sorted(range(len(pages)), key=lambda index: -times.get(pages[index].path, float("inf"))):
        futures[index] = pool.submit(run_cached, pages[index], root, cache)
    return [futures[index] for index in range(len(pages))]


def run_cached(page, root=".", cache=None):
    """The page's run from the cache, or a fresh run (then stored in the cache); one at a time per cache key."""
    if cache is None:
        return run_page(page, root)
    key = cache.key(page)
    with cache.lock(key):  # another thread or process may be running this very page: wait, then read its run
        run = cache.get(key, len(page.snippets), len(page.prelude_snippets))
        if run is None:
            run = run_page(page, root)
            if run.snippets_run and not run.failed:
                cache.put(key, run)
                cache.record_run_time(page.path, run.seconds)
    return run


def default_jobs():
    """One worker per core."""
    return os.cpu_count() or 1
