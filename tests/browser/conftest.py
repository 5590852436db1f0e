import os
import shutil

import pytest
from django.db import connections

# Debian's Chromium, started the way this closed-network machine needs.
CHROMIUM = os.environ.get("QT_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session", autouse=True)
def _live_server_plain_http():
    """The live server speaks plain HTTP: its middleware reads these once, when it starts, so
    they are set for the whole session before any browser test starts it."""
    from django.conf import settings

    saved = {
        name: getattr(settings, name)
        for name in (
            "SECURE_SSL_REDIRECT",
            "SECURE_HSTS_SECONDS",
            "CSRF_COOKIE_SECURE",
            "SESSION_COOKIE_SECURE",
        )
    }
    settings.SECURE_SSL_REDIRECT = False
    settings.SECURE_HSTS_SECONDS = 0
    settings.CSRF_COOKIE_SECURE = False
    settings.SESSION_COOKIE_SECURE = False
    yield
    for name, value in saved.items():
        setattr(settings, name, value)


@pytest.fixture
def page(live_server, settings, monkeypatch):
    """A Chromium page for tests that sign in (modules that browse anonymously define their
    own). The live server speaks plain HTTP; Playwright's sync API runs an event loop in this
    thread."""
    from playwright.sync_api import sync_playwright

    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        yield context.new_page()
        context.close()
        browser.close()
        # While Playwright runs, its event loop counts as running in this thread, so Django gives
        # the test's queries connections of their own: close them before it stops, or they stay
        # open and the test database cannot be dropped at the end of the run.
        connections.close_all()
