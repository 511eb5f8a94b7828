"""The command line: `python -m lessonkit check docs`, `python -m lessonkit accept docs`, `python -m lessonkit runtime`.

check   runs every snippet and compares its output with the page's output fence.
accept  runs every snippet and rewrites the output fences from what they printed.
runtime fetches the Pyodide that mkdocs.yml's lessonkit settings pin into .cache/, once, its hash checked.

check and accept read the same settings as the build, from mkdocs.yml (-f
names another): its docs_dir is where the pages are, unless paths are given,
and the lessonkit plugin's `timeout` is the time limit of a snippet without
timeout=, and its `jobs` the pages run at once. Pages are read as the build
reads them, so a page's cache key is the same here, in pytest and in the build.

Exit status: 0 when all is well, 1 when a snippet failed or (check) printed
something else than its page says, or a page could not be parsed; 2 for bad usage.
"""

import argparse
import logging
import sys
from pathlib import Path

from lessonkit.accept import AcceptRefused, accept_page
from lessonkit.batch import run_pages
from lessonkit.cache import FOLDER, Cache
from lessonkit.check import check_page
from lessonkit.builds_on import read_page
from lessonkit.files import line_end, whole_file
from lessonkit.parse import ParseError
from lessonkit.run import show_progress


def main(argv=None):
    arguments = command_line().parse_intermixed_args(argv)  # options may come anywhere
    try:
        docs, settings, course = course_settings(arguments.config_file)
    except ValueError as error:  # settings that MkDocs would refuse too
        print(f"python -m lessonkit: {error}", file=sys.stderr)
        return 2
    if arguments.command == "runtime":
        return fetch_runtime(arguments.config_file, settings.pyodide)
    show_progress(logging.StreamHandler(sys.stderr))  # what pages log as they run, such as training progress
    pages, ok = [], True
    for path in markdown_files(arguments.paths or [relative(docs)]):
        try:
            pages.append(read_page(path, course=course))
        except ParseError as error:
            print(error, file=sys.stderr)
            ok = False
    runs = run_pages(pages, cache=None if arguments.no_cache else Cache("."), jobs=arguments.jobs or settings.jobs)
    command = check if arguments.command == "check" else accept
    ok = command(pages, runs) and ok
    ran = sum(run.snippets_run for run in runs)
    print(f"lessonkit {arguments.command}: {len(pages)} pages, {ran} snippets run, "
          f"{sum(run.from_cache for run in runs)} pages from the cache", file=sys.stderr)
    return 0 if ok else 1


def command_line():
    parser = argparse.ArgumentParser(prog="python -m lessonkit", description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=["check", "accept", "runtime"])
    parser.add_argument("paths", nargs="*", type=Path,
                        help="Markdown files or folders of them (default: mkdocs.yml's docs_dir)")
    parser.add_argument("--jobs", type=int, help="pages to run at once (default: the settings' jobs, or one per core)")
    parser.add_argument("-f", "--config-file", type=Path, default=Path("mkdocs.yml"),
                        help="the site's mkdocs.yml, whose lessonkit settings give the default time limit and pin "
                             "the runtime (default: mkdocs.yml)")
    parser.add_argument("--no-cache", action="store_true", help=f"run every snippet, ignoring {FOLDER}")
    return parser


def course_settings(mkdocs_yml):
    """(docs_dir, the lessonkit plugin's settings, the Course they describe) from the site's mkdocs.yml,
    as the build reads them."""
    from lessonkit.mkdocs.config import course_of, read_settings  # the one use of MkDocs here: the rest needs none

    docs, settings = read_settings(mkdocs_yml)
    return docs, settings, course_of(settings, ".")


def fetch_runtime(mkdocs_yml, pin):
    from lessonkit.mkdocs.pyodide import Pyodide, RuntimeMissing

    runtime = Pyodide.pinned(pin, mkdocs_yml.resolve().parent)
    try:
        folder = runtime.fetch()
    except RuntimeMissing as error:
        print(f"lessonkit runtime: {error}", file=sys.stderr)
        return 1
    print(f"lessonkit runtime: Pyodide {runtime.version} ready in {folder}", file=sys.stderr)
    return 0


def relative(path):
    """A path relative to the working folder when it is under it: pages are named so in messages and keys."""
    path = Path(path).absolute()
    return path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path


def markdown_files(paths):
    for path in paths:
        if path.is_dir():
            yield from sorted(path.rglob("*.md"))
        elif path.exists():
            yield path
        else:
            raise SystemExit(f"python -m lessonkit: {path} does not exist")



def check(pages, runs):
    """Print every problem; True when there are none."""
    problems = [problem for page, run in zip(pages, runs) for problem in check_page(page, run)]
    for problem in problems:
        print(f"{problem}\n", file=sys.stderr)
    return not problems


def accept(pages, runs):
    """Rewrite the output fences of each page whose snippets all ran; True when no page was refused."""
    ok = True
    for page, run in zip(pages, runs):
        try:
            text = accept_page(page, run)
        except AcceptRefused as refused:
            print(f"{page.path}: not accepted, a snippet failed:\n{refused}\n", file=sys.stderr)
            ok = False
            continue
        if text != page.text:
            path = Path(page.path)
            newline = line_end(path)  # the page was read with LF line ends; it keeps its own
            with whole_file(path) as file:  # an interrupted accept never leaves half a page
                file.write(text.replace("\n", newline))
            print(f"updated {page.path}", file=sys.stderr)
    return ok


if __name__ == "__main__":
    sys.exit(main())
