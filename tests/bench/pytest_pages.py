"""Benchmark: a cold `pytest docs` against the cold run of its longest page.

pytest runs the pages of its tests in parallel, as the build does
(lessonkit.pytest_plugin), so a cold `pytest docs` should take little more
than its longest page. Target: at most 1.3 times as long.

1. `pytest docs` with an empty lessonkit cache (the environment variable
   LESSONKIT_CACHE names a fresh temporary folder): its wall time, and which
   page took longest, and how long, from the plugin's summary line.
2. That page alone, `pytest <page>`, with another empty cache: its wall time.

Both are whole pytest processes, start-up included. The ratio is (1) over (2).
On a machine that other work keeps busy, the two runs see different loads;
the ratio of (1) to the longest page's run inside (1), printed beside it, sees
one. An empty cache holds no earlier run times either, so the pages start in
page order (with them, the longest starts first: lessonkit.batch). Other caches are used as
they are: the course's trained models in .cache/deepdive must be there already
(a build or `make test` trains them), or the cold run trains them too. It takes
about as long as the cold run plus the longest page: two minutes or so on the
2-core machines the site is built on. Run with `make bench`.
"""

import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]
TARGET = 1.3
SUMMARY = re.compile(r"lessonkit: (\d+) pages? run, (\d+) from the cache; the longest run: (\S+), ([\d.]+) s")


def cold_pytest(*arguments):
    """Run pytest on `arguments` with an empty lessonkit cache; its wall time and its output."""
    with tempfile.TemporaryDirectory(prefix="lessonkit-bench-") as cache:
        start = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *arguments],
                              cwd=PROJECT, capture_output=True, text=True,
                              env={**os.environ, "LESSONKIT_CACHE": cache})
        seconds = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"pytest {' '.join(arguments)} failed:\n{done.stdout[-3000:]}{done.stderr[-2000:]}")
    return seconds, done.stdout


def main():
    print("Cold `pytest docs` against its longest page, each with an empty lessonkit cache:")
    whole, said = cold_pytest("docs")
    summary = SUMMARY.search(said)
    if not summary:
        sys.exit(f"pytest docs printed no lessonkit summary line:\n{said[-2000:]}")
    ran, longest, inside = int(summary[1]), summary[3], float(summary[4])
    print(f"  pytest docs:              {whole:6.1f} s  ({ran} pages run; the longest, {longest}, took {inside:.1f} s)")
    alone, _ = cold_pytest(longest)
    print(f"  pytest {longest} alone: {alone:6.1f} s")
    ratio = whole / alone
    print(f"  ratio: {ratio:.2f} (target: at most {TARGET}) {'ok' if ratio <= TARGET else 'OVER TARGET'}; "
          f"against the longest page's run within the whole: {whole / inside:.2f}")


if __name__ == "__main__":
    main()
