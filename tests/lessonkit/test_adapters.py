"""Hostile pages, as each adapter meets them: `mkdocs build --strict`, pytest and `python -m lessonkit check`.

Each adapter runs once per project, on small pages that hold many cases at
once, so that every case is tested through all three without a build apiece.
"""

import os
import subprocess
import sys
import textwrap

import pytest

from shared_runtime import share_runtime

ADAPTERS = ["mkdocs", "pytest", "cli"]
CONFIG = """\
site_name: adapters
theme: mkdocs
markdown_extensions:
  - admonition
  - pymdownx.details
  - pymdownx.superfences
plugins:
  - lessonkit
"""


def project(tmp_path, pages, files=None):
    """A project in tmp_path: mkdocs.yml, pytest.ini and the given pages and files under docs/."""
    (tmp_path / "mkdocs.yml").write_text(CONFIG)
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    share_runtime(tmp_path)
    for name, text in {**pages, **(files or {})}.items():
        path = tmp_path / "docs" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"))
    return tmp_path


def run_adapter(adapter, folder):
    """Run one adapter over the project's docs/; its exit status and everything it printed."""
    command = {
        "mkdocs": ["-m", "mkdocs", "build", "--strict", "-d", str(folder / "out")],
        "pytest": ["-m", "pytest", "-p", "lessonkit.pytest_plugin", "-p", "no:cacheprovider", "-q",
                   "--continue-on-collection-errors", "docs"],
        "cli": ["-m", "lessonkit", "check", "docs"],
    }[adapter]
    environment = {name: value for name, value in os.environ.items() if name != "PYTEST_ADDOPTS"}  # the outer run's
    done = subprocess.run([sys.executable, *command], cwd=folder, capture_output=True, text=True, timeout=120,
                          env={**environment, "NO_MKDOCS_2_WARNING": "true"})
    return done.returncode, done.stdout + done.stderr


FAILURES = """
    ---
    max-output: 1000
    ---

    # Failures

    ```python
    import asyncio
    await asyncio.sleep(0)
    ```

    ```python
    print("x" * 2000)
    ```

    ```python
    import ctypes
    ctypes.string_at(0)
    ```

    ```python
    print("not run")
    ```
    """


@pytest.mark.parametrize("adapter", ADAPTERS)
def test_each_failure_is_reported_with_its_page_and_line(adapter, tmp_path):
    status, said = run_adapter(adapter, project(tmp_path, {"failures.md": FAILURES}))
    assert status != 0
    for expected in [
        "docs/failures.md:7: raised SyntaxError",
        "SyntaxError: 'await' outside function",
        "docs/failures.md:12: printed 2,001 bytes, more than the limit of 1,000",
        "docs/failures.md:16: the worker process was killed by SIGSEGV while running this snippet",
    ]:
        assert expected in said, f"{adapter} did not say {expected!r}:\n{said}"


EFFECTS = {
    "chapter/effects.md": """
        # Side effects

        ```python build-only="it imports a module next to the page, which the page's Python has not"
        import os, subprocess, sys
        from pathlib import Path
        import helper
        words = (Path(os.environ["PAGE_DIR"]) / "words.txt").read_text().split()
        print(helper.shout(words[0]))
        Path("scratch.txt").write_text("written where the snippet runs")
        child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)", "lessonkit-adapter-orphan"])
        print("\\x1b[32mgreen\\x1b[0m")
        ```

        ```output
        HELLO!
        green
        ```
        """,
}
EFFECT_FILES = {"chapter/words.txt": "hello world\n",
                "chapter/helper.py": "def shout(word):\n    return word.upper() + '!'\n"}


PLOTS = """
    # Plots

    ```python build-only="it draws with matplotlib, which the page's Python has not"
    import matplotlib.pyplot as plt

    class Unsafe:
        def _repr_html_(self):
            return '<b onclick="steal()">bold</b><script>steal()</script>'

    fig, ax = plt.subplots(figsize=(2, 1))
    ax.plot([0, 1], [1, 0])
    display(Unsafe())
    ```

    ```output
    <Unsafe>
    <Figure size 200x100 with 1 Axes>
    ```
    """


@pytest.mark.parametrize("adapter", ADAPTERS)
def test_snippets_read_next_to_their_page_leave_nothing_behind_and_show_pictures(adapter, tmp_path):
    folder = project(tmp_path, {**EFFECTS, "plots.md": PLOTS}, EFFECT_FILES)
    docs_before = sorted(path.relative_to(folder) for path in (folder / "docs").rglob("*"))
    status, said = run_adapter(adapter, folder)
    assert status == 0, said
    assert sorted(path.relative_to(folder) for path in (folder / "docs").rglob("*")) == docs_before
    listing = subprocess.run(["ps", "-eo", "args"], capture_output=True, text=True).stdout
    assert "lessonkit-adapter-orphan" not in listing.replace("ps -eo args", "")
    if adapter == "mkdocs":
        html = (folder / "out" / "plots" / "index.html").read_text()
        assert '<div class="lessonkit-display"><b>bold</b></div>' in html
        assert '<div class="lessonkit-display"><svg' in html
        assert "&lt;Figure size" not in html.split("</code></pre>", 1)[1]  # the picture took its stand-in's place

    for entry in (folder / ".cache" / "lessonkit").glob("*.json"):
        entry.write_text(entry.read_text()[:40])  # cut short
    (folder / "docs" / "chapter" / "words.txt").write_text("goodbye world\n")
    status, said = run_adapter(adapter, folder)
    assert status != 0
    assert "docs/chapter/effects.md:3: printed something other than its output fence" in said
    assert "-HELLO!\n+GOODBYE!" in said
    problems = [line for line in said.splitlines() if not line.startswith("lessonkit:")]  # not the summary line
    assert "Traceback" not in said and "docs/plots.md" not in "\n".join(problems)  # a damaged entry: a miss, no crash
    if adapter != "pytest":  # pytest shows a passing test's log only on request
        assert "ignoring the cache entry" in said


UNCHECKED = {
    "second-output.md": "```python\nprint(1)\n```\n\n```output\n1\n```\n\n```output\nstale\n```\n",
    "after-prose.md": "```python\nprint(1)\n```\n\nSome prose.\n\n```output\nstale\n```\n",
    "tab.md": '!!! note "Tabbed"\n\n\t```python\n\tprint(1)\n\t```\n',
    "python3.md": "```python3\nprint(1)\n```\n",
    "nested.md": """
        ??? question "Answers"

            !!! note "Inside"

                ```python
                print("nested")
                ```

                ```output
                stale
                ```

        === "A tab"

            ```python
            print("tabbed")
            ```

            ```output
            stale
            ```
        """,
}


@pytest.mark.parametrize("adapter", ADAPTERS)
def test_an_output_or_python_fence_that_nothing_would_check_is_an_error(adapter, tmp_path):
    status, said = run_adapter(adapter, project(tmp_path, UNCHECKED))
    assert status != 0
    for expected in [
        "docs/second-output.md:9: this output fence follows no snippet",
        "docs/after-prose.md:7: this output fence follows no snippet",
        "docs/tab.md:3: this fence is indented with a tab",
        "docs/python3.md:1: ```python3 is never run",
        "docs/nested.md:5: printed something other than its output fence",
        "docs/nested.md:15: printed something other than its output fence",
    ]:
        assert expected in said, f"{adapter} did not say {expected!r}:\n{said}"
