import os
import shutil

import pytest

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
