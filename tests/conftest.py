"""What tests across folders share: the course's site, built once per test session, its hook modules, and the
course's trained GPT.

The site's hook modules live in docs/overrides/hooks, where MkDocs imports them
by path, with that folder on sys.path while it loads one, so the hooks import
their sibling modules by name. The tests import them by name the same way.
"""

import fcntl
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import threading
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
SLOW = "slow"  # a test that takes a minute or more on its own (slow(minutes=N)): the first of the late tests
site_home_key = pytest.StashKey()
site_build_key = pytest.StashKey()


class SiteHome:
    """Where the session's site is built (`site/` in a temporary folder) and the local address that serves it.

    One per session: made by the process that runs the tests, or with
    pytest-xdist (`-n`) by the controller, which serves the folder for as long
    as any worker runs and hands it to every worker (pytest_configure_node).
    """

    def __init__(self, root, url):
        self.root, self.url = Path(root), url
        self.folder = self.root / "site"

    @classmethod
    def served(cls, config):
        """A new home, served until the session ends."""
        root = Path(tempfile.mkdtemp(prefix="site-"))
        (root / "site").mkdir()
        server = serving(root / "site")
        home = cls(root, server.__enter__())
        config.add_cleanup(lambda: shutil.rmtree(root, ignore_errors=True))
        config.add_cleanup(lambda: server.__exit__(None, None, None))
        return home


class SiteBuild:
    """The course's site, built by `mkdocs build --strict` in the background for the address that serves it.

    SITE_URL is that address, so the notebooks' install cells fetch the wheel
    from this very server. Of the processes that need the site, the first to
    take the home's lock file builds it; the others wait on that lock and read
    how the build ended from the file it leaves (`status`: its exit code, and
    `log`: what it printed), so the site is built once whatever the workers.
    """

    def __init__(self, home):
        self.home = home
        self.lock = open(home.root / "build.lock", "w")
        self.status = home.root / "status"
        self.process = None
        try:
            fcntl.flock(self.lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:  # another process is building it
            return
        if self.status.exists():  # built already
            fcntl.flock(self.lock, fcntl.LOCK_UN)
            return
        log = open(home.root / "log", "w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-d", str(home.folder)],
            cwd=ROOT, env={**os.environ, "NO_MKDOCS_2_WARNING": "true", "SITE_URL": home.url},
            stdout=log, stderr=subprocess.STDOUT, text=True,
        )
        self.recording = threading.Thread(target=self.record_the_end, args=(log,), daemon=True)
        self.recording.start()

    def record_the_end(self, log):
        """When the build ends: its exit code into `status`, then the lock released (no one reads it before)."""
        self.status.write_text(str(self.process.wait()))
        log.close()
        fcntl.flock(self.lock, fcntl.LOCK_UN)

    def wait(self):
        """Until the build ends; what it printed when it failed, else None."""
        if self.process:  # this process builds it (its own lock would not make it wait)
            self.recording.join()
        else:  # another process builds it, holding the lock until the build ends
            fcntl.flock(self.lock, fcntl.LOCK_EX)
            fcntl.flock(self.lock, fcntl.LOCK_UN)
        if not self.status.exists():
            return "the process building the site stopped before the build ended"
        if self.status.read_text() == "0":
            return None
        return (self.home.root / "log").read_text()

    def close(self):
        if self.process:
            self.process.kill()
            self.process.wait()
        self.lock.close()


def pytest_configure(config):
    config.addinivalue_line("markers", f"{USES_THE_COURSE_GPT}: the test loads the course's GPT, so it goes last")
    config.addinivalue_line("markers", f"{SLOW}(minutes=1): the test takes about that long cold, so it starts "
                                       "before the other late tests, the longest first (pytest -n runs them beside it)")


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node):
    """pytest-xdist's controller, for each worker: the session's one site home."""
    home = site_home(node.config)
    node.workerinput["site_home"] = (str(home.root), home.url)


def site_home(config):
    """The session's SiteHome: the controller's, in a pytest-xdist worker; else made now, once."""
    if site_home_key not in config.stash:
        if hasattr(config, "workerinput"):
            config.stash[site_home_key] = SiteHome(*config.workerinput["site_home"])
        else:
            config.stash[site_home_key] = SiteHome.served(config)
    return config.stash[site_home_key]


@pytest.hookimpl(trylast=True)  # after deselection: only the tests that will run count
def pytest_collection_modifyitems(config, items):
    """The tests of the built site and of the course's GPT go last, the slow ones first among them, and the site's
    build starts now: it trains the course's models while the other tests run."""
    late = [item for item in items if LATE_FIXTURES & set(getattr(item, "fixturenames", ()))
            or item.get_closest_marker(USES_THE_COURSE_GPT)]
    late.sort(key=minutes_of)  # the slowest first, so that none of them ends the session alone
    items[:] = [item for item in items if item not in late] + late
    needs_site = any(SITE_FIXTURES & set(getattr(item, "fixturenames", ())) for item in late)
    if needs_site and not config.option.collectonly:
        build = config.stash[site_build_key] = SiteBuild(site_home(config))
        config.add_cleanup(build.close)


def minutes_of(item):
    """Minus the minutes a test takes, as its `slow` mark says (`slow(minutes=3)`; 1 for `slow`), else 0."""
    slow = item.get_closest_marker(SLOW)
    return -slow.kwargs.get("minutes", 1) if slow else 0


@pytest.fixture(scope="session")
def served_site(pytestconfig):
    """(folder, URL): the course's site, built once for the session (SiteBuild), and served."""
    build = pytestconfig.stash[site_build_key]
    failure = build.wait()
    if failure is not None:
        pytest.fail(f"mkdocs build --strict failed:\n{failure}", pytrace=False)
    return build.home.folder, build.home.url


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
