"""Small projects for what the course's own pages do not show: no runtime, hidden setup, build-only snippets.

Each project is a tiny copy of the course's set-up in a temporary folder, with
the real hooks and scripts and a page of its own.
"""

import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from playwright.sync_api import expect
from shared_runtime import share_runtime

pytestmark = pytest.mark.xdist_group("run-small-projects")  # one process (pytest -n) makes its module fixtures once

ROOT = Path(__file__).resolve().parents[2]
NOWHERE = "file:///nonexistent/registry"
PAGE = '''
# Offline

```python
print(1 + 1)
```

```python build-only="it draws with matplotlib"
print("a plot")
```
'''
CONFIG = f"""
site_name: no runtime
theme:
  name: material
  font: false
markdown_extensions: [attr_list, md_in_html, pymdownx.superfences, pymdownx.highlight]
plugins:
  - lessonkit:
      pyodide:
        registry: {NOWHERE}  # the runtime cannot be fetched
extra_css: [assets/stylesheets/lesson.css]
"""


SETUP_AND_BUILD_ONLY = '''
# Replay

```python hidden
secret = 41
```

```python build-only="it needs numpy"
secret = 0
```

```python
print(secret + 1)
```

```output
1
```
'''


def make_project(root, page):
    """A project in `root` with this one page, the lessonkit plugin and the course's look, and no runtime in its cache."""
    (root / "mkdocs.yml").write_text(textwrap.dedent(CONFIG))
    shutil.copy(ROOT / "pyproject.toml", root)
    (root / "src").symlink_to(ROOT / "src")
    shutil.copytree(ROOT / "docs" / "assets", root / "docs" / "assets")
    (root / "docs" / "index.md").write_text(page)
    return root


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """A project whose cache lacks Pyodide, which cannot be fetched."""
    return make_project(tmp_path_factory.mktemp("project"), PAGE)


def build(project, *strict):
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", *strict, "-d", str(project / "site")],
                          cwd=project, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "NO_MKDOCS_2_WARNING": "true"})


def test_the_strict_build_stops_with_one_message_saying_how_to_fetch(project):
    built = build(project, "--strict")
    assert built.returncode != 0
    errors = [line for line in built.stderr.splitlines() if line.startswith(("ERROR", "WARNING"))]
    assert len(errors) == 1, built.stderr
    assert "could not download Pyodide 314.0.8" in errors[0] and "run `python -m lessonkit runtime`" in errors[0]


def test_a_served_page_says_why_run_is_unavailable(project, browser):
    built = build(project)
    assert built.returncode == 0, built.stderr
    assert "Run buttons are unavailable" in built.stderr
    context = browser.new_context()
    outside = []
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:")
                  else (outside.append(route.request.url), route.abort()))
    page = context.new_page()
    page.goto((project / "site" / "index.html").as_uri())
    live, build_only = page.locator("[data-snippet]").all()
    expect(live.get_by_role("button", name="Run")).to_be_disabled()
    expect(live.get_by_text("Run is unavailable: could not download Pyodide 314.0.8")).to_be_visible()
    expect(live.get_by_text("run `python -m lessonkit runtime`")).to_be_visible()
    expect(build_only.get_by_role("button", name="Run")).to_have_count(0)
    expect(build_only.get_by_text("Runs in the build only: it draws with matplotlib.")).to_be_visible()
    expect(build_only.locator(".lessonkit-output")).to_have_text(re.compile("a plot"))  # the build's output stays
    context.close()
    assert outside == []


def test_replay_runs_hidden_setup_and_skips_build_only_snippets(tmp_path, browser, serve):
    project = make_project(tmp_path, SETUP_AND_BUILD_ONLY)
    share_runtime(project)
    built = build(project, "--strict")
    assert built.returncode == 0, built.stderr
    url = serve(project / "site")
    context = browser.new_context()
    outside = []
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(url)
                  else (outside.append(route.request.url), route.abort()))
    page = context.new_page()
    page.goto(url)
    page.wait_for_function("crossOriginIsolated")  # coi-serviceworker's one reload is done (conftest's Visit.open)
    page.wait_for_load_state("load")
    expect(page.get_by_text("secret = 41")).to_have_count(0)  # hidden
    last = page.locator("[data-snippet]").last
    expect(last.get_by_role("status")).to_have_text(re.compile(r"^\s*Output\s*1\s*$"))  # the build ran them all
    last.get_by_role("button", name="Run").click()
    expect(last.get_by_role("status")).to_have_text(re.compile(r"^\s*Output\s*42\s*$"), timeout=90_000)
    context.close()
    assert outside == []
