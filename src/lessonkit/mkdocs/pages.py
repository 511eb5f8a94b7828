"""The Markdown pages of a MkDocs build, parsed once per version of their text.

A page is named by its path relative to mkdocs.yml, however `mkdocs -f` named
that file. Its text is MkDocs' own (`File.content_string`, read as UTF-8 with
universal newlines), which is how lessonkit.files.read_text reads a page for
pytest and the command line: a page has one cache key in all three.
"""

from functools import lru_cache
from pathlib import Path

from lessonkit.builds_on import with_prelude
from lessonkit.course import Course
from lessonkit.parse import parse_page


def project_root(config):
    """The folder of mkdocs.yml, as an absolute path."""
    return Path(config.config_file_path).resolve().parent


def lesson_page(file, config, course=Course()):
    """The Page of a MkDocs Markdown file, with the earlier exercises it builds on. Raises ParseError.

    `course` holds the course's settings, from the lessonkit plugin's.
    """
    root = project_root(config)
    return with_prelude(parsed_page(file.content_string, display_path(file.abs_src_path, root), course), root)


@lru_cache(maxsize=1024)
def parsed_page(text, path, course=Course()):
    return parse_page(text, path, course)


def display_path(path, root):
    """A page's path as messages name it: relative to mkdocs.yml, such as docs/chapter-2/2.1-….md."""
    path = Path(path).resolve()
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else path.as_posix()
