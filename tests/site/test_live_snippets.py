"""What a learner can run in the page runs there on its own, as the page's Run button replays it.

In the page, the snippets marked `build-only` do not run (they need a data file,
or train a model). So every snippet that is not build-only must run without
them, and print what the page shows: it may use only what earlier live
snippets define. The pages are every page of the course's docs folder (from
mkdocs.yml, read as MkDocs reads them); lessonkit says where each snippet runs.
Each page that has both kinds is run with its build-only snippets blanked out,
line numbers kept, in a worker, from the project's cache.
"""

from pathlib import Path

import pytest

from lessonkit import Cache, check_page, parse_page, read_page, run_pages, where, with_prelude
from lessonkit.mkdocs.config import course_of, read_settings

ROOT = Path(__file__).resolve().parents[2]
DOCS, SETTINGS = read_settings(ROOT / "mkdocs.yml")
COURSE = course_of(SETTINGS, ROOT)
PAGES = [read_page(path.relative_to(ROOT), ROOT, COURSE) for path in sorted(DOCS.glob("**/*.md"))]


def live(page):
    return [snippet for snippet in page.snippets if where(page, snippet).live]


def build_only(page):
    """The snippets the build runs and the page does not (its own `build-only`, or the page's)."""
    return [snippet for snippet in page.snippets if where(page, snippet).reason]


MIXED = [page for page in PAGES if live(page) and build_only(page)]


def live_only(page):
    """The page with each build-only snippet and its output fence blanked out, every other line where it was."""
    lines = page.text.splitlines(keepends=True)
    for snippet in build_only(page):
        end = snippet.output.end if snippet.output else snippet.fence.end
        lines[snippet.fence.start:end + 1] = ["\n"] * (end + 1 - snippet.fence.start)
    return with_prelude(parse_page("".join(lines), page.path, page.course), ROOT)


def test_every_page_that_runs_snippets_lets_the_learner_run_some_or_says_why_not():
    ran = [page for page in PAGES if any(where(page, snippet).build for snippet in page.snippets)]
    assert MIXED and ran, f"no page of {DOCS} runs snippets both in the build only and in the page"
    silent = [page.path for page in ran if not live(page) and not page.build_only]
    assert silent == [], "these pages run snippets, none of them in the page, and their front matter does not say " \
                         "why (build-only: \"reason\")"


@pytest.mark.parametrize("page", MIXED, ids=lambda page: page.path)
def test_live_snippets_run_without_the_build_only_ones(page):
    page = live_only(page)
    assert page.snippets, "nothing is left to run in the page"
    [run] = run_pages([page], ROOT, Cache(ROOT))
    problems = check_page(page, run)
    assert not problems, "\n\n".join(map(str, problems))
