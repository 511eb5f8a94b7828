"""What a page's run depends on, in one place: the job its worker is given, and the cache key made from it.

The job holds, for each snippet that runs, what decides its result (its code,
`raises=` and `timeout=`, its part in an exercise), the page's output limit,
the page's prelude (the earlier exercises it builds on), the page's path (its
folder is the worker's PAGE_DIR), the Python version and lessonkit's own source. The worker runs what
the job says and the cache key is a hash of the whole job, so nothing that
changes a run can be missing from its key. Prose, output fences and display
options are not in it: editing them re-runs nothing. The project modules that
a run imports (deepdive, say) and the files it reads (data next to the page)
are known only once it ran; the cache records them with their digests.
"""

import hashlib
import json
import sys
from pathlib import Path

from lessonkit.failure import prelude_filename, snippet_filename

FORMAT = 4  # bump when the job or the cache entry changes shape
LESSONKIT = Path(__file__).parent
digests = {}  # (path, mtime_ns, size) -> sha256, so that each version of a file is hashed once


def page_job(page):
    """The worker's job for the page's snippets that run, in page order."""
    return {
        "format": FORMAT,
        "python": sys.version,
        "lessonkit": {path.name: file_digest(path) for path in sorted(LESSONKIT.glob("*.py"))},
        "page": page.path,
        "max_output": page.max_output,
        "prelude": [{"filename": prelude_filename(index), "code": snippet.code, "timeout": snippet.options.timeout}
                    for index, snippet in enumerate(page.prelude_snippets)] if page.run else [],
        "snippets": [snippet_job(page, index) for index in snippets_to_run(page)],
    }


def snippet_job(page, index):
    """What the worker needs to run one snippet. An exercise's starter brings its checks, as it runs with them."""
    snippet = page.snippets[index]
    role = snippet.options.exercise
    job = {"filename": snippet_filename(index), "code": snippet.code, "raises": snippet.options.raises,
           "timeout": snippet.options.timeout, "role": role.role if role else None}
    if role and role.role == "starter":
        check = page.exercise_of(snippet).check
        job["checks"] = {"filename": snippet_filename(page.snippets.index(check)), "code": check.code}
    return job


def job_key(job):
    """The cache key of a job: a hash of all of it."""
    return hashlib.sha256(json.dumps(job, sort_keys=True).encode()).hexdigest()


def snippets_to_run(page):
    """The indexes of the page's snippets that the build runs, in the order it runs them.

    That is page order, except for an exercise: where its solution stands, the
    starter runs with the checks (they must fail), then the solution, then the
    checks (they must pass).
    """
    if not page.run:
        return []
    order = []
    for index, snippet in enumerate(page.snippets):
        role = snippet.options.exercise
        if role is None:
            if page.runs(snippet):
                order.append(index)
        elif role.role == "solution":
            exercise = page.exercise_of(snippet)
            order += [page.snippets.index(part) for part in (exercise.starter, exercise.solution, exercise.check)]
    return order


def file_digest(path):
    """The sha256 of a file's bytes ("" when it is gone), computed once per version of the file."""
    try:
        stat = path.stat()
    except OSError:
        return ""
    version = (str(path), stat.st_mtime_ns, stat.st_size)
    if version not in digests:
        digests[version] = hashlib.sha256(path.read_bytes()).hexdigest()
    return digests[version]
