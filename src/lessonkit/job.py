"""What a page's run depends on, in one place: the job its worker is given, and the cache key made from it.

The job holds, for each snippet that runs, what decides its result (its code,
`raises=` and `timeout=`), the page's output limit, the page's path (its
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

from lessonkit.failure import snippet_filename

FORMAT = 3  # bump when the job or the cache entry changes shape
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
        "snippets": [{"filename": snippet_filename(index), "code": page.snippets[index].code,
                      "raises": page.snippets[index].options.raises, "timeout": page.snippets[index].options.timeout}
                     for index in snippets_to_run(page)],
    }


def job_key(job):
    """The cache key of a job: a hash of all of it."""
    return hashlib.sha256(json.dumps(job, sort_keys=True).encode()).hexdigest()


def snippets_to_run(page):
    """The indexes of the page's snippets that the build runs."""
    return [index for index, snippet in enumerate(page.snippets) if page.runs(snippet)]


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
