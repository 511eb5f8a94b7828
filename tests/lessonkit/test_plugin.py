"""The lessonkit plugin in a project of its own: its settings, imports the page cannot make, notebooks of other hooks."""

import json
import os
import subprocess
import sys

import pytest

from shared_runtime import share_runtime

CONFIG = """\
site_name: plugin
site_url: http://127.0.0.1:8000/
theme: mkdocs
plugins:
  - lessonkit:
      packages: [src/tiny]
      notebooks:
        subtitle: "Part {lesson} of the tiny course."
        note: "Installs {packages}."
hooks:
  - notebook_of_its_own.py
"""
HOOK = '''
import nbformat
from mkdocs.structure.files import File


def on_files(files, config):  # a hook that offers a notebook of its own, listed after the plugin
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Extra")])
    files.append(File.generated(config, "extra.ipynb", content=nbformat.writes(notebook)))
    return files
'''
PAGE = '''\
---
lesson: "1.1"
---

# Tiny

```python
from tiny import double
import json
print(double(21))
```

```output
42
```

```python build-only="it needs a package the page does not have"
try:
    import numpy_that_is_not_here
except ImportError:
    print("not here")
```

```output
not here
```
'''


def project(tmp_path, page=PAGE, config=CONFIG):
    (tmp_path / "mkdocs.yml").write_text(config)
    (tmp_path / "notebook_of_its_own.py").write_text(HOOK)
    (tmp_path / "src" / "tiny").mkdir(parents=True)
    (tmp_path / "src" / "tiny" / "__init__.py").write_text("def double(x):\n    return 2 * x\n")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text(page)
    return share_runtime(tmp_path)


def build(folder):
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(folder / "site")],
                          cwd=folder, capture_output=True, text=True, timeout=300,
                          env={**os.environ, "NO_MKDOCS_2_WARNING": "true"})


def test_a_project_builds_with_its_package_served_as_a_wheel_and_every_notebook_installs_it(tmp_path):
    built = build(project(tmp_path))
    assert built.returncode == 0, built.stderr
    site = tmp_path / "site"
    assert "42" in (site / "index.html").read_text()
    [wheel] = (site / "assets" / "wheels").glob("*/tiny-0-py3-none-any.whl")
    lesson = json.loads((site / "index.ipynb").read_text())
    extra = json.loads((site / "extra.ipynb").read_text())
    for notebook in (lesson, extra):  # the hook's notebook too, though hooks come after plugins in MkDocs' order
        title, install = notebook["cells"][:2]
        assert "".join(title["source"]).endswith("Installs tiny.")
        assert f"http://127.0.0.1:8000/{wheel.relative_to(site).as_posix()}" in "".join(install["source"])
    assert "*Part 1.1 of the tiny course.*" in "".join(lesson["cells"][0]["source"])
    for name in ("run.js", "exercises.js", "run-worker.js", "run_worker.py", "run.css", "exercises.css",
                 "semantics.py", "purify.es.mjs", "allowlist.json"):
        assert (site / "assets" / "lessonkit" / name).is_file()


def test_an_import_the_page_cannot_make_fails_the_build_naming_the_page_line_and_package(tmp_path):
    page = PAGE.replace("import json\n", "import json\nimport numpy_that_is_not_here  # noqa\n")
    built = build(project(tmp_path, page))
    assert built.returncode != 0
    assert "docs/index.md:10: this snippet runs in the page, whose Python cannot install 'numpy_that_is_not_here'" \
        in built.stderr


@pytest.mark.parametrize("setting, message", [
    ("packages: [src/nowhere]", "packages"),
    ("timeout: soon", "timeout"),
    ("unknown: 1", "unknown"),
])
def test_a_wrong_setting_stops_the_build_naming_it(tmp_path, setting, message):
    config = CONFIG.replace("      packages: [src/tiny]", f"      {setting}")
    built = build(project(tmp_path, config=config))
    assert built.returncode != 0
    assert "lessonkit" in built.stderr and message in built.stderr, built.stderr
