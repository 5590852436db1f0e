"""End-to-end (issue 17): a name variant finds its speaker, a claim is shown once with its
quoted words inside, an outlet's page. Screenshots go beside the others'."""

import pytest

from tests.browser.test_public_pages import browser, page, seeds, shot  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_search_by_a_name_variant_shows_the_speaker_first(page):  # noqa: F811
    page.goto("/search/")
    page.get_by_label("Words").press_sequentially("Sergei Lavrov", delay=20)
    page.wait_for_url("**/search/?q=Sergei%20Lavrov")
    page.wait_for_load_state("networkidle")
    match = page.locator(".speaker-match")
    assert match.get_by_role("link", name="Sergey Lavrov").first.is_visible()
    results = page.locator("#results")
    assert "by or mentioning Sergey Lavrov" in results.inner_text()
    speakers = page.locator(".quote-card .speaker").all_inner_texts()
    assert len(speakers) >= 10 and speakers[0] == "Sergey Lavrov"
    shot(page, "search-name-variant")
    # The surname alone, typed in the speaker list, finds the same person.
    page.goto("/search/?q=Putin")
    assert page.locator(".speaker-match h2 a").inner_text() == "Vladimir Putin"


def test_a_speaker_page_shows_a_claim_once_with_its_partial_inside(page):  # noqa: F811
    page.goto("/speakers/sergey-lavrov/")
    cards = page.locator(".quote-card")
    claim = cards.filter(has=page.locator("mark.quote-part")).first
    part = claim.locator("mark.quote-part").first.inner_text()
    assert len(part.split()) >= 2
    claim.scroll_into_view_if_needed()
    shot(page, "speaker-claim-with-part")
    # Across every page of the listing (each opened by its address), no card is that partial.
    texts, number = [], 1
    while True:
        page.goto(f"/speakers/sergey-lavrov/?page={number}")
        texts += [t.strip(' “”"') for t in page.locator(".quote-card blockquote").all_inner_texts()]
        if not page.locator(".pagination a[rel=next]").count():
            break
        number += 1
    assert part not in texts
    assert sum(part in t for t in texts) >= 1


def test_an_outlet_page_shows_what_it_quoted_and_from_whom(page):  # noqa: F811
    page.goto("/outlets/")
    page.get_by_role("link", name="RT", exact=True).click()
    page.wait_for_url("**/outlets/*/")
    assert page.locator("h1").inner_text() == "RT"
    whom = page.locator("section", has=page.get_by_role("heading", name="Whom it quoted most"))
    assert "Sergey Lavrov" in whom.inner_text()
    assert page.locator(".quote-card").count() >= 5
    assert page.locator(".quote-card .source").first.inner_text().startswith("RT")
    shot(page, "outlet")
    # The articles list filtered to this outlet, and dates shown plainly.
    page.locator(".page-head .lede a").first.click()
    page.wait_for_url("**/articles/?outlet=*")
    rows = page.locator("table.articles tbody tr")
    assert rows.count() >= 1 and all("RT" in t for t in rows.all_inner_texts())
    page.goto("/articles/?dated=no")
    assert "date unknown" in page.locator("table.articles").inner_text()
    shot(page, "articles-undated")


def test_the_admin_quote_list_fits_a_1280_px_screen(browser, live_server, seeds):  # noqa: F811
    from django.contrib.auth.models import User

    User.objects.create_superuser("wide", "wide@example.org", "a-long-test-password")
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=live_server.url)
    tab = context.new_page()
    tab.goto("/admin/login/")
    tab.fill("#id_username", "wide")
    tab.fill("#id_password", "a-long-test-password")
    tab.click("input[type=submit]")
    tab.goto("/admin/quotes/quote/")
    table = tab.locator("#result_list")
    assert table.locator("tbody tr").count() >= 10
    width, room = tab.evaluate(
        "[document.querySelector('#result_list').scrollWidth,"
        " document.querySelector('#result_list').parentElement.clientWidth]"
    )
    assert width <= room  # every column visible, no sideways scrolling
    assert tab.evaluate("document.documentElement.scrollWidth") <= 1280
    shot(tab, "admin-quotes-1280")
    context.close()
