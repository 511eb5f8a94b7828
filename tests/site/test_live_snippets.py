"""What a learner reads in the page, the learner can run there.

The course allows at most three build-only snippets (the labs' build-only cells
count too), each listed with its reason in docs/contributing.md, and every page
that runs snippets lets the learner run them. The pages are every page of the
course's docs folder (from mkdocs.yml, read as MkDocs reads them); lessonkit
says where each snippet runs. That each live snippet then prints in the page
what the build printed, run in page order as Run replays it, is
tests/browser/test_parity.py's business.
"""

from pathlib import Path

import jupytext

from lessonkit import read_page, where
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


def test_at_most_three_snippets_of_the_course_are_build_only_each_listed_with_its_reason():
    lessons = [f"{page.path}:{snippet.line}" for page in PAGES for snippet in build_only(page)]
    labs = [f"{lab.relative_to(ROOT).as_posix()} cell {number}" for lab in sorted(DOCS.glob("**/lab-*.py"))
            for number, cell in enumerate(jupytext.read(lab).cells, start=1)
            if "build-only" in cell.metadata.get("tags", [])]
    assert len(lessons + labs) <= 3, f"the course allows three build-only snippets, and has: {lessons + labs}"
    contributing = (DOCS / "contributing.md").read_text(encoding="utf-8")
    unlisted = [name for name in lessons + labs if name.split(":")[0].split(" cell")[0] not in contributing]
    assert unlisted == [], "docs/contributing.md's list of build-only snippets does not name these"


def test_every_page_that_runs_snippets_lets_the_learner_run_them():
    ran = [page for page in PAGES if any(where(page, snippet).build for snippet in page.snippets)]
    silent = [page.path for page in ran if not live(page)]
    assert ran and silent == [], "these pages run snippets, none of them in the page"
