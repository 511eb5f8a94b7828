"""A wheel of one of the course's packages, for the page's Python: the same bytes for the same sources.

A wheel is a zip file with the package's files and a `.dist-info` folder
(METADATA, WHEEL, RECORD). Here every entry has a fixed date and mode, entries
go in sorted order, and nothing is compressed, so the bytes depend on the
sources alone, and the wheel's URL can carry the hash of its content. Every
file of the package goes in (its data too), except Python's caches.
"""

import base64
import hashlib
import io
import tomllib
import zipfile
from pathlib import Path

TAG = "py3-none-any"
DATE = (1980, 1, 1, 0, 0, 0)  # the earliest date a zip entry can hold
SKIPPED = ("__pycache__",)


def project_version(package):
    """The version in the nearest pyproject.toml above the package's folder, which the wheel shares."""
    for folder in Path(package).resolve().parents:
        if (folder / "pyproject.toml").is_file():
            with open(folder / "pyproject.toml", "rb") as file:
                return tomllib.load(file).get("project", {}).get("version", "0")
    return "0"


def package_files(package):
    """The package's files, as wheel entry names (`deepdive/engine.py`), in sorted order."""
    package = Path(package)
    return {f"{package.name}/{path.relative_to(package).as_posix()}": path
            for path in sorted(package.rglob("*"))
            if path.is_file() and not set(path.relative_to(package).parts) & set(SKIPPED) and path.suffix != ".pyc"}


def build_wheel(package):
    """The wheel's bytes, and its file name, for the package in the folder `package` (such as src/deepdive)."""
    name, version = Path(package).name, project_version(package)
    files = {entry: path.read_bytes() for entry, path in package_files(package).items()}
    info = f"{name}-{version}.dist-info"
    files[f"{info}/METADATA"] = f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n".encode()
    files[f"{info}/WHEEL"] = (f"Wheel-Version: 1.0\nGenerator: lessonkit\n"
                              f"Root-Is-Purelib: true\nTag: {TAG}\n").encode()
    record = "".join(f"{entry},sha256={digest(data)},{len(data)}\n" for entry, data in files.items())
    files[f"{info}/RECORD"] = (record + f"{info}/RECORD,,\n").encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as wheel:
        for entry_name, data in files.items():
            entry = zipfile.ZipInfo(entry_name, DATE)
            entry.external_attr = 0o644 << 16
            wheel.writestr(entry, data)
    return buffer.getvalue(), f"{name}-{version}-{TAG}.whl"


def digest(data):
    """A RECORD hash: urlsafe base64 of the sha256, without padding."""
    return base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


def wheel_path(data, name):
    """The wheel's path in the site, under a folder named by its content's hash."""
    return f"assets/wheels/{hashlib.sha256(data).hexdigest()[:16]}/{name}"
