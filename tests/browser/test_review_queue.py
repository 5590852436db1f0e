"""The review queue in a real Chromium: log in, confirm the least confident quote, see it go."""

import os
from pathlib import Path

import pytest
from django.urls import reverse

from apps.quotes.models import Quote, Report
from tests.browser.conftest import CHROMIUM
from tests.editorial import make_article, make_quote, make_speaker, make_user

SCREENSHOTS = Path(os.environ.get("QT_SCREENSHOTS", "/tmp/qt-screenshots"))

try:
    from playwright.sync_api import expect, sync_playwright
except ImportError:  # pragma: no cover - depends on the machine
    sync_playwright = None

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(sync_playwright is None, reason="playwright is not installed"),
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"no Chromium at {CHROMIUM}"),
]


def test_editor_confirms_a_quote_from_the_queue_and_it_leaves(live_server, page):
    # Groups are built by a migration, but transactional tests flush them: grant the same rights.
    make_user(
        "edith",
        perms=[
            "quotes.view_quote",
            "quotes.change_quote",
            "quotes.view_report",
            "quotes.change_report",
            "speakers.view_speaker",
            "speakers.add_speaker",
            "speakers.change_speaker",
        ],
    )
    article = make_article()
    ivana = make_speaker("Ivana Testerova", role="Ruritanian envoy")
    make_speaker("Marco Examplo")
    doubtful = make_quote(
        article, "Nothing is agreed until everything is agreed,", speaker=ivana, confidence=0.21
    )
    make_quote(article, "hindered by a wave of suspicion", speaker=ivana, confidence=0.64)
    sure = make_quote(article, "We are not going to give up,", speaker=ivana, confidence=0.93)
    Report.objects.create(
        quote=doubtful, message="Marco Examplo said this, not her.", suggested_speaker="Marco"
    )

    page.goto(
        live_server.url + reverse("admin:login") + "?next=" + reverse("admin:quotes_quote_review")
    )
    page.fill("#id_username", "edith")
    page.fill("#id_password", "correct horse battery")
    page.click("input[type=submit]")

    rows = page.locator("tr.qt-row")
    expect(rows).to_have_count(3)
    # Least confident first.
    expect(rows.first).to_have_attribute("data-quote", str(doubtful.pk))
    expect(page.locator(".qt-reports")).to_contain_text("Marco Examplo said this")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "review_queue.png"), full_page=True)

    page.locator(f"#quote-{doubtful.pk} button.qt-confirm").click()

    expect(page.locator(".messagelist")).to_contain_text("Confirmed")
    expect(rows).to_have_count(2)
    expect(page.locator(f"#quote-{doubtful.pk}")).to_have_count(0)
    doubtful.refresh_from_db()
    assert doubtful.status == Quote.Status.CONFIRMED
    assert doubtful.history.first().history_user.username == "edith"
    # Confirming dealt with the reader's report too.
    expect(page.locator(".qt-reports")).to_have_count(0)

    page.goto(live_server.url + reverse("admin:quotes_quote_change", args=[sure.pk]))
    expect(page.locator(".qt-sentence mark")).to_have_text("We are not going to give up,")
    expect(page.locator("#add_id_speaker")).to_be_visible()
    page.screenshot(path=str(SCREENSHOTS / "quote_change.png"), full_page=True)

    page.goto(live_server.url + reverse("admin:quotes_quote_changelist"))
    expect(page.locator("#result_list tbody tr")).to_have_count(3)
    page.screenshot(path=str(SCREENSHOTS / "quote_changelist.png"), full_page=True)
