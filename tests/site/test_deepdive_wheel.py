"""The deepdive wheel the page installs: deepdive alone (its data too), the same bytes on every build, importable as is."""

import hashlib
import io
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from lessonkit.mkdocs import wheel as deepdive_wheel

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "src" / "deepdive"


def test_two_builds_give_the_same_bytes_at_a_path_named_by_their_hash():
    first, name = deepdive_wheel.build_wheel(PACKAGE)
    second, _ = deepdive_wheel.build_wheel(PACKAGE)
    assert first == second
    assert name == f"deepdive-{deepdive_wheel.project_version(PACKAGE)}-py3-none-any.whl"
    path = deepdive_wheel.wheel_path(first, name)
    assert path == f"assets/wheels/{hashlib.sha256(first).hexdigest()[:16]}/{name}"


def test_it_holds_the_deepdive_files_and_its_metadata_only():
    data, _ = deepdive_wheel.build_wheel(PACKAGE)
    with zipfile.ZipFile(io.BytesIO(data)) as wheel:
        names = wheel.namelist()
        sources = sorted(path.relative_to(PACKAGE).as_posix() for path in PACKAGE.rglob("*")
                         if path.is_file() and "__pycache__" not in path.parts)
        assert sorted(n.removeprefix("deepdive/") for n in names if n.startswith("deepdive/")) == sources
        info = f"deepdive-{deepdive_wheel.project_version(PACKAGE)}.dist-info"
        metadata = [f"{info}/{file}" for file in ("METADATA", "RECORD", "WHEEL")]
        assert sorted(n for n in names if not n.startswith("deepdive/")) == metadata
        assert wheel.read("deepdive/engine.py") == (ROOT / "src" / "deepdive" / "engine.py").read_bytes()
        record = wheel.read(f"{info}/RECORD").decode()
        assert f"deepdive/engine.py,sha256={deepdive_wheel.digest(wheel.read('deepdive/engine.py'))}," in record


def test_a_python_without_the_project_imports_deepdive_from_the_wheel(tmp_path):
    data, name = deepdive_wheel.build_wheel(PACKAGE)
    wheel = tmp_path / name
    wheel.write_bytes(data)
    code = ("import sys; sys.path.insert(0, sys.argv[1]); import deepdive; from deepdive import Value, show\n"
            "a = Value(2.0); b = Value(-3.0); c = a * b; show(c)\n"
            "print(deepdive.__file__)")
    # -S: no site-packages, so the project's own install cannot answer the import
    ran = subprocess.run([sys.executable, "-S", "-c", code, str(wheel)], capture_output=True, text=True, cwd=tmp_path)
    assert ran.returncode == 0, ran.stderr
    assert 'c\ndata: -6.0\n_op: "*"\n_prev: {a, b}' in ran.stdout
    assert ran.stdout.strip().endswith(f"{name}/deepdive/__init__.py")


def site_wheel(folder):
    data, name = deepdive_wheel.build_wheel(PACKAGE)
    (folder / name).write_bytes(data)
    return folder / name


def pip_wheel(folder):
    """The wheel `pip install .` installs: built by pip from the project, as a learner's pip would."""
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
                    "--wheel-dir", str(folder), str(ROOT)], check=True, capture_output=True)
    return next(folder.glob("gpt_deep_dive-*.whl"))


@pytest.mark.parametrize("make_wheel", [site_wheel, pip_wheel], ids=["the site's wheel", "pip's wheel"])
def test_each_wheel_carries_the_names_that_read_names_reads(make_wheel, tmp_path):
    wheel = make_wheel(tmp_path)
    unpacked = tmp_path / "installed"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(unpacked)
        assert "deepdive/names-LICENSE.txt" in archive.namelist()  # the licence travels with the data
    code = ("import sys; sys.path.insert(0, sys.argv[1])\n"
            "import deepdive\nfrom deepdive.data import read_names\n"
            "names = read_names(); print(len(names), names[0], names[-1]); print(deepdive.__file__)")
    ran = subprocess.run([sys.executable, "-S", "-c", code, str(unpacked)], capture_output=True, text=True,
                         cwd=tmp_path)  # -S, and an empty folder: neither the checkout nor its install can answer
    assert ran.returncode == 0, ran.stderr
    count, first, last, *_ = ran.stdout.split()
    assert (int(count), first, last) == (32033, "emma", "zzyzx")
    assert ran.stdout.strip().endswith(f"installed/deepdive/__init__.py")
