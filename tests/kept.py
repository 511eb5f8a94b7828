"""What a slow run observed, kept under a hash of everything that decides it, as lessonkit keeps a page's runs.

A test that keeps what it observed (what a page showed in Chromium, what a
notebook's cells printed) checks it again every time: only the run is skipped
when nothing it depends on has changed, and any change to those inputs runs it
again. A kept observation is JSON in .cache/<kind>/<key>.json, written whole or
not at all; `rm -rf .cache/<kind>` runs everything again.
"""

import hashlib
import json
import os
from pathlib import Path

CACHE = Path(__file__).resolve().parents[1] / ".cache"


def kept(kind, key, run, keep=lambda observed: True):
    """What `run()` observes, from .cache/<kind>/<key>.json if it is kept there; else run now, and kept if
    `keep(observed)` says so (a run that broke down is not kept)."""
    path = CACHE / kind / f"{key}.json"
    if path.exists():
        return json.loads(path.read_text(encoding="utf-8"))
    observed = run()
    if keep(observed):
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f".{path.name}.{os.getpid()}.partial")  # pytest -n: one per process
        partial.write_text(json.dumps(observed), encoding="utf-8")
        partial.replace(path)  # whole or not at all
    return observed


def files(folder, patterns):
    """Every file under `folder` that one of the glob `patterns` matches, as one part of a key: its path and bytes."""
    paths = sorted({path for pattern in patterns for path in Path(folder).glob(pattern) if path.is_file()})
    return [path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes() for path in paths]


def key_of(*parts):
    """A hash of the parts, in order: bytes, text, or files (their bytes)."""
    digest = hashlib.sha256()
    for part in parts:
        data = part.read_bytes() if isinstance(part, Path) else part.encode() if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big") + data)
    return digest.hexdigest()
