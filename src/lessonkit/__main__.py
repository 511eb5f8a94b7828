"""The command line: `python -m lessonkit check docs`, `python -m lessonkit accept docs`, `python -m lessonkit runtime`.

check   runs every snippet and compares its output with the page's output fence.
accept  runs every snippet and rewrites the output fences from what they printed.
runtime fetches the Pyodide that mkdocs.yml's lessonkit settings pin into .cache/, once, its hash checked.

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
from lessonkit.files import whole_file
from lessonkit.builds_on import read_page
from lessonkit.parse import ParseError
from lessonkit.run import show_progress


def main(argv=None):
    arguments = command_line().parse_intermixed_args(argv)  # options may come anywhere
    if arguments.command == "runtime":
        return fetch_runtime(arguments.config_file)
    show_progress(logging.StreamHandler(sys.stderr))  # what pages log as they run, such as training progress
    pages, ok = [], True
    for path in markdown_files(arguments.paths):
        try:
            pages.append(read_page(path))
        except ParseError as error:
            print(error, file=sys.stderr)
            ok = False
    runs = run_pages(pages, cache=None if arguments.no_cache else Cache("."), jobs=arguments.jobs)
    command = check if arguments.command == "check" else accept
    ok = command(pages, runs) and ok
    ran = sum(run.snippets_run for run in runs)
    print(f"lessonkit {arguments.command}: {len(pages)} pages, {ran} snippets run, "
          f"{sum(run.from_cache for run in runs)} pages from the cache", file=sys.stderr)
    return 0 if ok else 1


def command_line():
    parser = argparse.ArgumentParser(prog="python -m lessonkit", description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=["check", "accept", "runtime"])
    parser.add_argument("paths", nargs="*", type=Path, default=[Path("docs")],
                        help="Markdown files or folders of them (default: docs)")
    parser.add_argument("--jobs", type=int, help="pages to run at once (default: one per core)")
    parser.add_argument("-f", "--config-file", type=Path, default=Path("mkdocs.yml"),
                        help="the site's mkdocs.yml, whose lessonkit settings pin the runtime (default: mkdocs.yml)")
    parser.add_argument("--no-cache", action="store_true", help=f"run every snippet, ignoring {FOLDER}")
    return parser


def fetch_runtime(mkdocs_yml):
    from lessonkit.mkdocs.config import read_settings  # only here: check and accept need no MkDocs
    from lessonkit.mkdocs.pyodide import Pyodide, RuntimeMissing

    _, settings = read_settings(mkdocs_yml)
    pin = settings.pyodide
    runtime = Pyodide(mkdocs_yml.resolve().parent / ".cache", pin.version, pin.integrity, pin.registry)
    try:
        folder = runtime.fetch()
    except RuntimeMissing as error:
        print(f"lessonkit runtime: {error}", file=sys.stderr)
        return 1
    print(f"lessonkit runtime: Pyodide {runtime.version} ready in {folder}", file=sys.stderr)
    return 0


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
            with whole_file(Path(page.path)) as file:  # an interrupted accept never leaves half a page
                file.write(text)
            print(f"updated {page.path}", file=sys.stderr)
    return ok


if __name__ == "__main__":
    sys.exit(main())
