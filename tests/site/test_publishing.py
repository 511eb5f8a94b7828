"""Publishing: one Python version everywhere, addresses from the environment, the cache kept."""

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
WORKFLOW = ROOT / ".github/workflows/pages.yml"


def test_the_makefile_pyproject_and_pages_workflow_use_one_python_version():
    makefile = re.search(r"^PYTHON_VERSION := (\d+\.\d+)$", (ROOT / "Makefile").read_text(), re.MULTILINE).group(1)
    requires = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["requires-python"]
    container = yaml.safe_load(WORKFLOW.read_text())["jobs"]["build"]["container"]
    major, minor = makefile.split(".")
    assert requires == f">={makefile},<{major}.{int(minor) + 1}"
    assert container == f"python:{makefile}-bookworm"


def test_the_pages_workflow_passes_the_addresses_and_keeps_the_cache():
    steps = yaml.safe_load(WORKFLOW.read_text())["jobs"]["build"]["steps"]
    runs = "\n".join(step.get("run", "") for step in steps)
    assert "SITE_URL=" in runs and "REPO_URL=" in runs
    cache = next(step for step in steps if step.get("uses", "").startswith("actions/cache@"))
    assert cache["with"]["path"] == ".cache"
    assert "restore-keys" in cache["with"]  # a new commit starts from the newest cache
    names = [step.get("uses") or step.get("run") for step in steps]
    assert names.index(cache["uses"]) < names.index("make test")


def test_mkdocs_reads_both_addresses_from_the_environment():
    text = (ROOT / "mkdocs.yml").read_text()
    assert re.search(r"^site_url: !ENV \[SITE_URL, \"http://127\.0\.0\.1:8000/\"\]$", text, re.MULTILINE)
    assert re.search(r"^repo_url: !ENV \[REPO_URL, \"https://", text, re.MULTILINE)


def test_the_readme_links_the_authors_guide_and_both_licences():
    readme = (ROOT / "README.md").read_text()
    for target in ["docs/contributing.md", "LICENSE", "LICENSE-content.md"]:
        assert f"]({target})" in readme
        assert (ROOT / target).exists()
