"""The deepdive wheel that the page's Python installs: built from src/deepdive alone, the same bytes every time.

Not a hook itself: `pyodide_runtime.py` writes the wheel into the built site.
A wheel is a zip file with the package's sources and a `.dist-info` folder
(METADATA, WHEEL, RECORD). Here every entry has a fixed date and mode, entries
go in sorted order, and nothing is compressed, so the bytes depend on the
sources alone, and the wheel's URL can carry the hash of its content.
"""

import base64
import hashlib
import io
import tomllib
import zipfile
from pathlib import Path

NAME = "deepdive"
TAG = "py3-none-any"
DATE = (1980, 1, 1, 0, 0, 0)  # the earliest date a zip entry can hold


def project_version(root):
    """The version in pyproject.toml, which the wheel shares with the project."""
    with open(Path(root) / "pyproject.toml", "rb") as file:
        return tomllib.load(file)["project"]["version"]


def wheel_name(version):
    return f"{NAME}-{version}-{TAG}.whl"


def build_wheel(root):
    """The wheel's bytes, and its file name, for the package in `root`/src/deepdive."""
    version = project_version(root)
    package = Path(root) / "src" / NAME
    files = {f"{NAME}/{path.name}": path.read_bytes() for path in sorted(package.glob("*.py"))}
    info = f"{NAME}-{version}.dist-info"
    files[f"{info}/METADATA"] = (f"Metadata-Version: 2.1\nName: {NAME}\nVersion: {version}\n"
                                 f"Summary: What the GPT Deep Dive course builds: Value, show, draw, nn.\n").encode()
    files[f"{info}/WHEEL"] = (f"Wheel-Version: 1.0\nGenerator: gpt-deep-dive\n"
                              f"Root-Is-Purelib: true\nTag: {TAG}\n").encode()
    record = "".join(f"{name},sha256={digest(data)},{len(data)}\n" for name, data in files.items())
    files[f"{info}/RECORD"] = (record + f"{info}/RECORD,,\n").encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as wheel:
        for name, data in files.items():
            entry = zipfile.ZipInfo(name, DATE)
            entry.external_attr = 0o644 << 16
            wheel.writestr(entry, data)
    return buffer.getvalue(), wheel_name(version)


def digest(data):
    """A RECORD hash: urlsafe base64 of the sha256, without padding."""
    return base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


def wheel_path(data, name):
    """The wheel's path in the site, under a folder named by its content's hash."""
    return f"assets/wheels/{hashlib.sha256(data).hexdigest()[:16]}/{name}"
