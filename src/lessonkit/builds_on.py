"""A page whose exercises build on earlier ones: front matter `builds-on: [my-value, numbers]`.

Each page runs on its own, so a page whose exercises use what a learner wrote
on an earlier page (a class, say) names those exercises. Their reference
solutions, found on the other pages of the page's folder, become the page's
prelude: hidden snippets that run, in the order named, before the page's own.
They keep their own page and line, so an error in one names where it is
written. (In the browser, the learner's own code runs instead of each one they
passed: see docs/assets/javascripts/exercises.js.)
"""

import dataclasses
from pathlib import Path

from lessonkit.files import read_text
from lessonkit.course import Course
from lessonkit.parse import ParseError, parse_page


def read_page(path, root=".", course=Course()):
    """Parse the page at `path` (relative to `root`, and named so in messages), with its prelude.

    It is read as MkDocs reads it (lessonkit.files.read_text: CRLF as LF), so the command line,
    pytest and the build parse one text and compute one cache key. `course` holds the
    course's settings (from the lessonkit plugin's in mkdocs.yml).
    """
    return with_prelude(parse_page(read_text(Path(root, path)), Path(path).as_posix(), course), root)


def with_prelude(page, root="."):
    """The page with the exercises its front matter `builds-on` names as its prelude.

    The other pages are read as the page was (lessonkit.files.read_text), with its default time limit.
    """
    if not page.builds_on:
        return page
    found = {}
    folder = Path(root, page.path).parent
    for other in sorted(folder.glob("*.md")):
        name = Path(page.path).parent.joinpath(other.name).as_posix()
        if name == page.path:
            continue
        for exercise in parse_page(read_text(other), name, page.course).exercises:
            found.setdefault(exercise.id, []).append(exercise)
    prelude = []
    for id in page.builds_on:
        exercises = found.get(id, [])
        if len(exercises) != 1:
            where = "no other page" if not exercises else "two pages: " + ", ".join(e.solution.path for e in exercises)
            raise ParseError(page.path, front_matter_line(page, "builds-on"),
                             f"builds-on names exercise {id!r}, which {where} in {folder.as_posix()} has")
        prelude.append(exercises[0])
    return dataclasses.replace(page, prelude=tuple(prelude))


def front_matter_line(page, key):
    """The 1-based line of a front matter key (1 when it is not found)."""
    for number, line in enumerate(page.text.splitlines()[:page.body_start], start=1):
        if line.startswith(key + ":"):
            return number
    return 1
