"""A lab cell that fails makes `mkdocs build --strict` fail, and the message shows the cell."""

import os
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
LAB = ROOT / "docs" / "chapter-2" / "lab-values-and-gradients.py"


class AnyTagLoader(yaml.SafeLoader):
    """Reads mkdocs.yml without resolving its !ENV or !!python tags."""


AnyTagLoader.add_multi_constructor("", lambda loader, suffix, node: None)


def jupyter_plugin_config():
    """The mkdocs-jupyter options from the project's mkdocs.yml."""
    config = yaml.load((ROOT / "mkdocs.yml").read_text(), Loader=AnyTagLoader)
    [options] = [p["mkdocs-jupyter"] for p in config["plugins"] if isinstance(p, dict) and "mkdocs-jupyter" in p]
    return options


def test_the_project_runs_labs_and_fails_on_errors():
    options = jupyter_plugin_config()
    assert options["execute"] is True and options["allow_errors"] is False
    assert options["include_source"] is True


def test_a_failing_cell_fails_the_build_and_is_named(tmp_path):
    broken = LAB.read_text().replace("return a + b * -1", "return a + b * -2")
    assert broken != LAB.read_text()
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / LAB.name).write_text(broken)
    (tmp_path / "mkdocs.yml").write_text(yaml.safe_dump({
        "site_name": "broken lab",
        "nav": [LAB.name],
        "plugins": [{"mkdocs-jupyter": {**jupyter_plugin_config(), "cache": False}}],
    }))
    build = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=tmp_path,
                           env={**os.environ, "NO_MKDOCS_2_WARNING": "true"}, capture_output=True, text=True)
    assert build.returncode != 0
    assert f"Error reading page '{LAB.name}'" in build.stderr
    assert "An error occurred while executing the following cell" in build.stderr
    assert "return a + b * -2" in build.stderr
    assert "sub(a, b).data is 8.0 for a = 2.0, b = -3.0; a - b is 5.0" in build.stderr
