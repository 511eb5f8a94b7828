"""The data behind a lesson's chrome: eyebrow, lesson bar, section indicator, reading times.

A page is a lesson when its front matter says `lesson: "2.1"`, and a lab when it
is a notebook named `lab-*.py` in a chapter's folder (`chapter-2/lab-….py`). For
every lesson and lab this hook works out, at build time:

- the eyebrow, "Chapter 2 · Lesson 2.1" or "Chapter 2 · Lab";
- the lesson bar: the lessons of the same chapter whose pages exist, in order,
  then the chapter's labs;
- the sections: one per `##` heading, with the number of words in each, so that
  lesson.js can show "Section k of N · ~M min left" while the reader scrolls.

Reading time is words / WORDS_PER_MINUTE, rounded up. Words are counted in the
rendered page: prose, code, printed output and the text inside closed answers.

A link written `[Title](page.md){ .with-reading-time }` gets the reading time
of the lesson it points to, so the overview pages never state a stale time.
"""

import logging
import math
import os
import posixpath
import re
from html.parser import HTMLParser
from pathlib import Path

from mkdocs.exceptions import PluginError

WORDS_PER_MINUTE = 200  # a relaxed pace for technical prose with code; the docs say so too

# Under "mkdocs.", so that a warning fails `mkdocs build --strict`.
log = logging.getLogger("mkdocs.hooks.lesson_chrome")


def reading_minutes(words):
    return max(1, math.ceil(words / WORDS_PER_MINUTE))


class Sections(HTMLParser):
    """Splits a page's HTML at its <h2> headings and counts the words in each part.

    The words before the first <h2> (title and introduction) count towards step 1.
    """

    SKIPPED = {"script", "style", "svg"}  # code for the browser, and drawings, are not read as words

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.steps = []
        self.words_before_first_step = 0
        self.in_heading = False
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "h2":
            self.steps.append({"id": attrs.get("id", ""), "title": "", "words": 0})
            self.in_heading = True
        elif tag in self.SKIPPED or {"headerlink", "anchor-link"} & set((attrs.get("class") or "").split()):
            self.skipping += 1

    def handle_endtag(self, tag):
        if tag == "h2":
            self.in_heading = False
        elif tag in self.SKIPPED or (tag == "a" and self.skipping):
            self.skipping = max(0, self.skipping - 1)

    def handle_data(self, data):
        if self.skipping:
            return
        words = len(data.split())
        if not self.steps:
            self.words_before_first_step += words
            return
        step = self.steps[-1]
        step["words"] += words
        if self.in_heading:
            step["title"] = (step["title"] + data).strip()


def count_steps(html):
    parser = Sections()
    parser.feed(html)
    parser.close()
    if parser.steps:
        parser.steps[0]["words"] += parser.words_before_first_step
    return parser.steps


def lesson_key(number):
    """'2.10' sorts after '2.9'."""
    return tuple(int(part) for part in number.split("."))


LAB = re.compile(r"chapter-(?P<chapter>\d+)/lab-[^/]*\.py")
LESSON_NUMBER = re.compile(r"\d+\.\d+")


def on_page_content(html, page, config, **kwargs):
    if "lesson" in page.meta:
        page.meta["lesson"] = lesson_number(page, config)
    lab = LAB.fullmatch(page.file.src_uri)
    if lab:
        page.meta["lab_of_chapter"] = lab.group("chapter")
    if "lesson" in page.meta or lab:
        page.meta["steps"] = count_steps(html)
    return html


def lesson_number(page, config):
    """The front matter's `lesson: "2.1"`: chapter and lesson, in quotes (unquoted, YAML reads 2.10 as 2.1)."""
    number = page.meta["lesson"]
    if isinstance(number, str) and LESSON_NUMBER.fullmatch(number):
        return number
    path = os.path.relpath(page.file.abs_src_path, os.path.dirname(config.config_file_path))
    line = next((n for n, text in enumerate(page.file.content_string.splitlines(), start=1)
                 if text.startswith("lesson:")), 1)
    raise PluginError(f"{Path(path).as_posix()}:{line}: lesson: {number!r} is not a lesson number "
                      f'such as lesson: "2.1" (in quotes)')


def chapter_of(page):
    return page.meta.get("lab_of_chapter") or page.meta["lesson"].split(".")[0]


def bar_label(page):
    """What the page's pill in the lesson bar says: "2.1", or "Lab"."""
    return page.meta.get("lesson", "Lab")


def bar_name(page):
    """The pill's accessible name: "Lesson 2.1: Values and expressions", or the lab's title."""
    title = page.meta.get("title", page.title)
    return f"Lesson {page.meta['lesson']}: {title}" if "lesson" in page.meta else title


def on_env(env, config, files, **kwargs):
    """Runs once every page's HTML exists: give each lesson its chrome, fill reading times."""
    pages = [f.page for f in files.documentation_pages() if f.page and f.page.content is not None]
    lessons = sorted((p for p in pages if "lesson" in p.meta), key=lambda p: lesson_key(p.meta["lesson"]))
    labs = sorted((p for p in pages if "lab_of_chapter" in p.meta), key=lambda p: p.file.src_uri)
    for page in lessons + labs:
        page.meta["lesson_chrome"] = lesson_chrome(page, lessons + labs)
    for page in pages:
        page.content = add_reading_times(page, lessons)
    return env


def lesson_minutes(page):
    return reading_minutes(sum(step["words"] for step in page.meta["steps"]))


def lesson_chrome(page, parts):
    """The chrome of a lesson or lab; `parts` are every lesson, then every lab, in bar order."""
    chapter = chapter_of(page)
    kind = f"Lesson {page.meta['lesson']}" if "lesson" in page.meta else "Lab"
    return {
        "eyebrow": f"Chapter {chapter} · {kind}",
        "lessons": [
            {"number": bar_label(p), "name": bar_name(p), "url": p.url, "current": p is page}
            for p in parts
            if chapter_of(p) == chapter
        ],
        "steps": page.meta["steps"],
        "minutes": lesson_minutes(page),
        "words_per_minute": WORDS_PER_MINUTE,
    }


LINK = re.compile(r"<a\b([^>]*)>.*?</a>", re.DOTALL)
HREF = re.compile(r'\bhref="([^"]*)"')
MARKED = re.compile(r'\bclass="[^"]*\bwith-reading-time\b')


def add_reading_times(page, lessons):
    """Append " · ~M min" to every link marked .with-reading-time that points to a lesson."""
    minutes = {p.url.rstrip("/"): lesson_minutes(p) for p in lessons}
    here = page.url if page.url.endswith("/") else posixpath.dirname(page.url)

    def add_time(link):
        attrs = link.group(1)
        href = HREF.search(attrs)
        if not (href and MARKED.search(attrs)):
            return link.group(0)
        target = posixpath.normpath(posixpath.join(here, href.group(1).split("#")[0]))
        target = "" if target == "." else target.rstrip("/")
        if target not in minutes:
            log.warning(f"{page.file.src_uri}: a .with-reading-time link points to {href.group(1)}, not a lesson")
            return link.group(0)
        return f'{link.group(0)}<span class="reading-time"> · ~{minutes[target]} min</span>'

    return LINK.sub(add_time, page.content)
