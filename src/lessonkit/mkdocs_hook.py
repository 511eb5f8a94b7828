"""MkDocs hook: run each page's snippets at build time and put their real output in the page.

In mkdocs.yml (MkDocs loads a hook by its path, so this file imports lessonkit
by absolute imports only):

    hooks:
      - src/lessonkit/mkdocs_hook.py

As soon as MkDocs knows the pages, their snippets start running in the
background, in parallel, while MkDocs goes on with its own work; a page waits
for its results only when it is rendered. Pages that did not change come from
the cache in .cache/lessonkit/ (next to mkdocs.yml). Each
failing snippet is logged at ERROR on `mkdocs.plugins.lessonkit`, naming
`docs/...md:LINE`, so `mkdocs build --strict` fails and reports all of them,
while `mkdocs serve` keeps serving and shows the error on the page. What a
page logs while it runs (a training loop's step and loss) is shown at INFO on
the same logger, as `docs/...md: message`: in the build's log, not the page,
and never failing a strict build.

MkDocs keeps this module loaded across `mkdocs serve` rebuilds, so its state
is keyed by content: a rebuild reuses the runs of pages that did not change.
"""

import logging
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from mkdocs.exceptions import PluginError

from lessonkit.batch import default_jobs, run_cached, submit_pages
from lessonkit.cache import Cache
from lessonkit.check import check_page
from lessonkit.island import island_html
from lessonkit.mkdocs_pages import lesson_page, project_root
from lessonkit.parse import ParseError
from lessonkit.render import CUSTOM_FENCES, admonition, render_page
from lessonkit.run import show_progress

log = logging.getLogger("mkdocs.plugins.lessonkit")
SUPERFENCES = "pymdownx.superfences"


class ToBuildLog(logging.Handler):
    """Shows each record of lessonkit.progress in MkDocs' log, at INFO, whatever its level."""

    def emit(self, record):
        log.info(record.getMessage())


class Build:
    """What the hook knows: where the project is, and the runs of this build's pages, by cache key."""

    root = Path(".")
    cache = Cache(root)
    runs = {}  # cache key -> Future of the page's PageRun
    pool = ThreadPoolExecutor(max_workers=default_jobs(), thread_name_prefix="lessonkit")


def on_config(config):
    Build.root = project_root(config)
    Build.cache = Cache(Build.root)
    show_progress(ToBuildLog())
    install_custom_fences(config)
    if "md_in_html" not in config.markdown_extensions:  # the <div data-snippet> around each snippet holds Markdown
        config.markdown_extensions.append("md_in_html")
    return config


def install_custom_fences(config):
    """Teach superfences the renderer's fences (the `lessonkit-display` one holds a snippet's SVG as raw HTML)."""
    if SUPERFENCES not in config.markdown_extensions:
        config.markdown_extensions.append(SUPERFENCES)
    settings = config.mdx_configs.setdefault(SUPERFENCES, {})
    ours = {fence["name"] for fence in CUSTOM_FENCES}
    theirs = [fence for fence in settings.get("custom_fences", []) if fence.get("name") not in ours]
    settings["custom_fences"] = theirs + CUSTOM_FENCES


def on_files(files, config):
    """Start running every page's snippets, in the background, so that rendering a page only waits for its own."""
    pages = []
    for file in files.documentation_pages():
        if file.src_uri.endswith(".md"):
            try:
                pages.append(lesson_page(file, config))
            except ParseError:
                pass  # reported when the page is rendered
    futures = submit_pages(Build.pool, pages, Build.root, Build.cache)
    Build.runs = {Build.cache.key(page): future for page, future in zip(pages, futures)}
    return files


def on_page_markdown(markdown, page, config, files):
    """The page with its snippets rendered; each failing snippet is logged and shown in place."""
    if not page.file.src_uri.endswith(".md"):
        return markdown
    try:
        lesson = lesson_page(page.file, config)
    except ParseError as error:
        log.error(str(error))
        return admonition("failure", f"{error.path}:{error.line}: this page cannot be parsed", str(error), "text", "") \
            + "\n" + markdown
    if not lesson.text.endswith(markdown):
        raise PluginError(f"{lesson.path}: a plugin or hook changed the page before lessonkit could render it; "
                          f"list lessonkit's hook before it in mkdocs.yml")
    future = Build.runs.get(Build.cache.key(lesson))
    run = future.result() if future else run_cached(lesson, Build.root, Build.cache)
    problems = check_page(lesson, run)
    for problem in problems:
        log.error(str(problem))
    rendered = render_page(lesson, run, problems) + "\n" + island_html(lesson)
    # MkDocs hands over the page without its front matter: rendering leaves it as it is, so cut it off again.
    return rendered[len(lesson.text) - len(markdown):]


def on_post_build(config):
    runs = [future.result() for future in Build.runs.values()]
    log.info(f"lessonkit: {sum(run.snippets_run for run in runs)} snippets run, "
             f"{sum(run.from_cache for run in runs)} pages from the cache")
