"""MkDocs hook: serve Pyodide and the deepdive wheel from the site, so lesson snippets run in the page.

- on_config: checks that the pinned Pyodide is in .cache/pyodide/ (see
  pyodide_package.py). When it is not, `mkdocs build --strict` stops with one
  message saying how to fetch it; `mkdocs serve` warns, serves, and the pages'
  Run buttons say why they are unavailable. It also builds the deepdive wheel
  (deepdive_wheel.py): a few kilobytes, from src/deepdive, the same bytes for
  the same sources.
- on_post_page: gives each page that has snippets to run (lessonkit's
  `lessonkit-page` JSON island) a second small island, `pyodide-runtime`, with
  the URLs run.js needs: {"runtime": "…/assets/pyodide/VERSION/",
  "wheel": "…/deepdive-….whl", "unavailable": null | "why"}, relative to the page.
- on_post_build: copies the runtime into the site once (assets/pyodide/VERSION/,
  only the files Pyodide reads), and writes the wheel at its content-hashed path,
  assets/wheels/<sha256 prefix>/deepdive-VERSION-py3-none-any.whl.

`wheel_url()` gives the wheel's site-relative URL, for anything else that
installs deepdive from the site (notebooks).
"""

import json
import logging
import shutil
import sys
from pathlib import Path

import deepdive_wheel  # a sibling: MkDocs puts this folder on sys.path while it loads a hook
import pyodide_package
from mkdocs.exceptions import PluginError
from mkdocs.utils import get_relative_url

log = logging.getLogger("mkdocs.hooks.pyodide_runtime")
ISLAND = 'id="lessonkit-page"'  # lessonkit's island: the page has snippets
RUNTIME_PATH = f"assets/pyodide/{pyodide_package.VERSION}/"
# MkDocs loads a hook under its path; known by its plain name too, a sibling hook's
# `import pyodide_runtime` gets this module, and the wheel this build made.
sys.modules.setdefault("pyodide_runtime", sys.modules[__name__])


class Runtime:
    """What this build serves: the wheel, and why the runtime is missing (None when it is not)."""

    root = Path(".")
    wheel = b""
    wheel_path = ""
    unavailable = None


def wheel_url():
    """The deepdive wheel's URL relative to the site's root: assets/wheels/…/deepdive-0.1.0-py3-none-any.whl."""
    return Runtime.wheel_path


def on_config(config):
    Runtime.root = Path(config.config_file_path).resolve().parent
    Runtime.unavailable = pyodide_package.missing(Runtime.root)
    if Runtime.unavailable and config.strict:
        raise PluginError(f"Lesson snippets cannot run in the page: {Runtime.unavailable}")
    if Runtime.unavailable:
        log.warning(f"Run buttons are unavailable: {Runtime.unavailable}")
    Runtime.wheel, name = deepdive_wheel.build_wheel(Runtime.root)
    Runtime.wheel_path = deepdive_wheel.wheel_path(Runtime.wheel, name)
    return config


def on_post_page(output, page, config):
    if ISLAND not in output:
        return output
    here = page.url or "."
    island = json.dumps({
        "runtime": get_relative_url(RUNTIME_PATH, here).rstrip("/") + "/",
        "wheel": get_relative_url(Runtime.wheel_path, here),
        "unavailable": Runtime.unavailable,
    }).replace("</", "<\\/")
    script = f'<script type="application/json" id="pyodide-runtime">{island}</script>\n'
    return output.replace("</body>", script + "</body>", 1)


def on_post_build(config):
    site = Path(config.site_dir)
    wheel = site / Runtime.wheel_path
    wheel.parent.mkdir(parents=True, exist_ok=True)
    wheel.write_bytes(Runtime.wheel)
    if Runtime.unavailable:
        return
    target = site / RUNTIME_PATH
    target.mkdir(parents=True, exist_ok=True)
    for name in pyodide_package.RUNTIME_FILES:
        source, copy = pyodide_package.cache_folder(Runtime.root) / name, target / name
        if not copy.exists() or copy.stat().st_size != source.stat().st_size:  # `mkdocs serve` rebuilds in place
            shutil.copyfile(source, copy)
