"""pytest plugin: one test per snippet of every Markdown page under docs/.

Enable it with `-p lessonkit.pytest_plugin` (in pyproject's addopts). Test ids
name the page and the line of the snippet's opening fence:

    docs/chapter-2/2.1-values-and-expressions.md::L42

A test runs its page in a worker, as the site build does (from the same cache),
so a snippet runs after the page's earlier snippets. A failure shows the
snippet's traceback mapped to the page, or the diff of its output fence.
"""

from functools import cached_property

import pytest

from lessonkit.batch import run_cached
from lessonkit.cache import Cache
from lessonkit.check import check_snippet
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
            self.page = parse_page(self.path.read_text(encoding="utf-8"), self.path.relative_to(root).as_posix())
        except ParseError as error:
            raise self.CollectError(str(error)) from None
        for index, snippet in enumerate(self.page.snippets):
            if self.page.runs(snippet):
                yield SnippetItem.from_parent(self, name=f"L{snippet.line}", index=index)

    @cached_property
    def page_run(self):
        """The page's run, done once for all of its tests."""
        root = self.config.rootpath
        return run_cached(self.page, root, Cache(root))


class SnippetProblem(Exception):
    """A snippet that failed or printed something else than its page says."""


class SnippetItem(pytest.Item):
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

    def repr_failure(self, excinfo):
        if isinstance(excinfo.value, SnippetProblem):
            return str(excinfo.value)
        return super().repr_failure(excinfo)

    def reportinfo(self):
        snippet = self.parent.page.snippets[self.index]
        return self.path, snippet.line - 1, f"{self.parent.page.path}:{snippet.line}"
