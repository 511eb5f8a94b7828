"""Benchmark: building the course's pages with lessonkit, side by side with markdown-exec, in one run.

Each build is `mkdocs build` in a fresh process, on a temporary copy of the
Markdown pages under docs/ (the real docs are never touched), with the same
theme and Markdown extensions:

1. MkDocs alone, no snippet run: the floor.
2. markdown-exec running the same snippets (`exec="on"`, one session per page).
3. lessonkit, with an empty cache (a cold build).

Then a prose-only edit on every page, and a lessonkit rebuild: its time, and
how many snippets it re-ran. Pages with a snippet that may run longer than the
default time limit (the ones that train a model) are left out: their time is
the engine's, the same under both tools, and tests/bench/chapter3.py times them.
So are pages that read files beside them through PAGE_DIR (chapter 3's data):
the copy holds only the pages' text, and markdown-exec sets no PAGE_DIR.
Targets: a cold build no slower than markdown-exec's, and a prose-edit rebuild
that re-runs 0 snippets.

Last, the output limit: the peak memory of a page's worker while a snippet
prints 1 GB, beside that of a worker whose snippet prints nothing. Target: the
same, give or take the 1 MB that is kept.

Builds of each kind take turns and the fastest counts, as the least disturbed
by whatever else the machine is doing. CPU time (MkDocs and every process it
started) is printed beside wall time: lessonkit spends more CPU, in worker
processes, and wins back wall time by running pages in parallel.
Run with `make bench`.
"""

import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import typing
from pathlib import Path

from lessonkit import DEFAULT_TIMEOUT, parse_page, run_page
from lessonkit.render import splice

PROJECT = Path(__file__).resolve().parents[2]
REPEATS = 5  # builds of each kind, interleaved; the fastest counts, as the least disturbed
CONFIG = """\
site_name: lessonkit benchmark
theme:
  name: material
  font: false
markdown_extensions:
  - toc
  - admonition
  - attr_list
  - md_in_html
  - pymdownx.details
  - pymdownx.superfences
  - pymdownx.highlight
plugins:
  - search
"""


def main():
    pages = sorted((PROJECT / "docs").rglob("*.md"))
    pages = [path for path in pages if "overrides" not in path.relative_to(PROJECT / "docs").parts
             and not needs_more_than_its_text(path)]
    snippets = sum(count_snippets(path) for path in pages)
    with tempfile.TemporaryDirectory(prefix="lessonkit-bench-") as scratch:
        scratch = Path(scratch)
        plain = make_site(scratch / "plain", pages, CONFIG, lambda text, name: text)
        exec_site = make_site(scratch / "markdown-exec", pages, CONFIG + "  - markdown-exec\n", for_markdown_exec)
        lessonkit = make_site(scratch / "lessonkit", pages, CONFIG + "  - lessonkit\n", lambda text, name: text)
        (lessonkit / ".cache").mkdir()
        (lessonkit / ".cache" / "pyodide").symlink_to(PROJECT / ".cache" / "pyodide")  # fetched once, by `make bench`

        print(f"Cold builds of {len(pages)} pages with {snippets} snippets that run (best of {REPEATS}):")
        builds = {plain: [], exec_site: [], lessonkit: []}
        for _ in range(REPEATS):
            shutil.rmtree(lessonkit / ".cache" / "lessonkit", ignore_errors=True)
            for site in builds:
                builds[site].append(build(site))
        (floor, floor_cpu), (other, other_cpu), (ours, ours_cpu) = (
            (min(b.seconds for b in builds[site]), min(b.cpu for b in builds[site]))
            for site in (plain, exec_site, lessonkit))
        print("                              wall     CPU (all processes)")
        print(f"  MkDocs alone, nothing run   {floor:5.2f} s  {floor_cpu:5.2f} s")
        print(f"  markdown-exec               {other:5.2f} s  {other_cpu:5.2f} s")
        print(f"  lessonkit (empty cache)     {ours:5.2f} s  {ours_cpu:5.2f} s   "
              f"{ours / other:.2f}x markdown-exec's wall time (target: at most 1.00x)")

        build(lessonkit)  # warm the cache
        rebuilds = []
        for _ in range(REPEATS):
            for path in (lessonkit / "docs").rglob("*.md"):
                path.write_text(path.read_text(encoding="utf-8") + "\nA sentence added to the prose.\n",
                                encoding="utf-8")
            rebuilds.append(build(lessonkit))
        rerun = max(int(re.search(r"lessonkit: (\d+) snippets run", b.log)[1]) for b in rebuilds)
        print(f"Rebuild after a prose-only edit of every page: {min(b.seconds for b in rebuilds):.2f} s "
              f"(MkDocs alone: {floor:.2f} s), {rerun} snippets re-run (target: 0)")

    (loud, failure), (quiet, _) = output_limit_memory()
    print(f"Output limit: a snippet that prints 1 GB fails with {failure!r}; its worker's peak memory "
          f"{loud:.0f} MB, against {quiet:.0f} MB for a snippet that prints nothing (target: within 5 MB)")


GIGABYTE_PAGE = """\
```python timeout=120
import sys
line = "x" * 999 + "\\n"
for _ in range({lines}):
    sys.stdout.write(line)
```
"""
PEAK_MEMORY = """\
import resource, sys
from lessonkit import parse_page, run_page
[result] = run_page(parse_page(sys.stdin.read(), "docs/page.md")).results
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, result.failure.kind if result.failure else "")
"""


def output_limit_memory():
    """The peak memory (MB) of a worker whose snippet prints 1 GB, and of one whose snippet prints nothing."""
    peaks = []
    for lines in (1_000_000, 0):
        with tempfile.TemporaryDirectory(prefix="lessonkit-bench-") as scratch:
            measured = subprocess.run([sys.executable, "-c", PEAK_MEMORY], cwd=scratch, capture_output=True,
                                      text=True, input=GIGABYTE_PAGE.format(lines=lines), check=True)
        kilobytes, failure = measured.stdout.split("\n")[0].partition(" ")[::2]
        peaks.append((int(kilobytes) / 1024, failure))
    return peaks


def count_snippets(path):
    page = parse_page(path.read_text(encoding="utf-8"), str(path))
    return sum(1 for snippet in page.snippets if page.runs(snippet))


def needs_more_than_its_text(path):
    """Whether the page trains (a snippet allowed more than the default time) or reads files beside it
    (through PAGE_DIR): the benchmark copies only the pages' text, and markdown-exec knows no PAGE_DIR."""
    text = path.read_text(encoding="utf-8")
    page = parse_page(text, str(path))
    trains = any(snippet.options.timeout > DEFAULT_TIMEOUT for snippet in page.snippets if page.runs(snippet))
    return trains or "PAGE_DIR" in text


def make_site(folder, pages, config, transform):
    """A site in `folder` with a copy of each page, passed through transform(text, name)."""
    for path in pages:
        name = path.relative_to(PROJECT).as_posix()
        copy = folder / name
        copy.parent.mkdir(parents=True, exist_ok=True)
        copy.write_text(transform(path.read_text(encoding="utf-8"), name), encoding="utf-8")
    (folder / "mkdocs.yml").write_text(config)
    return folder


def for_markdown_exec(text, name):
    """The page with each snippet that runs as a markdown-exec fence (one session per page), output fences gone."""
    page = parse_page(text, name)
    lines = text.splitlines(keepends=True)
    spans = []
    for snippet in page.snippets:
        if not page.runs(snippet):
            continue
        shown = "" if snippet.options.hidden else ' source="above"'
        opening = f'{snippet.indent}{snippet.fence.marker}python exec="on" session="{name}" result="text"{shown}\n'
        body = "".join(lines[snippet.fence.start + 1:snippet.fence.end + 1])
        end = snippet.output.end if snippet.output else snippet.fence.end
        spans.append((snippet.fence.start, end, opening + body))
    return splice(lines, spans)


class Build(typing.NamedTuple):
    seconds: float  # wall clock
    cpu: float  # user + system time of MkDocs and every process it started
    log: str


def build(site):
    """Build the site in a fresh process."""
    start, before = time.perf_counter(), resource.getrusage(resource.RUSAGE_CHILDREN)
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-d", str(site / "out")], cwd=site,
                            capture_output=True, text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "true"})
    seconds, after = time.perf_counter() - start, resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode:
        sys.exit(f"building {site} failed:\n{result.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Build(seconds, cpu, result.stderr)


if __name__ == "__main__":
    main()
