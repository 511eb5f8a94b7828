"""lessonkit: executable lessons. Find a page's Python snippets, run them, render their real output.

Data flows one way: parse -> run -> check / render / accept.

    page = parse_page(text, "docs/lesson.md")        # or read_page("docs/lesson.md"), with the
                                                    # earlier exercises its front matter builds on
    [run] = run_pages([page], cache=Cache("."))
    problems = check_page(page, run)
    markdown = render_page(page, run, problems)

The MkDocs hook, the pytest plugin and the command line are thin adapters over
these; none of this core imports MkDocs or pytest.
"""

from lessonkit.accept import AcceptRefused, accept_page
from lessonkit.batch import run_pages
from lessonkit.builds_on import read_page, with_prelude
from lessonkit.cache import Cache
from lessonkit.check import Problem, check_page
from lessonkit.job import job_key, page_job
from lessonkit.parse import OPTIONS, Exercise, ExerciseRole, Options, Page, ParseError, Snippet, parse_page
from lessonkit.render import render_page
from lessonkit.run import Display, PageRun, SnippetRun, run_page

__all__ = [
    "OPTIONS", "AcceptRefused", "Cache", "Display", "Exercise", "ExerciseRole", "Options", "Page", "PageRun",
    "ParseError", "Problem", "Snippet", "SnippetRun", "accept_page", "check_page", "job_key", "page_job", "parse_page",
    "read_page", "render_page", "run_page", "run_pages", "with_prelude",
]
