"""What tests across folders share: the course's site, built once per test session, its hook modules, and the
course's trained GPT.

The site's hook modules live in docs/overrides/hooks, where MkDocs imports them
by path, with that folder on sys.path while it loads one, so the hooks import
their sibling modules by name. The tests import them by name the same way.
"""

import logging
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from local_server import serving

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
sys.path.append(str(ROOT / "docs" / "overrides" / "hooks"))


SITE_FIXTURES = {"served_site", "built_site"}
LATE_FIXTURES = SITE_FIXTURES | {"course_gpt"}  # what takes minutes cold: their tests wait for it last
# A test that asks for the course's GPT only as it runs (request.getfixturevalue) says so with this mark.
USES_THE_COURSE_GPT = "uses_course_gpt"
site_build_key = pytest.StashKey()


class SiteBuild:
    """The course's site, built by `mkdocs build --strict` in the background for the local address that serves it.

    SITE_URL is that address, so the notebooks' install cells fetch the wheel from this very server.
    """

    def __init__(self):
        self.folder = Path(tempfile.mkdtemp(prefix="site-"))
        self.server = serving(self.folder)
        self.url = self.server.__enter__()
        self.log = tempfile.TemporaryFile(mode="w+")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-d", str(self.folder)],
            cwd=ROOT, env={**os.environ, "NO_MKDOCS_2_WARNING": "true", "SITE_URL": self.url},
            stdout=self.log, stderr=subprocess.STDOUT, text=True,
        )

    def wait(self):
        """Until the build ends; what it printed when it failed, else None."""
        if self.process.wait() == 0:
            return None
        self.log.seek(0)
        return self.log.read()

    def close(self):
        self.process.kill()
        self.process.wait()
        self.server.__exit__(None, None, None)
        self.log.close()
        shutil.rmtree(self.folder, ignore_errors=True)


@pytest.hookimpl(trylast=True)  # after deselection: only the tests that will run count
def pytest_configure(config):
    config.addinivalue_line("markers", f"{USES_THE_COURSE_GPT}: the test loads the course's GPT, so it goes last")


def pytest_collection_modifyitems(config, items):
    """The tests of the built site and of the course's GPT go last, and the site's build starts now: it trains the
    course's models, on one core, while the other tests run on the other."""
    late = [item for item in items if LATE_FIXTURES & set(getattr(item, "fixturenames", ()))
            or item.get_closest_marker(USES_THE_COURSE_GPT)]
    items[:] = [item for item in items if item not in late] + late
    needs_site = any(SITE_FIXTURES & set(getattr(item, "fixturenames", ())) for item in late)
    if needs_site and not config.option.collectonly:
        build = config.stash[site_build_key] = SiteBuild()
        config.add_cleanup(build.close)


@pytest.fixture(scope="session")
def served_site(pytestconfig):
    """(folder, URL): the course's site, built once for the session (SiteBuild), and served."""
    build = pytestconfig.stash[site_build_key]
    failure = build.wait()
    if failure is not None:
        pytest.fail(f"mkdocs build --strict failed:\n{failure}", pytrace=False)
    return build.folder, build.url


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

    # Playwright's routing sees a service worker's requests (the site's coi-serviceworker) only with this set
    # before the browser starts, so that the visits count requests to other hosts made through it too.
    os.environ["PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS"] = "1"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"],
        )
        yield browser
        browser.close()
