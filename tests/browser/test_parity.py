"""Every live snippet of a lesson, Run in the page, shows what CPython printed for it in the build.

The page promises that its Run button runs what the build ran: the output
under each snippet is the build's until the learner presses Run, and then it
is the page's own Python's (Pyodide, 3.14, in a Web Worker). A difference is
something a learner notices: a number that is not the one the prose quotes, a
picture that is missing, an error where the page showed output. So each page
that has live snippets is opened in Chromium, with every other host blocked
(the Visit helper counts and fails on an outside request or a console error),
and each live snippet is Run in page order, as a learner reading from the top
would, waiting until run.js has shown its result (its output region is no
longer `aria-busy` and its live status line is gone). What the output region
then shows, block by block (printed text, each display's sanitized DOM, an
error's type, message and line), is compared with lessonkit's own CPython run
of the page: the cached PageRun of the build, read through lessonkit's public
API (run_cached on the page as the build reads it), never run again when the
cache has it. Text is compared with whitespace runs as one space and numbers to
a relative 1e-9 (the page's libm is not glibc's, so a last digit may differ);
a display by its DOM, the build's markup parsed by the same page; an error by
its error line (type and message: `ValueError: boom`) and the line of the
snippet it points at, as the page titles it (tracebacks differ between 3.11
and 3.14). Progress lines (`.lessonkit-progress`: what a snippet
logs) are not output, here as in the build, and are left out.

A snippet with `in-page="steps = 150"` runs another line in the page than in
the build, so from it on the page's namespace holds what the shorter run made:
that snippet and every later one are compared with a CPython run of the page
with its in-page lines replaced as the page's editor has them (a changed copy
of the page, run and cached by lessonkit like any page), not with the build's.

An exercise's starter is live, but it is not Run here, as a reader who has not
done the exercise yet leaves it: the build runs a starter only together with
its checks, which it must fail, and throws its output away (lessonkit's
worker.py, run_starter), so the build has no output to compare it with. The
later snippets are compared: they replay the starter as its reference solution
until the learner has passed the exercise (assets/exercises.js), as the build
ran it, so they show what the page says.

What a page shows when its snippets run is kept, as lessonkit keeps what CPython
printed: in .cache/parity/, under a hash of everything that decides it
(`observed_key`: the built page with the site's address taken out, every file
the page's scripts and its Python load, Chromium's version and this file). A
built page whose key is kept is checked to be the page of the sources now and
compared with CPython again, without being opened or running its snippets
again; any change to what it loads runs them. `rm -rf .cache/parity` runs every
page again.

Its cost: one Python loaded per page, every live snippet run once, in one
browser context per test process (its service worker, installed by the first
page, serves the next ones without a reload; Run stores nothing). The build's
runs come from the cache; the CPython run of a page with in-page lines, the
first time, runs on the other core while the page runs its own.
"""

import json
import math
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from kept import files, kept, key_of
from playwright.sync_api import expect
from test_one_runtime import STARTING, TREE

from lessonkit import Cache, parse_page, read_page, run_cached, where, with_prelude
from lessonkit.check import normalize
from lessonkit.failure import snippet_filename
from lessonkit.island import ISLAND_ID, snippet_id
from lessonkit.mkdocs.config import course_of, read_settings
from lessonkit.plan import role
from lessonkit.render import display_markup
from lessonkit.semantics import snippet_line

ROOT = Path(__file__).resolve().parents[2]
DOCS, SETTINGS = read_settings(ROOT / "mkdocs.yml")
COURSE = course_of(SETTINGS, ROOT)
LOADED = ("assets/lessonkit/**/*", "assets/wheels/**/*", "models/*", "coi-serviceworker.js")  # what a page loads
RELATIVE = 1e-9  # numbers that differ by less than this, relatively, are the same number
SLOWER = 3  # the page's Python may take this many times a snippet's build time limit (timeout=) to run it
NOTHING_PRINTED = "Ran. It printed nothing."  # run.js's note for a run that shows no block
NUMBER = re.compile(r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?")
AROUND = 200  # characters of each side shown before and after where they first differ


def is_shown_live(page, snippet):
    """Whether the learner runs the snippet with a Run button: live, and not hidden (a hidden one is replayed)."""
    return where(page, snippet).live and not snippet.options.hidden


def lesson_pages():
    """The course's pages that have a snippet a learner can Run, read as the build reads them."""
    pages = [read_page(path.relative_to(ROOT), ROOT, COURSE) for path in sorted(DOCS.glob("**/*.md"))]
    return [page for page in pages if any(is_shown_live(page, snippet) for snippet in page.snippets)]


def address(page):
    """The page's address under the site's root, as MkDocs writes it (directory URLs)."""
    parts = Path(page.path).relative_to(DOCS.relative_to(ROOT)).with_suffix("").parts
    return "".join(part + "/" for part in (parts[:-1] if parts[-1] == "index" else parts))


# --- what CPython printed -------------------------------------------------------------------------------
def as_the_page_runs_it(page):
    """The page with each in-page line replaced as the page's editor has it (`steps = 150  # the build ran …`),
    or None when no snippet has one."""
    changed = [snippet for snippet in page.snippets if snippet.in_page and where(page, snippet).live]
    if not changed:
        return None
    lines = page.text.splitlines(keepends=True)
    for snippet in changed:
        number = snippet.in_page.line
        lines[snippet.source_line(number) - 1] = (snippet.indent + snippet.page_code.splitlines()[number - 1]
                                                  + "\n")
    return with_prelude(parse_page("".join(lines), page.path, page.course), ROOT)


def cpython_runs(page):
    """For each of the page's snippets, CPython's run of it as the page runs it, and what that run is.

    The build's run (from lessonkit's cache) up to the first snippet that the page runs with its in-page line,
    from there on the run of the page with those lines replaced (lessonkit runs and caches it as any page).
    """
    cache = Cache(ROOT)
    build = run_cached(page, ROOT, cache)
    changed = as_the_page_runs_it(page)
    if changed is None:
        return [(result, "the build's run") for result in build.results]
    first = next(index for index, snippet in enumerate(page.snippets) if snippet.in_page)
    shorter = run_cached(changed, ROOT, cache)
    said = f"CPython's run with the page's {page.snippets[first].in_page.page!r} (L{page.snippets[first].line})"
    return [(result, "the build's run") for result in build.results[:first]] + [
        (result, said) for result in shorter.results[first:]]


def blocks_of_run(result, index):
    """What lessonkit's renderer would show for a CPython run of snippet `index`, block by block: the printed
    text, each display in the place of its one-line stand-in, then its error (`Line 3: ValueError: …`)."""
    if result is None or not result.ran:
        return [["note", "not run: an earlier snippet timed out or crashed"]]
    blocks, lines = [], normalize(result.output).splitlines()
    for shown in result.displays:
        stand_in = shown.text.rstrip()
        at = lines.index(stand_in) if stand_in in lines else len(lines)
        blocks += text_block(lines[:at])
        blocks.append(["markup", display_markup(shown)])
        lines = lines[at + 1:]
    blocks += text_block(lines)
    if result.failure:
        failure = result.failure
        line = snippet_line(failure.frames, failure.syntax, snippet_filename(index))
        blocks.append(["error", (f"Line {line}: " if line else "") + failure.message.strip()])
    return blocks


def text_block(lines):
    text = normalize("\n".join(lines))
    return [["text", text]] if text else []


# --- what the page shows ----------------------------------------------------------------------------------
# The blocks of a snippet's output region once a run is shown, in order; its progress lines are not output.
SHOWN = "region => {" + TREE + r"""
    return [...region.children].filter(block => !block.matches(".lessonkit-progress")).map(block =>
        block.matches(".lessonkit-run__error") ? ["error", block.querySelector(".filename").textContent]
        : block.matches(".lessonkit-display") ? ["display", JSON.stringify(children(block).map(tree))]
        : block.matches(".lessonkit-output") ? ["text", block.querySelector("code").textContent]
        : block.matches(".lessonkit-run__note") ? ["note", block.textContent]
        : ["other", `${block.className}: ${block.textContent}`]);
}"""
# Markup as a page's DOM holds it once parsed, as plain data (TREE), to compare with a display the page shows; parsed
# in an empty standards-mode page (BLANK), as the lesson's own page would parse it, whether or not that one was opened.
BLANK = "<!DOCTYPE html><title>markup</title>"
PARSED = "markups => {" + TREE + r"""
    const parsed = html => { const box = document.createElement("div"); box.innerHTML = html; return box; };
    return markups.map(html => JSON.stringify(children(parsed(html)).map(tree)));
}"""


def opened(visit, page):
    """The page, as Visit opens it (isolated, after its first load's reload), with its closed `???` blocks open,
    as a learner opens them to Run what is inside."""
    tab = visit.open(address(page))
    tab.evaluate("() => document.querySelectorAll('details:not([open])').forEach(block => { block.open = true; })")
    return tab


def built_snippets(site, page):
    """The page's snippets as its built HTML holds them, in its island: {id: code}."""
    html = (site / address(page) / "index.html").read_text(encoding="utf-8")
    island = re.search(rf'<script type="application/json" id="{ISLAND_ID}">(.*?)</script>', html, re.DOTALL)
    assert island, f"the built page of {page.path} has no island"
    return {snippet["id"]: snippet["code"] for snippet in json.loads(island.group(1))["snippets"]}


def run_in_page(tab, snippet):
    """Press the snippet's Run and wait until run.js shows its result: what its output region shows."""
    block = tab.locator(f'[data-snippet="{snippet_id(snippet)}"]')
    region = block.get_by_role("status", name=re.compile("^Output"))
    block.get_by_role("button", name="Run", exact=True).click()
    waiting = STARTING + SLOWER * 1000 * snippet.options.timeout
    expect(region).not_to_have_attribute("aria-busy", "true", timeout=waiting)
    expect(region.locator(".lessonkit-run__progress")).to_have_count(0, timeout=waiting)
    return region.evaluate(SHOWN)


def observed_key(site, url, page, browser):
    """A hash of everything that decides what the page shows when its snippets run: the built page (its
    islands and scripts; the address it was built for, which changes from session to session, taken out),
    each file it loads (lessonkit's scripts and the page's Python, the wheels, the published model; the
    runtime's version is in the page), Chromium's version, and this file, which runs the page."""
    built = (site / address(page) / "index.html").read_text(encoding="utf-8").replace(url, "/")
    return key_of(built, *files(site, LOADED), browser.version, Path(__file__))


def shown_when_run(visit, page, key):
    """What each of the page's snippets shows when Run, in page order (not the starters): [index, blocks] pairs,
    kept (tests/kept.py), or run now in the page, opened."""
    def run():
        tab = opened(visit, page)
        return [[index, without_nothing_printed(run_in_page(tab, snippet))]
                for index, snippet in enumerate(page.snippets)
                if is_shown_live(page, snippet) and role(snippet) != "starter"]

    return kept("parity", key, run)


# --- comparing -------------------------------------------------------------------------------------------
def words(blocks):
    """The blocks as one list of tokens, each block's kind first, then its text's words and numbers (runs of
    whitespace as one space): [(is a number, token)]."""
    listed = []
    for kind, text in blocks:
        text = " ".join(text.split())
        pieces, numbers = NUMBER.split(text), NUMBER.findall(text)
        listed += [(False, f"[{kind}] "), (False, pieces[0])]
        for number, piece in zip(numbers, pieces[1:]):
            listed += [(True, number), (False, piece)]
    return listed


def same_token(ours, theirs):
    """Whether two tokens say the same: equal words, or numbers within a relative RELATIVE."""
    (number, a), (other_number, b) = ours, theirs
    if number and other_number:
        return math.isclose(float(a), float(b), rel_tol=RELATIVE)
    return number == other_number and a == b


def first_difference(shown, printed):
    """Where two lists of blocks first say something different, as each side's text around it; None when
    they say the same."""
    ours, theirs = words(shown), words(printed)
    at = next((i for i, pair in enumerate(zip(ours, theirs)) if not same_token(*pair)),
              None if len(ours) == len(theirs) else min(len(ours), len(theirs)))
    if at is None:
        return None

    def around(listed):
        return "".join(token for _, token in listed[:at])[-AROUND:] + "".join(token for _, token in listed[at:])[:AROUND]

    return f"  page:    …{around(ours)}…\n  CPython: …{around(theirs)}…"


def without_nothing_printed(blocks):
    """What the page shows for a run that printed nothing is a note saying so: that is no block at all."""
    return [] if blocks == [["note", NOTHING_PRINTED]] else blocks


def described(blocks):
    """The blocks for a failure message: each one's kind and text; a display by its size (its DOM is long)."""
    said = [f"  [{kind}] " + (f"{len(text):,} characters of DOM" if kind == "display" else text)
            for kind, text in blocks]
    return "\n".join(said) or "  (nothing)"


# The pages that train in the page (an in-page line) first, then those whose snippets may take longest (their
# timeout=): the slowest first.
LESSONS = sorted(lesson_pages(), key=lambda page: (not any(snippet.in_page for snippet in page.snippets),
                                                   -max(snippet.options.timeout for snippet in page.snippets)))
pytestmark = pytest.mark.slow


@pytest.mark.parametrize("lesson", LESSONS, ids=[page.path for page in LESSONS])
def test_each_live_snippet_run_in_the_page_shows_what_cpython_printed(desktop_reader, served_site, lesson):
    site, url = served_site
    in_island = built_snippets(site, lesson)
    stale = [snippet_id(s) for s in lesson.snippets if is_shown_live(lesson, s)
             and in_island.get(snippet_id(s)) != s.page_code]
    assert not stale, f"the built page's snippets {stale} are not the page's now: the site was built from another " \
                      f"version of {lesson.path}"

    # CPython's run with the page's in-page lines is not in the build's cache the first time: it runs on the
    # other core while the page runs its own.
    with ThreadPoolExecutor(max_workers=1) as pool:
        cpython = pool.submit(cpython_runs, lesson)
        shown = shown_when_run(desktop_reader, lesson,
                               observed_key(site, url, lesson, desktop_reader.context.browser))
        expected = cpython.result()

    tab = desktop_reader.page
    tab.goto("about:blank")
    tab.set_content(BLANK)
    differences = []
    for index, blocks in shown:
        snippet = lesson.snippets[index]
        result, which = expected[index]
        printed = blocks_of_run(result, index)
        trees = iter(tab.evaluate(PARSED, [block[1] for block in printed if block[0] == "markup"]))
        printed = [["display", next(trees)] if block[0] == "markup" else block for block in printed]
        difference = first_difference(blocks, printed)
        if difference:
            differences.append(f"{lesson.path}:{snippet.line}, Run in the page, shows\n{described(blocks)}\n"
                               f"where {which} printed\n{described(printed)}\nThe first difference:\n{difference}")
    assert not differences, "\n\n".join(differences)
