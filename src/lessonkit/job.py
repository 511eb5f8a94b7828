"""What a page's run depends on, in one place: the job its worker is given, and the cache key made from it.

The job holds, for each snippet that the build runs (lessonkit/plan.py says
which, and in what order), what decides its result (its code, `raises=` and
`timeout=`, its part in an exercise), the page's output limit, the page's
prelude (the earlier exercises it builds on), the page's path (its folder is
the worker's PAGE_DIR), the Python version and the source of lessonkit's
runtime: the files in RUNTIME, which run in the worker and decide how a
snippet runs (worker.py, and semantics.py once it exists). The worker runs
what the job says and the cache key is a hash of the whole job, so nothing
that changes a run can be missing from its key, and nothing else is in it:
prose, output fences and display options are not, nor the rest of lessonkit
(the notebook export, the MkDocs plugin, the renderer), so editing them
re-runs nothing, while editing the runtime re-runs every page. The project
modules that a run imports (deepdive, say) and the files it reads (data next
to the page) are known only once it ran; the cache records them with their
digests.
"""

import hashlib
import json
import sys
from pathlib import Path

from lessonkit.failure import prelude_filename, snippet_filename
from lessonkit.plan import build_order

FORMAT = 6  # bump when the job or the cache entry changes shape
LESSONKIT = Path(__file__).parent
RUNTIME = ("worker.py", "semantics.py")  # lessonkit's files that decide how a snippet runs; hashed when present
digests = {}  # (path, mtime_ns, size) -> sha256, so that each version of a file is hashed once


def page_job(page):
    """The worker's job for the page's snippets that the build runs, in the order it runs them (plan.build_order)."""
    return {
        "format": FORMAT,
        "python": sys.version,
        "lessonkit": runtime_digests(),
        "page": page.path,
        "import_path": list(page.course.import_path),  # the course's packages' folders, relative to the project
        "max_output": page.max_output,
        "prelude": [{"filename": prelude_filename(index), "code": snippet.code, "timeout": snippet.options.timeout}
                    for index, snippet in enumerate(page.prelude_snippets)] if page.run else [],
        "snippets": [snippet_job(page, index) for index in build_order(page)],
    }


def runtime_digests():
    """The sha256 of each of lessonkit's RUNTIME files that exists, by name."""
    return {name: file_digest(LESSONKIT / name) for name in RUNTIME if (LESSONKIT / name).is_file()}


def snippet_job(page, index):
    """What the worker needs to run one snippet. An exercise's starter, wrong answers and right answers bring
    its checks, as they run with them; a wrong answer also what its failure must say."""
    snippet = page.snippets[index]
    role = snippet.options.exercise
    job = {"filename": snippet_filename(index), "code": snippet.code, "raises": snippet.options.raises,
           "timeout": snippet.options.timeout, "role": role.role if role else None}
    if role and role.role in ("starter", "wrong", "right"):
        check = page.exercise_of(snippet).check
        job["checks"] = {"filename": snippet_filename(page.snippets.index(check)), "code": check.code}
    if role and role.role == "wrong":
        job["says"] = snippet.options.says
    return job


def job_key(job):
    """The cache key of a job: a hash of all of it."""
    return hashlib.sha256(json.dumps(job, sort_keys=True).encode()).hexdigest()


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
