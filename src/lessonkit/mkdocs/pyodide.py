"""The pinned npm package `pyodide`: fetched once into the cache, its hash checked, the files a page needs kept.

The plugin fetches it when it is missing (`mkdocs build`, `mkdocs serve`), and
`python -m lessonkit runtime` does it ahead of time. It downloads the npm
registry's tarball over HTTPS, checks it against the pinned sha512 (npm's
`dist.integrity`), and unpacks only RUNTIME_FILES into CACHE/pyodide/VERSION/.
Once that folder holds them, it does nothing. To move to another version, take
both values from `npm view pyodide@X dist --json` and set them in the plugin's
`pyodide:` settings.
"""

import base64
import hashlib
import io
import shutil
import tarfile
import tempfile
import urllib.request
from dataclasses import dataclass
from pathlib import Path

VERSION = "314.0.8"  # Python 3.14
INTEGRITY = "sha512-74Wq1kXOC+CCEzAfxuRAO701nAcCMLjf8NrwvWpu8S41dVMXwXmLQ05dYB+F4e46AdnGo0oq7YHSVUpHsoarLQ=="
# What loadPyodide() reads from its indexURL: the loader, the interpreter, the standard library, the lock file.
RUNTIME_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json")
REGISTRY = "https://registry.npmjs.org"
STAMP = "integrity"  # written last, holding the integrity: the folder is complete and checked
HOW_TO_FETCH = "run `python -m lessonkit runtime` (it downloads the npm package pyodide once, about 6.5 MB)"


class RuntimeMissing(RuntimeError):
    """The runtime is not in the cache, or cannot be fetched; the message says how to get it."""


@dataclass(frozen=True)
class Pyodide:
    """One pinned version of the runtime, kept under `cache`."""

    cache: Path
    version: str = VERSION
    integrity: str = INTEGRITY
    registry: str = REGISTRY

    @property
    def folder(self):
        """Where the checked runtime files of this version live."""
        return Path(self.cache) / "pyodide" / self.version

    @property
    def tarball(self):
        return f"{self.registry}/pyodide/-/pyodide-{self.version}.tgz"

    @classmethod
    def pinned(cls, pin, project):
        """The runtime that the plugin's `pyodide:` settings pin, kept in the project's .cache/."""
        return cls(Path(project) / ".cache", pin.version, pin.integrity, pin.registry)

    def missing(self):
        """Why the runtime cannot be used from the cache, or None when it can."""
        stamp = self.folder / STAMP
        if not stamp.is_file() or stamp.read_text().strip() != self.integrity:
            return f"Pyodide {self.version} is not in {self.folder}: {HOW_TO_FETCH}"
        absent = [name for name in RUNTIME_FILES if not (self.folder / name).is_file()]
        if absent:
            return f"{self.folder} lacks {', '.join(absent)}: delete the folder, then {HOW_TO_FETCH}"
        return None

    def fetch(self):
        """Download, check and unpack the runtime into the cache, unless it is already there."""
        if self.missing() is None:
            return self.folder
        try:
            with urllib.request.urlopen(self.tarball, timeout=60) as response:
                tarball = response.read()
        except OSError as error:
            raise RuntimeMissing(f"could not download Pyodide {self.version} from {self.tarball}: {error}. "
                                 f"Check the network connection to the npm registry, then {HOW_TO_FETCH}") from None
        found = "sha512-" + base64.b64encode(hashlib.sha512(tarball).digest()).decode()
        if found != self.integrity:
            raise RuntimeMissing(f"the download from {self.tarball} does not match its pinned hash "
                                 f"(expected {self.integrity}, got {found}); nothing was kept")
        try:
            return unpack(tarball, self.folder, self.integrity)
        except tarfile.TarError as error:
            raise RuntimeMissing(f"the Pyodide {self.version} package cannot be unpacked: {error}") from None


def unpack(tarball, folder, integrity):
    """Write RUNTIME_FILES from the npm tarball into `folder`, all or nothing."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}-", dir=folder.parent))
    staging.chmod(0o755)
    try:
        with tarfile.open(fileobj=io.BytesIO(tarball), mode="r:gz") as archive:
            for name in RUNTIME_FILES:
                try:
                    member = archive.extractfile(f"package/{name}")
                except KeyError:
                    member = None
                if member is None:
                    raise RuntimeMissing(f"the Pyodide package at {folder.name} has no file {name}")
                (staging / name).write_bytes(member.read())
        (staging / STAMP).write_text(integrity + "\n")
        shutil.rmtree(folder, ignore_errors=True)
        staging.rename(folder)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return folder
