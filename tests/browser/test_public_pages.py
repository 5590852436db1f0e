"""End-to-end: Debian's Chromium (Playwright) against the live app on the ingested seeds.

Screenshots of each page go to /tmp/quote-tracker-shots/ for a human to look at.
"""

import os
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command, get_commands

from tests.browser.conftest import CHROMIUM, LAUNCH_ARGS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parent.parent.parent
SHOTS = Path(os.environ.get("QT_SCREENSHOTS", "/tmp/quote-tracker-shots"))

sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed")
if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
    pytest.skip(f"no Chromium at {CHROMIUM}", allow_module_level=True)


@pytest.fixture(scope="module")
def browser():
    # Playwright's sync API runs an event loop; Django refuses ORM calls from async contexts.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_api.sync_playwright() as p:
            chromium = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
            yield chromium
            chromium.close()
    finally:  # don't leak into later tests (manage.py check --deploy refuses it)
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def seeds(transactional_db):
    if "ingest" not in get_commands():
        pytest.skip("the ingest command does not exist yet")
    _restore_seeded_rows()
    call_command("ingest", str(ROOT / "seeds"), "--no-progress")


def _restore_seeded_rows():
    """Transactional tests empty every table, including the rows data migrations put there (the
    topic taxonomy, the speaker registry): put them back as the migrations do."""
    import importlib

    from django.apps import apps as django_apps
    from django.db import connection

    from apps.quotes.models import Topic
    from apps.speakers.models import Speaker

    for model, module in [
        (Topic, "apps.quotes.migrations.0002_seed_topics"),
        (Speaker, "apps.speakers.migrations.0002_seed_speakers"),
    ]:
        if not model.objects.exists():
            importlib.import_module(module).seed(django_apps, connection.schema_editor())
    # Canonical organisations and the narrowed taxonomy (both idempotent).
    importlib.import_module(
        "apps.speakers.migrations.0004_canonical_organisations_and_surnames"
    ).seed(django_apps, connection.schema_editor())
    importlib.import_module("apps.quotes.migrations.0013_topic_keywords_narrowed").narrow(
        django_apps, connection.schema_editor()
    )


@pytest.fixture
def page(browser, live_server, seeds):
    context = browser.new_context(viewport={"width": 1200, "height": 900}, base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_search_as_you_type_updates_results_and_url(page):
    page.goto("/search/")
    shot(page, "search-empty")
    page.get_by_label("Words").press_sequentially("sanctions", delay=30)
    page.wait_for_url("**/search/?q=sanctions")
    results = page.locator("#results")
    assert "quotes matching “sanctions”" in results.inner_text()
    assert results.locator("mark").first.inner_text().lower() == "sanctions"
    # Filters combine and the URL keeps all of them, without empty parameters.
    page.get_by_label("Speaker").select_option(label="Sergey Lavrov")
    page.wait_for_url("**/search/?q=sanctions&speaker=sergey-lavrov")
    page.wait_for_load_state("networkidle")
    speakers = results.locator(".quote-card .speaker").all_inner_texts()
    assert speakers and set(speakers) == {"Sergey Lavrov"}
    shot(page, "search-filtered")
    # The shared URL gives the same page without JavaScript.
    page.reload()
    assert page.get_by_label("Words").input_value() == "sanctions"
    assert set(page.locator(".quote-card .speaker").all_inner_texts()) == {"Sergey Lavrov"}
    # Misspelling: the trigram fallback.
    page.get_by_label("Speaker").select_option("")
    page.get_by_label("Words").fill("Lavorv")
    page.wait_for_url("**/search/?q=Lavorv")
    page.wait_for_load_state("networkidle")
    assert "No exact match for “Lavorv”" in results.inner_text()
    assert "Sergey Lavrov" in results.inner_text()
    shot(page, "search-fuzzy")


def test_speaker_and_article_pages(page):
    page.goto("/speakers/")
    page.get_by_label("Filter by name").press_sequentially("lavr", delay=30)
    page.wait_for_url("**/speakers/?name=lavr")
    page.get_by_role("link", name="Sergey Lavrov").click()
    page.wait_for_url("**/speakers/sergey-lavrov/")
    assert page.locator("h1").inner_text() == "Sergey Lavrov"
    assert page.locator(".quote-card").count() >= 10
    assert page.locator("svg.timeline").count() == 1
    shot(page, "speaker")
    # Follow a quote to its place in the article.
    page.locator(".quote-card .links a").first.click()
    page.wait_for_load_state()
    fragment = page.url.split("#", 1)[1]
    target = page.locator(f"mark#{fragment}")
    assert target.count() == 1
    assert page.locator(".article-body mark.quote").count() >= 5
    assert target.get_attribute("data-speaker") == "Sergey Lavrov"
    shot(page, "article")


def test_compare_shows_both_versions_of_the_wave_of_suspicions(page):
    page.goto("/compare/")
    statement = page.locator("article.statement", has_text="hindered by the wave of suspicion")
    assert statement.count() >= 1
    versions = statement.first.locator(".version")
    assert versions.count() >= 2
    texts = versions.all_inner_texts()
    assert any("suspicions" in t for t in texts) and any("suspicion " in t for t in texts)
    assert statement.first.locator("ins, del").count() >= 1
    shot(page, "compare")
    # The quote page: JSON-LD and the report form (htmx, no account).
    versions.first.get_by_role("link", name="Details").click()
    page.wait_for_url("**/quotes/*/")
    assert page.locator('script[type="application/ld+json"]').count() == 1
    page.get_by_label("What is wrong?").fill("I think this was someone else.")
    page.get_by_role("button", name="Send report").click()
    page.get_by_text("Thank you: an editor will look at this attribution.").wait_for()
    shot(page, "quote")


def test_home_and_topic_pages_on_a_phone(browser, live_server, seeds):
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, base_url=live_server.url, is_mobile=True
    )
    page = context.new_page()
    page.goto("/")
    assert page.locator(".stats dd").count() == 4
    # Nothing wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, "home-phone")
    page.locator(".tags a", has_text="Sanctions").first.click()
    page.wait_for_url("**/topics/sanctions/")
    assert page.locator(".speaker-group").count() >= 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, "topic-phone")
    context.close()
