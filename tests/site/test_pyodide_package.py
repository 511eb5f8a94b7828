"""Fetching the pinned Pyodide into the cache: its hash is checked, only the runtime's files are kept."""

import base64
import hashlib
import io
import tarfile

import pytest

import pyodide_package  # from docs/overrides/hooks (tests/conftest.py)


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
    """Serve a tarball from a file:// URL, pinned with its real integrity unless told otherwise."""
    def publish(files, integrity=None):
        tarball = tmp_path / "pyodide.tgz"
        tarball.write_bytes(npm_tarball(files))
        real = "sha512-" + base64.b64encode(hashlib.sha512(tarball.read_bytes()).digest()).decode()
        monkeypatch.setattr(pyodide_package, "TARBALL", tarball.as_uri())
        monkeypatch.setattr(pyodide_package, "INTEGRITY", integrity or real)
        return tarball
    return publish


RUNTIME = {name: f"contents of {name}".encode() for name in pyodide_package.RUNTIME_FILES}


def test_fetch_keeps_only_the_runtime_files_and_then_uses_the_cache(tmp_path, registry):
    tarball = registry({**RUNTIME, "console.html": b"<html>", "pyodide.js.map": b"{}"})
    assert "make runtime" in pyodide_package.missing(tmp_path)

    folder = pyodide_package.fetch(tmp_path)

    assert pyodide_package.missing(tmp_path) is None
    kept = sorted(path.name for path in folder.iterdir())
    assert kept == sorted([*pyodide_package.RUNTIME_FILES, pyodide_package.STAMP])
    assert (folder / "pyodide.asm.wasm").read_bytes() == b"contents of pyodide.asm.wasm"
    tarball.unlink()  # a second fetch does not download
    assert pyodide_package.fetch(tmp_path) == folder


def test_a_download_that_does_not_match_its_hash_is_refused_and_nothing_is_kept(tmp_path, registry):
    registry(RUNTIME, integrity="sha512-" + base64.b64encode(b"\0" * 64).decode())
    with pytest.raises(pyodide_package.RuntimeMissing, match="does not match its pinned hash"):
        pyodide_package.fetch(tmp_path)
    assert not pyodide_package.cache_folder(tmp_path).exists()


def test_no_network_says_how_to_fetch(tmp_path, registry):
    registry(RUNTIME).unlink()
    with pytest.raises(pyodide_package.RuntimeMissing) as failure:
        pyodide_package.fetch(tmp_path)
    assert "could not download Pyodide" in str(failure.value)
    assert "run `make runtime`" in str(failure.value)


def test_a_package_without_a_runtime_file_is_refused(tmp_path, registry):
    registry({name: data for name, data in RUNTIME.items() if name != "python_stdlib.zip"})
    with pytest.raises(pyodide_package.RuntimeMissing, match="has no file python_stdlib.zip"):
        pyodide_package.fetch(tmp_path)
    assert "make runtime" in pyodide_package.missing(tmp_path)


def test_a_cache_of_another_version_counts_as_missing(tmp_path, registry):
    registry(RUNTIME)
    folder = pyodide_package.fetch(tmp_path)
    (folder / pyodide_package.STAMP).write_text("sha512-of-another-version\n")
    assert "is not in" in pyodide_package.missing(tmp_path)
