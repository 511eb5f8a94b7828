"""The lessonkit plugin's settings in mkdocs.yml, checked by MkDocs before the build starts.

    plugins:
      - search
      - lessonkit:
          packages: [src/deepdive]     # each folder becomes a wheel that the page's Python installs
          timeout: 10                  # seconds a snippet may take, unless its fence says timeout=
          env:                         # environment variables of the page's Python, and the notebooks'
            DEEPDIVE_MODELS: models/   # NAME: a path relative to the site's root
          notebooks:
            subtitle: "Lesson {lesson} of GPT Deep Dive."
            note: "The next cell makes `import {packages}` work …"

Every setting has a default, so `- lessonkit` alone is a working configuration
for a course whose snippets import only the standard library.

`env` names what the site serves for the page's Python to read, such as a
trained model: each NAME maps to a path relative to the site's root (a folder
ends with "/"). The runtime island of each page carries it as a URL relative
to that page, as it carries the runtime's and the wheels'; run.js makes it
absolute, and the worker starts Python with it in `os.environ[NAME]` (so a
snippet fetches `os.environ["DEEPDIVE_MODELS"] + "gpt.json"`). The notebooks'
install cell reads the same setting. The build's Python does not get them: a
snippet that reads one says what it does without it (`os.environ.get(NAME)`).
"""

import os
from pathlib import Path

from mkdocs.config import base
from mkdocs.config import config_options as option
from mkdocs.utils.yaml import yaml_load

from lessonkit.course import DEFAULT_TIMEOUT, Course
from lessonkit.mkdocs import pyodide

DEFAULT_NOTE = ("The next cell makes `import {packages}` work: when this Python lacks it, the cell installs "
                "it from the course's site.")


class PyodideConfig(base.Config):
    """The pinned npm package `pyodide`: its version and npm's `dist.integrity` (`npm view pyodide@X dist`)."""

    version = option.Type(str, default=pyodide.VERSION)
    integrity = option.Type(str, default=pyodide.INTEGRITY)
    registry = option.Type(str, default=pyodide.REGISTRY)  # an npm registry, or a mirror of one


class NotebookConfig(base.Config):
    """Every page with a snippet that runs is also offered as a notebook, which installs the course's wheels."""

    enabled = option.Type(bool, default=True)
    subtitle = option.Type(str, default="")  # under the title; {lesson} is the page's front matter `lesson`
    note = option.Type(str, default=DEFAULT_NOTE)  # before the install cell; {packages}, {repo}


class LessonkitConfig(base.Config):
    packages = option.ListOfItems(option.Dir(exists=True), default=[])
    timeout = option.Type((int, float), default=DEFAULT_TIMEOUT)
    jobs = option.Optional(option.Type(int))  # pages run at once; one per core when unset
    env = option.DictOfItems(option.Type(str), default={})  # NAME: path relative to the site's root (above)
    pyodide = option.SubConfig(PyodideConfig)
    notebooks = option.SubConfig(NotebookConfig)


def course_of(settings, root):
    """The Course that the settings describe, for the project at `root`: the default time limit, and the
    folders that hold the course's packages, which the build imports them from."""
    root = Path(root).resolve()
    folders = sorted({Path(package).resolve().parent for package in settings.packages})
    return Course(settings.timeout, tuple(Path(os.path.relpath(folder, root)).as_posix() for folder in folders))


def read_settings(mkdocs_yml="mkdocs.yml"):
    """(docs_dir, the plugin's settings) from an mkdocs.yml, for the adapters that run outside MkDocs.

    The command line and pytest read the same settings as the build, so that a
    snippet has the same time limit, and the runtime the same pin, everywhere.
    Without an mkdocs.yml, or without lessonkit in its plugins, the defaults hold.
    """
    path = Path(mkdocs_yml)
    if not path.is_file():
        return path.resolve().parent / "docs", validated({}, path)
    with open(path, encoding="utf-8") as file:
        site = yaml_load(file) or {}
    plugins = site.get("plugins") or []
    entries = plugins.items() if isinstance(plugins, dict) else (
        next(iter(entry.items())) if isinstance(entry, dict) else (entry, {}) for entry in plugins)
    settings = next((options or {} for name, options in entries if name == "lessonkit"), {})
    return path.resolve().parent / site.get("docs_dir", "docs"), validated(settings, path)


def validated(settings, path):
    config = LessonkitConfig(config_file_path=str(path))
    config.load_dict(settings)
    errors, _ = config.validate()
    if errors:
        raise ValueError(f"{path}: lessonkit's settings: " + "; ".join(f"{key}: {error}" for key, error in errors))
    return config
