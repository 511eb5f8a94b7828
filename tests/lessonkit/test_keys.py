"""What a page's cache key holds: what changes its run (the runtime, the course's default time limit), and nothing
else (the rest of lessonkit, the page's line ends); the same whichever adapter computes it."""

import os
import shutil
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

from mkdocs.structure.files import File

import lessonkit
from lessonkit import Cache, Course, job
from lessonkit.mkdocs.pages import lesson_page

LESSONKIT = Path(lessonkit.__file__).parent
PAGE = "# A page\n\n```python\nx = 6\nprint(x * 7)\n```\n\n```output\n42\n```\n"


def test_editing_the_runtime_reruns_every_page_and_editing_the_rest_of_lessonkit_reruns_none(
        write_page, tmp_path, monkeypatch):
    copy = tmp_path / "lessonkit"
    shutil.copytree(LESSONKIT, copy, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    monkeypatch.setattr(job, "LESSONKIT", copy)
    cache = Cache(tmp_path)
    page = write_page(PAGE)
    key = cache.key(page)
    for name in ["notebook.py", "mkdocs/plugin.py", "render.py", "island.py", "pytest_plugin.py", "__main__.py",
                 "plan.py", "cache.py", "assets/run.js"]:
        with open(copy / name, "a") as file:
            file.write("\n# an edit\n")
        assert cache.key(page) == key, f"editing {name} changed the key"
    for name in job.RUNTIME:  # semantics.py too, whether it exists yet or not
        with open(copy / name, "a") as file:
            file.write("\n# an edit\n")
        assert cache.key(page) != key, f"editing {name} left the key as it was"
        key = cache.key(page)


CONFIG = """\
site_name: keys
theme: mkdocs
plugins:
  - lessonkit:
      timeout: 7
"""


def test_a_crlf_page_has_one_key_from_the_command_line_pytest_and_mkdocs(tmp_path):
    (tmp_path / "mkdocs.yml").write_text(CONFIG)
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "page.md").write_bytes(b"\xef\xbb\xbf" + PAGE.replace("\n", "\r\n").encode())  # and a BOM
    entries = tmp_path / ".cache" / "lessonkit"
    environment = {**os.environ, "NO_MKDOCS_2_WARNING": "true"}

    cli = subprocess.run([sys.executable, "-m", "lessonkit", "check"], cwd=tmp_path, capture_output=True,
                         text=True, timeout=120, env=environment)
    assert cli.returncode == 0, cli.stderr
    keys = {entry.stem for entry in entries.glob("*.json")}
    assert len(keys) == 1

    tests = subprocess.run([sys.executable, "-m", "pytest", "-p", "lessonkit.pytest_plugin", "-p", "no:cacheprovider",
                            "docs"], cwd=tmp_path, capture_output=True, text=True, timeout=120, env=environment)
    assert tests.returncode == 0, tests.stdout
    assert "lessonkit: 0 pages run, 1 from the cache" in tests.stdout
    assert {entry.stem for entry in entries.glob("*.json")} == keys

    file = File("page.md", src_dir=str(tmp_path / "docs"), dest_dir=str(tmp_path / "site"), use_directory_urls=True)
    page = lesson_page(file, SimpleNamespace(config_file_path=str(tmp_path / "mkdocs.yml")),
                       Course(timeout=7))
    assert {Cache(tmp_path).key(page)} == keys
    assert page.snippets[0].options.timeout == 7.0  # the settings' default, as the other two gave it


SLOW = "```python\nimport time\ntime.sleep(30)\n```\n"


def test_pytest_and_the_command_line_read_the_docs_folder_and_the_time_limit_from_mkdocs_yml(tmp_path):
    (tmp_path / "mkdocs.yml").write_text("site_name: s\ndocs_dir: lessons\nplugins:\n  - lessonkit:\n      timeout: 1\n")
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    (tmp_path / "lessons").mkdir()
    (tmp_path / "lessons" / "slow.md").write_text(SLOW)
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "not-a-lesson.md").write_text("```python\nraise SystemExit('collected')\n```\n")

    tests = subprocess.run([sys.executable, "-m", "pytest", "-p", "lessonkit.pytest_plugin", "-p", "no:cacheprovider",
                            "-q", "lessons", "docs"], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert "1 failed" in tests.stdout and "lessons/slow.md:1: timed out" in tests.stdout, tests.stdout
    assert "did not finish within 1 s" in tests.stdout and "not-a-lesson" not in tests.stdout

    cli = subprocess.run([sys.executable, "-m", "lessonkit", "check"], cwd=tmp_path, capture_output=True,
                         text=True, timeout=120)
    assert cli.returncode == 1
    assert "lessons/slow.md:1: timed out" in cli.stderr and "did not finish within 1 s" in cli.stderr
    assert "lessonkit check: 1 pages" in cli.stderr  # lessons/ only
