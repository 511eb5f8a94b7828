"""A page's live snippets run on their own, as the page's Run button replays them.

In the page, the snippets marked `build-only` do not run (they need a data file,
or train a model). So every snippet that is not build-only must run without
them, and print what the page shows: it may use only what earlier live
snippets define. Each page is run with its build-only snippets blanked out,
line numbers kept, in a worker, from the project's cache.
"""

from pathlib import Path

import pytest

from lessonkit.batch import run_cached
from lessonkit.cache import Cache
from lessonkit.check import check_page
from lessonkit.parse import parse_page

ROOT = Path(__file__).resolve().parents[2]
PAGES = sorted((ROOT / "docs").glob("**/*.md"))


def page_of(path):
    return parse_page(path.read_text(encoding="utf-8"), path.relative_to(ROOT).as_posix())


def mixed(page):
    """Whether the page has both build-only snippets and live ones."""
    runs = [snippet for snippet in page.snippets if page.runs(snippet)]
    build_only = [snippet for snippet in runs if snippet.options.build_only]
    return not page.build_only and 0 < len(build_only) < len(runs)


MIXED = [path for path in PAGES if mixed(page_of(path))]


def live_only(page):
    """The page with each build-only snippet and its output fence blanked out, every other line where it was."""
    lines = page.text.splitlines(keepends=True)
    for snippet in page.snippets:
        if snippet.options.build_only:
            end = snippet.output.end if snippet.output else snippet.fence.end
            lines[snippet.fence.start:end + 1] = ["\n"] * (end + 1 - snippet.fence.start)
    return parse_page("".join(lines), page.path)


def test_chapter_3_mixes_live_and_build_only_snippets():
    assert [path.name for path in MIXED if path.parent.name == "chapter-3"] == [
        "3.1-text-as-numbers.md", "3.2-a-bigram-model-by-counting.md",
        "3.3-softmax-and-cross-entropy.md", "3.4-embeddings-and-an-mlp.md", "3.5-training-well.md",
    ]


@pytest.mark.parametrize("path", MIXED, ids=lambda path: path.relative_to(ROOT).as_posix())
def test_live_snippets_run_without_the_build_only_ones(path):
    page = live_only(page_of(path))
    assert page.snippets, "nothing is left to run in the page"
    run = run_cached(page, ROOT, Cache(ROOT))
    problems = check_page(page, run)
    assert not problems, "\n\n".join(map(str, problems))
