"""The pinned npm package `pyodide`: fetch it once into .cache/, check its hash, keep the files a page needs.

Not a hook itself: `pyodide_runtime.py` imports it, and the Makefile runs it
before `serve`, `build` and `test` (`make runtime`):

    python docs/overrides/hooks/pyodide_package.py

It downloads the registry's tarball over HTTPS, checks it against the pinned
sha512 (npm's `dist.integrity`), and unpacks only RUNTIME_FILES into
.cache/pyodide/VERSION/. Once that folder holds them, it does nothing. To move to
another version, take both values from `npm view pyodide@X dist --json`.
"""

import base64
import hashlib
import io
import shutil
import sys
import tarfile
import tempfile
import urllib.request
from pathlib import Path

VERSION = "314.0.8"  # Python 3.14
TARBALL = f"https://registry.npmjs.org/pyodide/-/pyodide-{VERSION}.tgz"
INTEGRITY = "sha512-74Wq1kXOC+CCEzAfxuRAO701nAcCMLjf8NrwvWpu8S41dVMXwXmLQ05dYB+F4e46AdnGo0oq7YHSVUpHsoarLQ=="
# What loadPyodide() reads from its indexURL: the loader, the interpreter, the standard library, the lock file.
RUNTIME_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json")
STAMP = "integrity"  # written last, holding INTEGRITY: the folder is complete and checked
HOW_TO_FETCH = "run `make runtime` (it downloads the npm package pyodide once, about 6.5 MB, into .cache/pyodide/)"


class RuntimeMissing(RuntimeError):
    """The runtime is not in the cache, or cannot be fetched; the message says how to get it."""


def cache_folder(root):
    """Where the checked runtime files of this version live, under the project at `root`."""
    return Path(root) / ".cache" / "pyodide" / VERSION


def missing(root):
    """Why the runtime cannot be used from the cache at `root`, or None when it can."""
    folder = cache_folder(root)
    stamp = folder / STAMP
    if not stamp.is_file() or stamp.read_text().strip() != INTEGRITY:
        return f"Pyodide {VERSION} is not in {folder}: {HOW_TO_FETCH}"
    absent = [name for name in RUNTIME_FILES if not (folder / name).is_file()]
    if absent:
        return f"{folder} lacks {', '.join(absent)}: delete the folder, then {HOW_TO_FETCH}"
    return None


def fetch(root):
    """Download, check and unpack the runtime into the cache, unless it is already there."""
    if missing(root) is None:
        return cache_folder(root)
    url = TARBALL
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            tarball = response.read()
    except OSError as error:
        raise RuntimeMissing(f"could not download Pyodide {VERSION} from {url}: {error}. "
                             f"Check the network connection to the npm registry, then {HOW_TO_FETCH}") from None
    found = "sha512-" + base64.b64encode(hashlib.sha512(tarball).digest()).decode()
    if found != INTEGRITY:
        raise RuntimeMissing(f"the download from {url} does not match its pinned hash "
                             f"(expected {INTEGRITY}, got {found}); nothing was kept")
    return unpack(tarball, cache_folder(root))


def unpack(tarball, folder):
    """Write RUNTIME_FILES from the npm tarball into `folder`, all or nothing."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{VERSION}-", dir=folder.parent))
    staging.chmod(0o755)
    try:
        with tarfile.open(fileobj=io.BytesIO(tarball), mode="r:gz") as archive:
            for name in RUNTIME_FILES:
                try:
                    member = archive.extractfile(f"package/{name}")
                except KeyError:
                    member = None
                if member is None:
                    raise RuntimeMissing(f"the Pyodide {VERSION} package has no file {name}")
                (staging / name).write_bytes(member.read())
        (staging / STAMP).write_text(INTEGRITY + "\n")
        shutil.rmtree(folder, ignore_errors=True)
        staging.rename(folder)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return folder


def main():
    root = Path(__file__).resolve().parents[3]
    try:
        folder = fetch(root)
    except (RuntimeMissing, tarfile.TarError) as error:
        print(f"pyodide: {error}", file=sys.stderr)
        return 1
    print(f"pyodide: {VERSION} ready in {folder.relative_to(root)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
