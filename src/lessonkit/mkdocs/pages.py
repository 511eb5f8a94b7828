"""The Markdown pages of a MkDocs build, parsed once for all of lessonkit's MkDocs hooks.

MkDocs loads each hook by its path, as a module of its own, so the lessonkit
hook and the notebook hook share what they know through this module: a page
is parsed once per version of its text, and both hooks get the same Page,
named by its path relative to mkdocs.yml however `mkdocs -f` named that file.
"""

from functools import lru_cache
from pathlib import Path

from lessonkit.builds_on import with_prelude
from lessonkit.parse import parse_page


def project_root(config):
    """The folder of mkdocs.yml, as an absolute path."""
    return Path(config.config_file_path).resolve().parent


def lesson_page(file, config):
    """The Page of a MkDocs Markdown file, with the earlier exercises it builds on. Raises ParseError."""
    root = project_root(config)
    return with_prelude(parsed_page(file.content_string, display_path(file.abs_src_path, root)), root)


@lru_cache(maxsize=1024)
def parsed_page(text, path):
    return parse_page(text, path)


def display_path(path, root):
    """A page's path as messages name it: relative to mkdocs.yml, such as docs/chapter-2/2.1-….md."""
    path = Path(path).resolve()
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else path.as_posix()
