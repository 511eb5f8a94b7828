"""lessonkit: executable lessons. Find a page's Python snippets, run them, render their real output.

Data flows one way: parse -> run -> check / render / accept.

    page = read_page("docs/lesson.md")               # read as MkDocs reads it, with the earlier
                                                    # exercises its front matter builds on
    [run] = run_pages([page], cache=Cache("."))
    problems = check_page(page, run)
    markdown = render_page(page, run, problems)
    notebook = export_notebook(page)                 # the page as .ipynb text

Where each snippet runs (the build, live in the page, replayed in the page,
the notebook) is decided in one place: `where(page, snippet)` and
`build_order(page)`, in lessonkit.plan.

The MkDocs plugin, the pytest plugin, the notebook export and the command line
are thin adapters over these; none of this core imports MkDocs or pytest.
"""

from lessonkit.accept import AcceptRefused, accept_page
from lessonkit.batch import run_cached, run_pages
from lessonkit.builds_on import read_page, with_prelude
from lessonkit.cache import Cache
from lessonkit.check import Problem, check_page
from lessonkit.course import DEFAULT_TIMEOUT, Course
from lessonkit.island import island_html
from lessonkit.job import job_key, page_job
from lessonkit.notebook import export_notebook, page_notebook
from lessonkit.parse import OPTIONS, Exercise, ExerciseRole, Options, Page, ParseError, Snippet, parse_page
from lessonkit.plan import Where, build_order, where
from lessonkit.render import render_page
from lessonkit.run import Display, PageRun, SnippetRun, run_page

__all__ = [
    "DEFAULT_TIMEOUT", "OPTIONS", "AcceptRefused", "Cache", "Course", "Display", "Exercise", "ExerciseRole",
    "Options", "Page", "PageRun", "ParseError", "Problem", "Snippet", "SnippetRun", "Where", "accept_page",
    "build_order", "check_page", "export_notebook", "island_html", "job_key", "page_job", "page_notebook",
    "parse_page", "read_page", "render_page", "run_cached", "run_page", "run_pages", "where", "with_prelude",
]
