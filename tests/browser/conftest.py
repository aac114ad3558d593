"""The inbox in a real headless Chromium: the app served on 127.0.0.1, Playwright driving it.

One browser for all the tests of this folder, a new browser context (fresh cookies) per test.
Playwright uses the system Chromium (Debian package `chromium`) and never downloads one.
A missing Chromium FAILS the tests: they are never skipped silently.

Set BROWSER_SCREENSHOTS=/some/folder to keep the screenshots that tests take with
`screenshot(page, name)`.
"""
from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from flask import Flask, got_request_exception
from sqlalchemy.orm import Session, sessionmaker
from werkzeug.serving import WSGIRequestHandler, make_server

from bot.settings import Settings
from storage.models import Team, User
from tests.support.accounts import PASSWORD, password_hash

os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
from playwright.sync_api import Browser, Page, Route, sync_playwright  # noqa: E402

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
# Debian's Chromium as root needs --no-sandbox; the rest keeps it off the (absent) network.
CHROMIUM_FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
    "--disable-dev-shm-usage", "--disable-features=Translate,MediaRouter,OptimizationHints",
]
AXE_SOURCE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")

EMAIL = "camille@example.fr"
NAME = "Camille Martin"
TEAMS = ("Équipe Sarcelles", "فريق سارسيل")  # an Arabic name shows right to left


@dataclass
class LiveServer:
    """The app served by a real WSGI server in a thread; `errors` are its unhandled exceptions."""

    url: str
    app: Flask
    errors: list[str] = field(default_factory=list)


class QuietHandler(WSGIRequestHandler):
    """Werkzeug's request handler without a log line per request."""

    def log_request(self, *args: object, **kwargs: object) -> None:
        pass


def seed_coordinator(session_factory: sessionmaker[Session],
                     default_team: str | None = None) -> None:
    """The coordinator the tests sign in as, in two teams; `default_team` (one of TEAMS)
    receives the cases no territory claims."""
    with session_factory.begin() as session:
        session.add(User(email=EMAIL, name=NAME, role="coordinator",
                         password_hash=password_hash(),
                         teams=[Team(name=name, is_default=name == default_team)
                                for name in TEAMS]))


@contextmanager
def serve(make: Callable[[str], Flask]) -> Iterator[LiveServer]:
    """Serve the app `make(url)` builds (it may need its own URL) in a thread; stop it after."""
    holder: list[Flask] = []
    server = make_server("127.0.0.1", 0, lambda environ, start: holder[0](environ, start),
                         threaded=True, request_handler=QuietHandler)
    url = f"http://127.0.0.1:{server.server_port}"
    holder.append(make(url))
    live = LiveServer(url, holder[0])

    def record(_sender: Flask, exception: Exception, **_extra: object) -> None:
        live.errors.append(repr(exception))

    got_request_exception.connect(record, live.app)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    yield live
    server.shutdown()
    thread.join(timeout=5)
    server.server_close()
    assert not live.errors, "the app failed while serving the browser:\n" + "\n".join(live.errors)


@pytest.fixture
def live_server(db_url: str, session_factory: sessionmaker[Session]) -> Iterator[LiveServer]:
    """The real app on the test's database at http://127.0.0.1:<random port>."""
    from webhooks import create_app

    seed_coordinator(session_factory)
    with serve(lambda _url: create_app({"TESTING": True, "DATABASE_URL": db_url,
                                        "SETTINGS": Settings()})) as live:
        yield live


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    """Headless system Chromium, shared by all the browser tests.

    Package scope, not session: Playwright's sync API keeps an asyncio loop running while
    it is started, and the tests that follow (python-telegram-bot's) need asyncio.run().
    """
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: the browser tests need Debian's Chromium "
                    "(apt-get install -y chromium), or CHROMIUM_PATH set to a Chromium.",
                    pytrace=False)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser, live_server: LiveServer) -> Iterator[Page]:
    """A page in a fresh context: JS errors, CSP refusals and outside requests fail the test."""
    context = browser.new_context(base_url=live_server.url, locale="fr-FR",
                                  viewport={"width": 1280, "height": 800})
    context.set_default_timeout(5_000)
    outside: list[str] = []

    def only_the_app(route: Route) -> None:
        if route.request.url.startswith(live_server.url):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", only_the_app)
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda message: message.type == "error" and problems.append(message.text))
    page.on("pageerror", lambda error: problems.append(f"uncaught: {error}"))
    yield page
    context.close()
    assert not outside, f"the page asked for outside resources: {outside}"
    assert not problems, "errors in the browser console:\n" + "\n".join(problems)


def login(page: Page, email: str = EMAIL, password: str = PASSWORD) -> None:
    """Sign in through the form, as a person would, and wait for the case list."""
    page.goto("/connexion")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url("**/demandes")


def check_accessibility(page: Page) -> None:
    """Run axe-core (vendored, all default rules) on the page; fail listing every violation."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE_SOURCE)
    results = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    if results["violations"]:
        pytest.fail(f"axe-core on {page.url}:\n" + describe_violations(results["violations"]),
                    pytrace=False)


def describe_violations(violations: list[dict]) -> str:
    """One block per rule: id, impact, what it asks, and each offending element."""
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}"
                     f" [{violation['helpUrl']}]")
        for node in violation["nodes"]:
            lines.append(f"    {json.dumps(node['target'])}: {node['html'][:160]}")
            lines.extend(f"      {line}" for line in node["failureSummary"].splitlines())
    return "\n".join(lines)


def has_horizontal_scroll(page: Page) -> bool:
    """Whether the page is wider than the viewport."""
    return page.evaluate("() => document.documentElement.scrollWidth > window.innerWidth")


def screenshot(page: Page, name: str) -> None:
    """Save a full-page screenshot to $BROWSER_SCREENSHOTS/<name>.png when that is set."""
    folder = os.environ.get("BROWSER_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)
