"""MkDocs hook: the site serves the course's trained GPT, so that the page and a downloaded notebook need not train it.

Chapter 1's pages, lesson 4.6 and the chapter 4 lab call
`deepdive.pretrained.trained()`. In the build it comes from the cache, where
the lessons' runs stored it. The page's Python and a downloaded notebook have
no such cache: lessonkit's `env` setting (mkdocs.yml) gives them
DEEPDIVE_MODELS, the address of this site's `models/` folder, and trained()
downloads the model from there when one is published under its key. This hook
publishes it there, named by that key (deepdive.pretrained.publish).

When no page has trained the model yet (say, every page came from lessonkit's
cache but deepdive's cache is empty), it trains here first, and the build's
log shows its progress.
"""

import logging
from pathlib import Path

from deepdive import pretrained

FOLDER = "models"  # in the site; mkdocs.yml's lessonkit `env` points DEEPDIVE_MODELS at it
log = logging.getLogger("mkdocs.hooks.published_model")


class ToBuildLog(logging.Handler):
    """deepdive's training progress, as lines of the build's log."""

    def emit(self, record):
        log.info(f"the course's GPT: {record.getMessage()}")


def on_post_build(config):
    progress = logging.getLogger(pretrained.progress.name)
    handler, level = ToBuildLog(), progress.level
    progress.addHandler(handler)
    progress.setLevel(logging.INFO)
    try:
        path = pretrained.publish(Path(config.site_dir) / FOLDER)
    finally:
        progress.removeHandler(handler)
        progress.setLevel(level)
    log.info(f"published the course's GPT as {path.relative_to(config.site_dir).as_posix()}")
