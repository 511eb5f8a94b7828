"""pytest plugin: one test per snippet of every Markdown page in the course's docs folder.

Enable it with `-p lessonkit.pytest_plugin` (in pyproject's addopts). It reads
the same settings as the build: the mkdocs.yml at pytest's rootdir (the ini
option `lessonkit_mkdocs` names another) gives the docs folder (`docs_dir`)
and the lessonkit plugin's settings (the default time limit `timeout`, and
`jobs`, the pages run at once). Test ids name the page and the line of the
snippet's opening fence:

    docs/chapter-2/2.1-values-and-expressions.md::L42

Which snippets are tests is lessonkit.plan's answer: those the build runs.
A test checks its page's run, as the site build does (from the same cache), so
a snippet runs after the page's earlier snippets. A failure shows the snippet's
traceback mapped to the page, or the diff of its output fence.

Pages run in parallel, as the build runs them: once collection is done and
`-k`, `-m` or a file argument has deselected what it deselects, the pages of
the tests that are left start running on a pool of threads, each in its own
worker process, longest first (lessonkit.batch); each test waits for its
page's run. A page runs once per cache key across processes, so a `mkdocs
build` started during the session (the site's tests build it) waits for the
pages pytest is running and reads them from the cache, and the other way
round. When the session stops early (-x, Ctrl-C), pages not started are
dropped and running ones stopped. The terminal summary says how many pages
ran and which took longest.

An exercise gives two tests of its own: its starter's (the starter must fail
the checks) and its checks' (the solution must pass them); and one for each of
its wrong answers (it must fail them, its message saying its `says=` text) and
right answers (it must pass them), named by its line too. A page whose front
matter says `builds-on` gets a `builds-on` test: the earlier solutions it
runs first must run on it too.
"""

from concurrent.futures import ThreadPoolExecutor
from functools import cached_property

import pytest

from lessonkit.batch import default_jobs, run_cached, submit_pages
from lessonkit.builds_on import read_page
from lessonkit.cache import Cache
from lessonkit.check import check_prelude, check_snippet
from lessonkit.parse import ParseError
from lessonkit.plan import build_order
from lessonkit.run import stop_running_pages

MKDOCS_OPTION = "lessonkit_mkdocs"
settings_key = pytest.StashKey()  # config.stash: the course's Settings
runs_key = pytest.StashKey()  # config.stash: LessonFile node id -> Future of its PageRun


class Settings:
    """What the course's mkdocs.yml says: its docs folder, the course's settings, the pages run at once."""

    def __init__(self, config):
        from lessonkit.mkdocs.config import course_of, read_settings  # an adapter may use MkDocs; the core does not

        try:
            docs, settings = read_settings(config.rootpath / config.getini(MKDOCS_OPTION))
        except ValueError as error:  # settings that MkDocs would refuse too
            raise pytest.UsageError(str(error)) from None
        self.docs = docs.resolve()
        self.course = course_of(settings, config.rootpath)
        self.jobs = settings.jobs or default_jobs()
        self.cache = Cache(config.rootpath)


def pytest_addoption(parser):
    parser.addini(MKDOCS_OPTION, "the site's mkdocs.yml, relative to the rootdir, whose docs_dir holds the lessons "
                                 "and whose lessonkit settings give the default time limit", default="mkdocs.yml")


def pytest_configure(config):
    config.stash[runs_key] = {}


def settings(config):
    """The course's settings, read once per session, when the first page is collected."""
    if settings_key not in config.stash:
        config.stash[settings_key] = Settings(config)
    return config.stash[settings_key]


def pytest_collect_file(file_path, parent):
    if file_path.suffix == ".md" and settings(parent.config).docs in file_path.parents:
        return LessonFile.from_parent(parent, path=file_path)
    return None


@pytest.hookimpl(wrapper=True)
def pytest_runtestloop(session):
    """Start the runs of the pages whose tests are left after deselection; stop what is left once the loop ends."""
    config = session.config
    files = {item.parent.nodeid: item.parent for item in session.items if isinstance(item, LessonItem)}
    starting = files and not config.option.collectonly and not (
        session.testsfailed and not config.option.continue_on_collection_errors)
    if not starting:
        return (yield)
    course = settings(config)
    pool = ThreadPoolExecutor(max_workers=course.jobs, thread_name_prefix="lessonkit")
    pages = [file.page for file in files.values()]
    futures = submit_pages(pool, pages, config.rootpath, course.cache)
    config.stash[runs_key].update(zip(files, futures))
    try:
        return (yield)
    finally:
        pool.shutdown(wait=False, cancel_futures=True)  # pages not started: no test will read them now
        if not all(future.done() for future in futures):  # stopped early (-x, Ctrl-C): end the pages running
            stop_running_pages()
        pool.shutdown(wait=True)


def pytest_terminal_summary(terminalreporter, config):
    """How many pages ran and how many came from the cache, and which run took longest."""
    finished = {name: future.result() for name, future in config.stash.get(runs_key, {}).items()
                if future.done() and not future.cancelled() and future.exception() is None}
    if not finished:
        return
    ran = {name: run for name, run in finished.items() if not run.from_cache}
    line = f"lessonkit: {len(ran)} page{'' if len(ran) == 1 else 's'} run, {len(finished) - len(ran)} from the cache"
    if ran:
        name, run = max(ran.items(), key=lambda item: item[1].seconds)
        line += f"; the longest run: {name}, {run.seconds:.1f} s"
    terminalreporter.write_line(line)


class LessonFile(pytest.File):
    """A Markdown page; its snippets are its tests."""

    def collect(self):
        root, course = self.config.rootpath, settings(self.config)
        try:
            self.page = read_page(self.path.relative_to(root).as_posix(), root, course.course)
        except ParseError as error:
            raise self.CollectError(str(error)) from None
        todo = build_order(self.page)
        if self.page.prelude and todo:  # the prelude runs only before the page's own snippets
            yield PreludeItem.from_parent(self, name="builds-on")
        for index in sorted(todo):
            yield SnippetItem.from_parent(self, name=f"L{self.page.snippets[index].line}", index=index)

    @cached_property
    def page_run(self):
        """The page's run, done once for all of its tests: started in the background, or run here."""
        future = self.config.stash[runs_key].get(self.nodeid)
        if future is not None:
            return future.result()
        return run_cached(self.page, self.config.rootpath, settings(self.config).cache)


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
