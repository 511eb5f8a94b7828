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
while `mkdocs serve` keeps serving and shows the error on the page.

MkDocs keeps this module loaded across `mkdocs serve` rebuilds, so its state
is keyed by content: a rebuild reuses the runs of pages that did not change.
"""

import logging
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from lessonkit.batch import default_jobs, run_cached, submit_pages
from lessonkit.cache import Cache
from lessonkit.check import check_page
from lessonkit.parse import ParseError, parse_page
from lessonkit.render import DISPLAY_CLASS, DISPLAY_LANGUAGE, admonition, display_html, render_page

log = logging.getLogger("mkdocs.plugins.lessonkit")
SUPERFENCES = "pymdownx.superfences"


class Build:
    """What the hook knows: where the project is, and the runs of this build's pages, by cache key."""

    root = Path(".")
    cache = Cache(".cache/lessonkit")
    runs = {}  # cache key -> Future of the page's PageRun
    pool = ThreadPoolExecutor(max_workers=default_jobs(), thread_name_prefix="lessonkit")


def on_config(config):
    Build.root = Path(config.config_file_path).resolve().parent
    Build.cache = Cache(Build.root / ".cache" / "lessonkit")
    register_display_fence(config)
    return config


def register_display_fence(config):
    """Teach superfences the `lessonkit-display` fence, which holds a snippet's SVG as raw HTML."""
    if SUPERFENCES not in config.markdown_extensions:
        config.markdown_extensions.append(SUPERFENCES)
    settings = config.mdx_configs.setdefault(SUPERFENCES, {})
    fences = [fence for fence in settings.get("custom_fences", []) if fence.get("name") != DISPLAY_LANGUAGE]
    settings["custom_fences"] = fences + [{"name": DISPLAY_LANGUAGE, "class": DISPLAY_CLASS, "format": display_html}]


def on_files(files, config):
    """Start running every page's snippets, in the background, so that rendering a page only waits for its own."""
    pages = []
    for file in files.documentation_pages():
        if file.src_uri.endswith(".md"):
            try:
                pages.append(parse_page(file.content_string, display_path(file.abs_src_path)))
            except ParseError:
                pass  # reported when the page is rendered
    futures = submit_pages(Build.pool, pages, Build.root, Build.cache)
    Build.runs = {Build.cache.key(page): future for page, future in zip(pages, futures)}
    return files


def on_page_markdown(markdown, page, config, files):
    """The page with its snippets rendered; each failing snippet is logged and shown in place."""
    if not page.file.src_uri.endswith(".md"):
        return markdown
    # MkDocs hands over the page without its front matter: render the whole file, so lines keep their numbers.
    source = page.file.content_string
    whole_file = source.endswith(markdown)
    path = display_path(page.file.abs_src_path)
    try:
        lesson = parse_page(source if whole_file else markdown, path)
    except ParseError as error:
        log.error(str(error))
        return admonition("failure", f"{error.path}:{error.line}: this page cannot be parsed", str(error), "text", "") \
            + "\n" + markdown
    future = Build.runs.get(Build.cache.key(lesson))
    run = future.result() if future else run_cached(lesson, Build.root, Build.cache)
    problems = check_page(lesson, run)
    for problem in problems:
        log.error(str(problem))
    rendered = render_page(lesson, run, problems)
    return rendered[len(source) - len(markdown):] if whole_file else rendered


def on_post_build(config):
    runs = [future.result() for future in Build.runs.values()]
    log.info(f"lessonkit: {sum(run.snippets_run for run in runs)} snippets run, "
             f"{sum(run.from_cache for run in runs)} pages from the cache")


def display_path(path):
    """A page's path as messages name it: relative to mkdocs.yml, such as docs/chapter-2/2.1-….md."""
    path = Path(path).resolve()
    return path.relative_to(Build.root).as_posix() if path.is_relative_to(Build.root) else path.as_posix()
