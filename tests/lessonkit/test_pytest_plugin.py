"""The pytest plugin, run as a user runs it: pytest in a project with a docs/ folder, its pages run in parallel."""

import re
import subprocess
import sys
import textwrap
import time

from shared_runtime import share_runtime

PAGE = """\
# A lesson

```python
x = 2
```

```python
print(x * 21)
```

```output
42
```

```python norun
not a test
```

```python
print(x)
```

```output
3
```
"""


def pytest_in(project, *arguments):
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "lessonkit.pytest_plugin", "-p", "no:cacheprovider",
                           "-q", *arguments], cwd=project, capture_output=True, text=True, timeout=120)


def test_one_test_per_snippet_with_file_and_line_ids(tmp_path):
    (tmp_path / "docs" / "chapter").mkdir(parents=True)
    (tmp_path / "docs" / "chapter" / "lesson.md").write_text(PAGE)
    (tmp_path / "pytest.ini").write_text("[pytest]\n")

    collected = pytest_in(tmp_path, "--collect-only", "docs")
    assert collected.stdout.splitlines()[:3] == [
        "docs/chapter/lesson.md::L3", "docs/chapter/lesson.md::L7", "docs/chapter/lesson.md::L19"]

    result = pytest_in(tmp_path, "docs")
    assert result.returncode == 1
    assert "2 passed" in result.stdout and "1 failed" in result.stdout
    assert textwrap.dedent("""\
        docs/chapter/lesson.md:19: printed something other than its output fence""") in result.stdout
    assert "-3\n+2" in result.stdout


def test_running_one_test_runs_the_earlier_snippets_of_its_page_first(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "lesson.md").write_text(PAGE)
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    result = pytest_in(tmp_path, "docs/lesson.md::L7")
    assert result.returncode == 0, result.stdout
    assert "1 passed" in result.stdout


TIMED = """\
```python
import os, time
with open(os.environ["RUNS_LOG"], "a") as log:
    log.write(f"{name!r} start {{time.time()}}\\n")
time.sleep(1.5)
with open(os.environ["RUNS_LOG"], "a") as log:
    log.write(f"{name!r} end {{time.time()}}\\n")
```
"""


def logged_runs(log):
    """{page: (start, end)} for each page that ran, from the lines its snippet wrote."""
    runs = {}
    for line in log.read_text().splitlines() if log.exists() else []:
        page, event, when = line.split()
        runs.setdefault(page.strip("'"), {})[event] = float(when)
    return {page: (times["start"], times.get("end")) for page, times in runs.items()}


def timed_project(tmp_path, names):
    (tmp_path / "docs").mkdir(parents=True)
    for name in names:
        (tmp_path / "docs" / f"{name}.md").write_text(TIMED.format(name=name))
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    return tmp_path


def test_pages_run_in_parallel_and_only_those_of_the_tests_left_after_deselection(tmp_path, monkeypatch):
    project = timed_project(tmp_path / "project", ["alpha", "beta", "gamma"])
    (project / "mkdocs.yml").write_text("site_name: parallel\nplugins:\n  - lessonkit:\n      jobs: 2\n")
    log = tmp_path / "runs.log"
    monkeypatch.setenv("RUNS_LOG", str(log))

    result = pytest_in(project, "docs", "-k", "alpha or beta")
    assert result.returncode == 0 and "2 passed, 1 deselected" in result.stdout, result.stdout
    runs = logged_runs(log)
    assert sorted(runs) == ["alpha", "beta"]  # gamma's tests were deselected: its page never ran
    (alpha_start, alpha_end), (beta_start, beta_end) = runs["alpha"], runs["beta"]
    assert alpha_start < beta_end and beta_start < alpha_end  # at the same time
    assert "lessonkit: 2 pages run, 0 from the cache; the longest run: docs/" in result.stdout

    log.unlink()
    result = pytest_in(project, "docs/gamma.md")
    assert result.returncode == 0 and "1 passed" in result.stdout, result.stdout
    assert sorted(logged_runs(log)) == ["gamma"]


def test_a_page_runs_once_when_pytest_and_a_mkdocs_build_want_it_at_the_same_time(tmp_path, monkeypatch):
    project = timed_project(tmp_path / "project", ["alpha", "beta"])
    (project / "mkdocs.yml").write_text("site_name: both\ntheme: mkdocs\nplugins:\n  - lessonkit\n")
    share_runtime(project)
    log = tmp_path / "runs.log"
    monkeypatch.setenv("RUNS_LOG", str(log))
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "true")

    build = subprocess.Popen([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(tmp_path / "site")],
                             cwd=project, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    tests = pytest_in(project, "docs")
    built = build.communicate(timeout=120)[0]
    assert tests.returncode == 0, tests.stdout
    assert build.returncode == 0, built
    assert sorted(logged_runs(log)) == ["alpha", "beta"]
    assert len(log.read_text().splitlines()) == 4  # each page started and ended once, in one of the two
    ran_here = int(re.search(r"lessonkit: (\d) pages? run", tests.stdout)[1])
    ran_there = int(re.search(r"lessonkit: (\d) snippets run", built)[1])
    assert ran_here + ran_there == 2
    assert not list((project / ".cache" / "lessonkit").glob("*.lock"))  # each lock is gone with its run


def test_stopping_at_the_first_failure_stops_the_pages_still_running(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a-fails.md").write_text("```python\nraise ValueError('the first failure')\n```\n")
    (tmp_path / "docs" / "b-slow.md").write_text("```python timeout=90\nimport time\ntime.sleep(90)\n```\n")
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    start = time.monotonic()
    result = pytest_in(tmp_path, "-x", "docs")
    assert "1 failed" in result.stdout and "the first failure" in result.stdout, result.stdout
    assert time.monotonic() - start < 30  # not the 90 s the slow page would take
