"""The lessonkit MkDocs plugin: runs each page's snippets at build time, and lets the learner run them in the page.

In mkdocs.yml (settings: lessonkit/mkdocs/config.py):

    plugins:
      - search
      - lessonkit:
          packages: [src/deepdive]

What it does, event by event:

- on_startup / on_shutdown: the pool of threads that run pages lives as long as
  the `mkdocs build` or `mkdocs serve` (MkDocs keeps a plugin with on_startup
  across serve's rebuilds), and is closed at the end.
- on_config: the cache folder, the fences the renderer needs, the browser files
  (run.js, exercises.js, their CSS), the Pyodide runtime (fetched once into the
  cache, its hash checked) and a wheel for each of the settings' `packages`.
- on_files: every Markdown page's snippets start running in the background, in
  parallel, while MkDocs goes on with its own work (pages that did not change
  come from the cache); each page with a snippet that runs is also offered as a
  notebook; the browser files join the site. Last of all (priority -100), every
  notebook the site offers, whoever made it, gets the install cell.
- on_page_markdown: the page with its real output, and its JSON island. Each
  failing snippet is logged at ERROR on `mkdocs.plugins.lessonkit`, naming
  `docs/...md:LINE`, so `mkdocs build --strict` fails and reports all of them,
  while `mkdocs serve` keeps serving and shows the error on the page. What a
  page logs while it runs (a training loop's step and loss) shows at INFO.
- on_post_page: the second island, where the runtime, the wheels and the
  settings' `env` are; and, first in every page's <head>, coi-serviceworker.js.
- on_post_build: the runtime and the wheels are written into the site.

coi-serviceworker.js (the npm package coi-serviceworker, vendored byte for
byte and checked by tests/site/test_coi_serviceworker_package.py) goes to the
site's root, because a service worker's scope is its folder. On the first visit
it registers itself and reloads the page once; from then on it adds the
cross-origin isolation headers (COOP, COEP) to every response of the site,
which a host such as GitHub Pages cannot send, so that the page may share a
SharedArrayBuffer with its worker and Stop can interrupt Python in place,
keeping the learner's namespace (run.js). Every page loads it, not only those
with snippets: Material's instant navigation loads later pages without their
<head>, so the page a visit starts on must already be isolated. Where it
cannot register (a page opened from a file), nothing changes: Stop ends the
worker, as it always can.
"""

import json
import logging
import posixpath
import re
import shutil
from concurrent.futures import ThreadPoolExecutor
from importlib.resources import files as package_data
from pathlib import Path
from urllib.parse import urljoin

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import File
from mkdocs.utils import get_relative_url

from lessonkit.batch import default_jobs, run_cached, submit_pages
from lessonkit.cache import Cache
from lessonkit.check import check_page
from lessonkit.island import ISLAND_ID, island_html
from lessonkit.mkdocs import install_cell, pyodide, wheel
from lessonkit.mkdocs.imports import missing_imports
from lessonkit.mkdocs.config import LessonkitConfig, course_of
from lessonkit.mkdocs.pages import lesson_page, project_root
from lessonkit.notebook import export_notebook
from lessonkit.parse import ParseError
from lessonkit.plan import is_live, role
from lessonkit.render import CUSTOM_FENCES, admonition, render_page
from lessonkit.run import show_progress, stop_running_pages

log = logging.getLogger("mkdocs.plugins.lessonkit")
SUPERFENCES = "pymdownx.superfences"
ASSETS = "assets/lessonkit/"  # where the browser files go in the site
STYLESHEETS = ("run.css", "exercises.css")
SCRIPTS = ("exercises.js", "run.js")  # exercises.js first: it puts the learner's earlier exercises into the island
# Loaded by run.js and run-worker.js from next to themselves: the page's worker, its Python half, the one runtime
# (semantics.py, which the build's worker runs too), and DOMPurify with the allowlist that nh3 also applies.
WORKER_FILES = ("run-worker.js", "run_worker.py", "purify.es.mjs", "allowlist.json")
RUNTIME_MODULE = "semantics.py"  # from the package itself, not a copy: one file says how a snippet runs
RUNTIME_ISLAND = "pyodide-runtime"
ISOLATION = "coi-serviceworker.js"  # at the site's root: it makes every page of the site cross-origin isolated
HEAD = re.compile(r"<head(\s[^>]*)?>", re.IGNORECASE)


class ToBuildLog(logging.Handler):
    """Shows each record of lessonkit.progress in MkDocs' log, at INFO, whatever its level."""

    def emit(self, record):
        log.info(record.getMessage())


class LessonkitPlugin(BasePlugin[LessonkitConfig]):
    def __init__(self):
        super().__init__()
        self.pool = None
        self.runs = {}  # cache key -> Future of the page's PageRun, for this build's pages
        self.wheels = {}  # package name -> (path in the site, bytes)
        self.unavailable = None  # why the runtime cannot be served, or None

    # --- the build's lifetime -------------------------------------------------------------------------
    def on_startup(self, *, command, dirty):
        self.pool = ThreadPoolExecutor(max_workers=self.config.jobs or default_jobs(), thread_name_prefix="lessonkit")
        show_progress(ToBuildLog())

    def on_shutdown(self):
        if self.pool:
            self.pool.shutdown(wait=False, cancel_futures=True)
            stop_running_pages()  # a `mkdocs serve` stopped mid-build leaves no worker behind

    def on_config(self, config):
        self.root = project_root(config)
        self.cache = Cache(self.root)
        self.course = course_of(self.config, self.root)
        install_custom_fences(config)
        if "md_in_html" not in config.markdown_extensions:  # the <div data-snippet> around each snippet holds Markdown
            config.markdown_extensions.append("md_in_html")
        config.extra_css.extend(ASSETS + name for name in STYLESHEETS)
        config.extra_javascript.extend(ASSETS + name for name in SCRIPTS)
        self.runtime = pyodide.Pyodide.pinned(self.config.pyodide, self.root)
        self.unavailable = self.fetch_runtime(config.strict)
        self.wheels = {}
        for package in self.config.packages:
            data, name = wheel.build_wheel(package)
            self.wheels[Path(package).name] = (wheel.wheel_path(data, name), data)
        if self.config.notebooks.enabled and self.wheels and not config.site_url:
            raise PluginError("lessonkit: notebooks install the course's packages from the site, "
                              "so mkdocs.yml needs a site_url")
        return config

    def fetch_runtime(self, strict):
        """Why the page cannot run snippets (the runtime is missing and cannot be fetched), or None."""
        try:
            self.runtime.fetch()
            return None
        except pyodide.RuntimeMissing as error:
            if strict:
                raise PluginError(f"lessonkit: snippets cannot run in the page: {error}") from None
            log.warning(f"lessonkit: Run buttons are unavailable: {error}")
            return str(error)

    # --- files ------------------------------------------------------------------------------------------
    def start_runs(self, files, config):
        """Start running every page's snippets, in the background; add the pages' notebooks and the browser files."""
        pages = []
        for file in files.documentation_pages():
            if file.src_uri.endswith(".md"):
                try:
                    pages.append(lesson_page(file, config, self.course))
                except ParseError:
                    continue  # reported when the page is rendered, with its line
                notebook = export_notebook(pages[-1], self.config.notebooks.subtitle) \
                    if self.config.notebooks.enabled else None
                if notebook is not None:
                    files.append(File.generated(config, notebook_uri(file), content=notebook))
        futures = submit_pages(self.pool, pages, self.root, self.cache)
        self.runs = {self.cache.key(page): future for page, future in zip(pages, futures)}
        package = package_data("lessonkit")
        for name in STYLESHEETS + SCRIPTS + WORKER_FILES:
            files.append(File.generated(config, ASSETS + name, abs_src_path=str(package / "assets" / name)))
        files.append(File.generated(config, ASSETS + RUNTIME_MODULE, abs_src_path=str(package / RUNTIME_MODULE)))
        files.append(File.generated(config, ISOLATION, abs_src_path=str(package / "assets" / ISOLATION)))
        return files

    @event_priority(-100)  # after every plugin and hook that adds a notebook of its own
    def install_cells(self, files, config):
        if not self.config.notebooks.enabled or not self.wheels:
            return files
        wheels = {name: urljoin(config.site_url, path) for name, (path, _) in self.wheels.items()}
        env = {name: urljoin(config.site_url, path) for name, path in self.config.env.items()}  # as the page has them
        note = self.config.notebooks.note.format(packages=", ".join(wheels), repo=config.repo_url or "")
        for file in files:
            if file.src_uri.endswith(".ipynb"):
                try:
                    file.content_string = install_cell.with_install_cell(file.content_string, wheels, note,
                                                                         file.src_uri, env)
                except install_cell.NotebookError as error:
                    raise PluginError(str(error)) from None
        return files

    on_files = CombinedEvent(start_runs, install_cells)

    # --- pages ------------------------------------------------------------------------------------------
    @event_priority(50)  # before any other plugin or hook changes the page's Markdown
    def on_page_markdown(self, markdown, page, config, files):
        """The page with its snippets rendered; each failing snippet is logged and shown in place."""
        if files.get_file_from_path(notebook_uri(page.file)):
            page.meta["notebook"] = notebook_uri(page.file)
        if not page.file.src_uri.endswith(".md"):
            return markdown
        try:
            lesson = lesson_page(page.file, config, self.course)
        except ParseError as error:
            log.error(str(error))
            return admonition("failure", f"{error.path}:{error.line}: this page cannot be parsed", str(error),
                              "text", "") + "\n" + markdown
        if not lesson.text.endswith(markdown):
            raise PluginError(f"{lesson.path}: a plugin or hook changed the page before lessonkit could render it; "
                              f"give its on_page_markdown a lower priority than lessonkit's (50)")
        future = self.runs.get(self.cache.key(lesson))
        run = future.result() if future else run_cached(lesson, self.root, self.cache)
        problems = check_page(lesson, run)
        for problem in problems:
            log.error(str(problem))
        self.check_imports(lesson)
        rendered = render_page(lesson, run, problems) + "\n" + island_html(lesson)
        # MkDocs hands over the page without its front matter: rendering leaves it as it is, so cut it off again.
        return rendered[len(lesson.text) - len(markdown):]

    def check_imports(self, lesson):
        """Log each import that the page's Python cannot install, of a snippet that runs in the page: a live one,
        or an exercise's checks and solution, which Check runs (not its wrong and right answers, which only the
        build runs)."""
        for snippet in lesson.snippets:
            if not (is_live(lesson, snippet) or (lesson.run and role(snippet) in ("check", "solution"))):
                continue
            for name, line in missing_imports(snippet.code, self.wheels):
                log.error(f"{lesson.path}:{snippet.source_line(line)}: this snippet runs in the page, whose Python "
                          f"cannot install {name!r}: it has the standard library and the packages in lessonkit's "
                          f"settings ({', '.join(self.wheels) or 'none'}). Add {name}'s folder to `packages`, or mark "
                          f'the snippet build-only="why"')

    def on_post_page(self, output, page, config):
        """Every page loads coi-serviceworker.js first; a page with snippets (lessonkit's island) also learns where
        the runtime, the wheels and the settings' `env` are."""
        here = page.url or "."
        isolation = f'<script src="{get_relative_url(ISOLATION, here)}"></script>'
        output = HEAD.sub(lambda head: head[0] + isolation, output, count=1)
        if f'id="{ISLAND_ID}"' not in output:
            return output
        island = json.dumps({
            "root": get_relative_url(".", here),  # the site's root: the browser's storage keys start with it
            "runtime": get_relative_url(self.runtime_path, here).rstrip("/") + "/",
            "wheels": [get_relative_url(path, here) for path, _ in self.wheels.values()],
            "env": {name: get_relative_url(path, here) for name, path in self.config.env.items()},
            "unavailable": self.unavailable,
        }).replace("</", "<\\/")
        script = f'<script type="application/json" id="{RUNTIME_ISLAND}">{island}</script>\n'
        return output.replace("</body>", script + "</body>", 1)

    @property
    def runtime_path(self):
        return f"assets/pyodide/{self.runtime.version}/"

    def on_post_build(self, config):
        site = Path(config.site_dir)
        for path, data in self.wheels.values():
            (site / path).parent.mkdir(parents=True, exist_ok=True)
            (site / path).write_bytes(data)
        if not self.unavailable:
            target = site / self.runtime_path
            target.mkdir(parents=True, exist_ok=True)
            for name in pyodide.RUNTIME_FILES:
                source, copy = self.runtime.folder / name, target / name
                if not copy.exists() or copy.stat().st_size != source.stat().st_size:  # `mkdocs serve` builds in place
                    shutil.copyfile(source, copy)
        runs = [future.result() for future in self.runs.values()]
        log.info(f"lessonkit: {sum(run.snippets_run for run in runs)} snippets run, "
                 f"{sum(run.from_cache for run in runs)} pages from the cache")


def install_custom_fences(config):
    """Teach superfences the renderer's fences (the `lessonkit-display` one holds a snippet's SVG as raw HTML)."""
    if SUPERFENCES not in config.markdown_extensions:
        config.markdown_extensions.append(SUPERFENCES)
    settings = config.mdx_configs.setdefault(SUPERFENCES, {})
    ours = {fence["name"] for fence in CUSTOM_FENCES}
    theirs = [fence for fence in settings.get("custom_fences", []) if fence.get("name") not in ours]
    settings["custom_fences"] = theirs + CUSTOM_FENCES


def notebook_uri(page_file):
    """Where a page's notebook goes in the site: chapter-2/2.1-....md -> chapter-2/2.1-....ipynb."""
    return posixpath.splitext(page_file.src_uri)[0] + ".ipynb"
