"""Fetching the pinned Pyodide into the cache: its hash is checked, only the runtime's files are kept."""

import base64
import hashlib
import io
import tarfile

import pytest

from lessonkit.mkdocs import pyodide as pyodide_package
from lessonkit.mkdocs.pyodide import Pyodide


def npm_tarball(files):
    """An npm package tarball: each file under package/."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, data in files.items():
            entry = tarfile.TarInfo(f"package/{name}")
            entry.size = len(data)
            archive.addfile(entry, io.BytesIO(data))
    return buffer.getvalue()


@pytest.fixture
def registry(tmp_path, monkeypatch):
    """Serve a tarball from a file:// registry; the runtime it gives is pinned with the tarball's real integrity
    unless told otherwise, and kept in tmp_path/cache."""
    def publish(files, integrity=None):
        tarball = tmp_path / "registry" / "pyodide" / "-" / f"pyodide-{pyodide_package.VERSION}.tgz"
        tarball.parent.mkdir(parents=True, exist_ok=True)
        tarball.write_bytes(npm_tarball(files))
        real = "sha512-" + base64.b64encode(hashlib.sha512(tarball.read_bytes()).digest()).decode()
        runtime = Pyodide(tmp_path / "cache", integrity=integrity or real, registry=(tmp_path / "registry").as_uri())
        return runtime, tarball
    return publish


RUNTIME = {name: f"contents of {name}".encode() for name in pyodide_package.RUNTIME_FILES}


def test_fetch_keeps_only_the_runtime_files_and_then_uses_the_cache(registry):
    runtime, tarball = registry({**RUNTIME, "console.html": b"<html>", "pyodide.js.map": b"{}"})
    assert "python -m lessonkit runtime" in runtime.missing()

    folder = runtime.fetch()

    assert runtime.missing() is None
    kept = sorted(path.name for path in folder.iterdir())
    assert kept == sorted([*pyodide_package.RUNTIME_FILES, pyodide_package.STAMP])
    assert (folder / "pyodide.asm.wasm").read_bytes() == b"contents of pyodide.asm.wasm"
    tarball.unlink()  # a second fetch does not download
    assert runtime.fetch() == folder


def test_a_download_that_does_not_match_its_hash_is_refused_and_nothing_is_kept(registry):
    runtime, _ = registry(RUNTIME, integrity="sha512-" + base64.b64encode(b"\0" * 64).decode())
    with pytest.raises(pyodide_package.RuntimeMissing, match="does not match its pinned hash"):
        runtime.fetch()
    assert not runtime.folder.exists()


def test_no_network_says_how_to_fetch(registry):
    runtime, tarball = registry(RUNTIME)
    tarball.unlink()
    with pytest.raises(pyodide_package.RuntimeMissing) as failure:
        runtime.fetch()
    assert "could not download Pyodide" in str(failure.value)
    assert "run `python -m lessonkit runtime`" in str(failure.value)


def test_a_package_without_a_runtime_file_is_refused(registry):
    runtime, _ = registry({name: data for name, data in RUNTIME.items() if name != "python_stdlib.zip"})
    with pytest.raises(pyodide_package.RuntimeMissing, match="has no file python_stdlib.zip"):
        runtime.fetch()
    assert "python -m lessonkit runtime" in runtime.missing()


def test_a_cache_of_another_version_counts_as_missing(registry):
    runtime, _ = registry(RUNTIME)
    folder = runtime.fetch()
    (folder / pyodide_package.STAMP).write_text("sha512-of-another-version\n")
    assert "is not in" in runtime.missing()
