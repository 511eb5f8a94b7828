"""What tests across folders share: the course's site, built once per test session, its hook modules, and the
course's trained GPT.

The site's hook modules live in docs/overrides/hooks, where MkDocs imports them
by path, with that folder on sys.path while it loads one, so the hooks import
their sibling modules by name. The tests import them by name the same way.
"""

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from local_server import serving

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
sys.path.append(str(ROOT / "docs" / "overrides" / "hooks"))


@pytest.fixture(scope="session")
def served_site(tmp_path_factory):
    """(folder, URL): the course's site, built by `mkdocs build --strict` for the local address that serves it.

    SITE_URL is that address, so the notebooks' install cells fetch the wheel from this very server.
    """
    site = tmp_path_factory.mktemp("site")
    with serving(site) as url:
        build = subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-d", str(site)],
            cwd=ROOT, env={**os.environ, "NO_MKDOCS_2_WARNING": "true", "SITE_URL": url},
            capture_output=True, text=True,
        )
        if build.returncode != 0:
            pytest.fail(f"mkdocs build --strict failed:\n{build.stdout}{build.stderr}", pytrace=False)
        yield site, url


@pytest.fixture(scope="session")
def built_site(served_site):
    """The course's site, built once (see served_site)."""
    return served_site[0]


@pytest.fixture(scope="session")
def course_gpt(pytestconfig):
    """The course's GPT, deepdive.pretrained.trained() with the course's settings, once a session.

    It comes from .cache/deepdive, where it is stored under a key of its code,
    config, settings and data. When nothing is stored under that key yet, it
    trains here (a few minutes), and every 50th step shows on the terminal.
    """
    from deepdive.pretrained import trained

    progress = logging.getLogger("deepdive.training")
    terminal = ToTerminal(pytestconfig.pluginmanager.getplugin("terminalreporter"))
    level = progress.level
    progress.setLevel(logging.INFO)
    progress.addHandler(terminal)
    try:
        with pytestconfig.pluginmanager.getplugin("capturemanager").global_and_fixture_disabled():
            return trained()
    finally:
        progress.removeHandler(terminal)
        progress.setLevel(level)


class ToTerminal(logging.Handler):
    """Log records as lines of pytest's output, between the test results."""

    def __init__(self, reporter):
        super().__init__()
        self.reporter = reporter

    def emit(self, record):
        if self.reporter:  # None when pytest runs without its terminal output
            self.reporter.write_line(f"{record.name}: {record.getMessage()}")


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, driven by Playwright, once per test session (one Playwright may run at a time)."""
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: run tests/browser/ensure_chromium.sh (as root it installs "
            "Debian's chromium package)",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"],
        )
        yield browser
        browser.close()
