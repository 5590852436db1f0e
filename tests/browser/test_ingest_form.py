"""The staff ingest form in a real Chromium: paste an article with its title, outlet, URL and
date; a worker stores it; the status updates in place (htmx) and the article page shows them."""

import threading
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission, User
from django.db import connections
from django.urls import reverse

from apps.articles.models import Article
from tests.browser.conftest import CHROMIUM

try:
    from playwright.sync_api import expect, sync_playwright
except ImportError:  # pragma: no cover - depends on the machine
    sync_playwright = None

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("committed_db"),
    pytest.mark.skipif(sync_playwright is None, reason="playwright is not installed"),
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"no Chromium at {CHROMIUM}"),
]

TEXT = (
    "Port talks resume\n\n"
    "“We are back at the table because the city cannot wait,” Mayor Ines Calder said on Monday."
)


def work():
    """A real worker, in a thread of its own (Playwright's loop runs in the test's thread)."""
    from apps.core.queue import run_worker

    try:
        run_worker(until_idle=True, install_signal_handlers=False)
    finally:
        connections.close_all()


def test_ingest_form_takes_title_outlet_url_and_date(live_server, page):
    user = User.objects.create_user("ines", password="correct horse battery", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="add_article"))

    page.goto(live_server.url + reverse("admin:login") + "?next=" + reverse("ingest"))
    page.fill("#id_username", "ines")
    page.fill("#id_password", "correct horse battery")
    page.click("input[type=submit]")
    expect(page.locator("#ingest-title")).to_be_visible()

    page.fill("#id_text", TEXT)
    page.fill("#id_title", "Calder: back at the table")
    page.fill("#id_outlet", "Harbour Gazette")
    page.fill("#id_url", "https://gazette.example/port-talks")
    page.fill("#id_published", "2024-06-03")
    page.click("form button[type=submit], form input[type=submit]")
    expect(page.get_by_text("Queued")).to_be_visible()

    worker = threading.Thread(target=work)
    worker.start()
    worker.join(timeout=120)
    # the status region updates in place (htmx polls it), no reload needed
    expect(page.get_by_text("Stored:")).to_be_visible(timeout=15_000)

    article = Article.objects.get()
    assert (article.title, article.outlet.name, article.url, str(article.published)) == (
        "Calder: back at the table",
        "Harbour Gazette",
        "https://gazette.example/port-talks",
        "2024-06-03",
    )
    page.goto(live_server.url + reverse("article_detail", args=[article.pk]))
    expect(page.get_by_text("Harbour Gazette").first).to_be_visible()
    expect(page.get_by_text("We are back at the table").first).to_be_visible()
