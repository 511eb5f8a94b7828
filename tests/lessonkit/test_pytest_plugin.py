"""The pytest plugin, run as a user runs it: pytest in a project with a docs/ folder."""

import subprocess
import sys
import textwrap

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
