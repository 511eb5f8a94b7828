"""pytest plugin: one test per snippet of every Markdown page under docs/.

Enable it with `-p lessonkit.pytest_plugin` (in pyproject's addopts). Test ids
name the page and the line of the snippet's opening fence:

    docs/chapter-2/2.1-values-and-expressions.md::L42

A test runs its page in a worker, as the site build does (from the same cache),
so a snippet runs after the page's earlier snippets. A failure shows the
snippet's traceback mapped to the page, or the diff of its output fence.

An exercise gives two tests of its own: its starter's (the starter must fail
the checks) and its checks' (the solution must pass them). A page whose front
matter says `builds-on` gets a `builds-on` test: the earlier solutions it
runs first must run on it too.
"""

from functools import cached_property

import pytest

from lessonkit.batch import run_cached
from lessonkit.cache import Cache
from lessonkit.check import check_prelude, check_snippet
from lessonkit.job import snippets_to_run
from lessonkit.builds_on import with_prelude
from lessonkit.parse import ParseError, parse_page

DOCS = "docs"


def pytest_collect_file(file_path, parent):
    docs = parent.config.rootpath / DOCS
    if file_path.suffix == ".md" and docs in file_path.parents:
        return LessonFile.from_parent(parent, path=file_path)
    return None


class LessonFile(pytest.File):
    """A Markdown page; its snippets are its tests."""

    def collect(self):
        root = self.config.rootpath
        try:
            self.page = with_prelude(parse_page(self.path.read_text(encoding="utf-8"),
                                                 self.path.relative_to(root).as_posix()), root)
        except ParseError as error:
            raise self.CollectError(str(error)) from None
        todo = snippets_to_run(self.page)
        if self.page.prelude and todo:  # the prelude runs only before the page's own snippets
            yield PreludeItem.from_parent(self, name="builds-on")
        for index in sorted(todo):
            yield SnippetItem.from_parent(self, name=f"L{self.page.snippets[index].line}", index=index)

    @cached_property
    def page_run(self):
        """The page's run, done once for all of its tests."""
        root = self.config.rootpath
        return run_cached(self.page, root, Cache(root))


class SnippetProblem(Exception):
    """A snippet that failed or printed something else than its page says."""


class LessonItem(pytest.Item):
    """A test of a lesson page; its failure reads as the build reports it."""

    def repr_failure(self, excinfo):
        if isinstance(excinfo.value, SnippetProblem):
            return str(excinfo.value)
        return super().repr_failure(excinfo)


class SnippetItem(LessonItem):
    def __init__(self, *, index, **kwargs):
        super().__init__(**kwargs)
        self.index = index

    def runtest(self):
        page = self.parent.page
        result = self.parent.page_run.results[self.index]
        if not result.ran:
            pytest.skip("not run: an earlier snippet on this page timed out or crashed")
        problem = check_snippet(page, page.snippets[self.index], result)
        if problem:
            raise SnippetProblem(str(problem))

    def reportinfo(self):
        snippet = self.parent.page.snippets[self.index]
        return self.path, snippet.line - 1, f"{self.parent.page.path}:{snippet.line}"


class PreludeItem(LessonItem):
    """The earlier exercises' solutions that a page builds on run without error before its snippets."""

    def runtest(self):
        page, run = self.parent.page, self.parent.page_run
        problems = [check_prelude(page, *pair) for pair in zip(page.prelude_snippets, run.prelude)]
        if any(problems):
            raise SnippetProblem("\n\n".join(str(problem) for problem in problems if problem))

    def reportinfo(self):
        return self.path, 0, f"{self.parent.page.path}: builds-on"

