"""Browser tests of the built site: one strict build, one local server, one Chromium.

The site (tests/conftest.py builds it once per session) is served on 127.0.0.1
at a free port, the address it was built for. Chromium is Debian's
(/usr/bin/chromium), driven by Playwright; tests/browser/ensure_chromium.sh
installs it.

Every page a test opens is watched: a request to anywhere but the local server is
blocked and fails the test, and so does an error in the browser console.

Every page of a lessonkit site loads coi-serviceworker.js, whose service worker
makes the site cross-origin isolated after the first load reloads the page
once. A visit waits for that, so that no test acts on the page the reload
throws away; `Visit(..., isolated=False)` visits as a browser without service
workers (such as a private window in some browsers) does. The session's
browser (tests/conftest.py) starts with Playwright seeing a service worker's
requests, so requests to other hosts are counted there too.
"""

import contextlib
from pathlib import Path
from urllib.parse import urlparse

import pytest
from local_server import serving

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "tests" / "screenshots"
PHONE = {"width": 375, "height": 812}  # the narrowest common phone
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture(scope="session")
def base_url(served_site):
    return served_site[1]


@pytest.fixture
def serve():
    """serve(folder) -> the URL of another built site, served on 127.0.0.1 for one test."""
    with contextlib.ExitStack() as stack:
        yield lambda folder: stack.enter_context(serving(folder))


class Visit:
    """Opens pages of the local site and records what would make a learner's visit go wrong."""

    def __init__(self, browser, base_url, viewport, isolated=True):
        self.base_url = base_url
        self.isolated = isolated
        self.context = browser.new_context(viewport=viewport)
        if not isolated:
            self.context.add_init_script("delete Navigator.prototype.serviceWorker")
        self.outside_requests = []
        self.console_errors = []
        self.context.route("**/*", self.only_local)
        self.page = self.context.new_page()
        self.page.on("console", self.on_console)
        self.page.on("pageerror", lambda error: self.console_errors.append(str(error)))

    def only_local(self, route):
        if urlparse(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            self.outside_requests.append(route.request.url)
            route.abort()

    def on_console(self, message):
        if message.type == "error":
            self.console_errors.append(message.text)

    def open(self, path):
        self.page.goto(self.base_url + path)
        self.page.wait_for_load_state("load")
        if self.isolated:  # the first load of a visit reloads once, isolated: wait for that page, loaded
            self.page.wait_for_function("crossOriginIsolated")
            self.page.wait_for_load_state("load")
        return self.page

    def screenshot(self, name):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=SCREENSHOTS / f"{name}.png", animations="disabled")

    def close(self):
        self.context.close()


@pytest.fixture(scope="module")
def visiting(browser):
    """visiting(base_url, isolated=True) -> a page of another site, on a desktop, for a whole test module (one
    Python start for its tests); its requests and console are checked when the module is done."""
    visits = []

    def open_visit(base_url, isolated=True):
        visits.append(Visit(browser, base_url, DESKTOP, isolated))
        return visits[-1].open("")

    yield open_visit
    for visit in visits:
        visit.close()
        assert visit.outside_requests == [], "requests left 127.0.0.1"
        assert visit.console_errors == [], "errors in the browser console"


def visit_fixture(viewport):
    @pytest.fixture
    def visit(browser, base_url):
        visit = Visit(browser, base_url, viewport)
        yield visit
        visit.close()
        assert visit.outside_requests == [], "requests left 127.0.0.1"
        assert visit.console_errors == [], "errors in the browser console"

    return visit


def reader_fixtures(viewport, name):
    """A module's one visit for tests that only read pages (no clicks that change what the site stores), and a
    fixture that hands it to each test, checking the test's own requests and console messages. Its browser
    context outlives a test, so the service worker that the first page installs serves the next pages at once,
    without the first load's reload."""
    @pytest.fixture(scope="module", name=f"{name}_reading")
    def reading(browser, base_url):
        visit = Visit(browser, base_url, viewport)
        yield visit
        visit.close()

    @pytest.fixture(name=f"{name}_reader")
    def reader(request, base_url):  # base_url, named here, marks its tests as needing the site (they go last)
        reading = request.getfixturevalue(f"{name}_reading")
        reading.outside_requests.clear()
        reading.console_errors.clear()
        yield reading
        assert reading.outside_requests == [], "requests left 127.0.0.1"
        assert reading.console_errors == [], "errors in the browser console"

    return reading, reader


desktop = visit_fixture(DESKTOP)
phone = visit_fixture(PHONE)
desktop_reading, desktop_reader = reader_fixtures(DESKTOP, "desktop")
phone_reading, phone_reader = reader_fixtures(PHONE, "phone")
