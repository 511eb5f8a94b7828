"""The fixture site in tests/fixtures/site, built by `mkdocs build --strict` with the lessonkit plugin."""

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from shared_runtime import share_runtime
from lessonkit import export_notebook, parse_page

FIXTURE = Path(__file__).parents[1] / "fixtures" / "site"


@pytest.fixture
def site(tmp_path):
    """A copy of the fixture site."""
    shutil.copytree(FIXTURE, tmp_path / "site", ignore=shutil.ignore_patterns(".cache"))
    return share_runtime(tmp_path / "site")


def mkdocs_build(site, *arguments, cwd=None):
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site / "out"), *arguments],
                          cwd=cwd or site, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "NO_MKDOCS_2_WARNING": "true"})


def edit(path, old, new):
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


def test_the_fixture_site_builds_with_real_escaped_output_the_same_every_time(site):
    build = mkdocs_build(site)
    assert build.returncode == 0, build.stderr
    html = (site / "out" / "lesson" / "index.html").read_text()
    assert "&lt;script&gt;alert('hi')&lt;/script&gt; 4" in html
    assert '<div class="lessonkit-output highlight"><span class="filename">Output</span>' in html
    island = re.search(r'<script type="application/json" id="lessonkit-page">(.*?)</script>', html)
    assert "import math" not in html.replace(island.group(0), "")  # the hidden setup snippet is not shown
    setup = json.loads(island.group(1))["snippets"][0]
    assert (setup["code"], setup["hidden"], setup["live"]) == ("import math\n", True, True)  # the page replays it
    assert re.search(r'<div class="lessonkit-snippet" data-snippet="L13"', html)

    again = mkdocs_build(site)  # from the cache this time
    assert "lessonkit: 0 snippets run, 2 pages from the cache" in again.stderr
    assert (site / "out" / "lesson" / "index.html").read_text() == html


def test_a_broken_snippet_and_a_wrong_output_fail_strict_naming_each_file_and_line(site):
    edit(site / "docs" / "lesson.md", "answer = 6 * 7", "answer = 6 * seven")
    edit(site / "docs" / "index.md", "total: 10", "total: 11")
    (site / "docs" / "unclosed.md").write_text("# Unclosed\n\n```python\nprint(1)\n")
    build = mkdocs_build(site)
    assert build.returncode != 0
    assert "ERROR   -  docs/unclosed.md:3: the ``` fence opened here is never closed" in build.stderr
    assert "ERROR   -  docs/lesson.md:13: raised NameError" in build.stderr
    assert 'File "docs/lesson.md", line 14, in <module>\n    answer = 6 * seven' in build.stderr
    assert "ERROR   -  docs/index.md:5: printed something other than its output fence" in build.stderr
    assert "-total: 11\n+total: 10" in build.stderr

    edit(site / "docs" / "lesson.md", "answer = 6 * seven", "answer = 6 * 7")
    edit(site / "docs" / "index.md", "total: 11", "total: 10")
    (site / "docs" / "unclosed.md").unlink()
    fixed = mkdocs_build(site)
    assert fixed.returncode == 0, fixed.stderr


def test_the_config_file_may_be_named_in_any_form(site):
    """`-f` relative, relative from another folder, or absolute: the same pages, notebooks and cache."""
    text = (site / "docs" / "lesson.md").read_text()
    forms = [(site, "mkdocs.yml"), (site.parent, "site/mkdocs.yml"), (site / "docs", str(site / "mkdocs.yml"))]
    for number, (cwd, config) in enumerate(forms):
        build = mkdocs_build(site, "-f", config, cwd=cwd)
        assert build.returncode == 0, f"-f {config} from {cwd}:\n{build.stderr}"
        notebook = (site / "out" / "lesson.ipynb").read_text()
        assert notebook == export_notebook(parse_page(text, "docs/lesson.md"))
        if number:
            assert "lessonkit: 0 snippets run, 2 pages from the cache" in build.stderr
    assert not (site.parent / ".cache").exists() and not (site / "docs" / ".cache").exists()
