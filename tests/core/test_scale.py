"""Pages cost the same number of queries however much data there is, and the editors' lists
never read article texts beyond the rows of the page shown."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories
from tests.editorial import make_user
from tests.factories import small_corpus

pytestmark = pytest.mark.django_db

TEXT = (
    'The minister said: "Sanctions against Russia will stay in place for now." '
    'Later she added: "We welcome talks on arms control with Moscow."'
)


def grow(n: int) -> None:
    """``n`` more articles, each with two quotes by a new speaker, on two topics."""
    topics = [factories.topic("Sanctions"), factories.topic("Arms control")]
    for i in range(n):
        art = factories.article(TEXT, outlet_name=f"Outlet {i % 3}")
        who = factories.speaker(f"Speaker Number{i}")
        factories.quote(
            art,
            "Sanctions against Russia will stay in place for now.",
            who,
            topics=topics[:1],
            confidence=0.1 + i / 100,
        )
        factories.quote(
            art,
            "We welcome talks on arms control with Moscow.",
            who,
            topics=topics,
            confidence=0.2 + i / 100,
        )


def queries(client, url) -> list[str]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
        assert response.status_code == 200, url
        if response.streaming:
            b"".join(response.streaming_content)
    return [q["sql"] for q in ctx.captured_queries]


@pytest.fixture
def editor_client(client):
    client.force_login(make_user("editor", groups=["editors"]))
    return client


def page_urls(corpus):
    admin = "/admin/quotes/quote/"
    return [
        "/",
        "/speakers/",
        "/search/?q=sanctions",
        "/search/?q=arms+control&kind=direct",
        f"/speakers/{corpus.lavrov.slug}/",
        f"/topics/{corpus.sanctions.slug}/",
        "/compare/",
        admin,
        f"{admin}?q=sanctions",
        f"{admin}?status__exact=machine",
        f"{admin}?speaker={corpus.lavrov.pk}",
        f"{admin}?outlet={corpus.a.outlet_id}",
        f"{admin}?topic={corpus.sanctions.pk}",
        f"{admin}?band=low",
        f"{admin}review/",
        f"{admin}review/?page=2",
    ]


def test_no_page_makes_more_queries_as_the_data_grows(editor_client):
    corpus = small_corpus()
    grow(3)
    before = {url: len(queries(editor_client, url)) for url in page_urls(corpus)}
    grow(40)  # 80 more quotes, 40 more speakers and articles
    after = {url: len(queries(editor_client, url)) for url in page_urls(corpus)}
    assert after == before


ARTICLE_TEXT = re.compile(r'"articles_article"\."text"')


@pytest.mark.parametrize(
    "url",
    [
        "/admin/quotes/quote/",
        "/admin/quotes/quote/?q=sanctions",
        "/admin/quotes/quote/?topic={topic}",
        "/admin/quotes/quote/review/",
        "/admin/quotes/quote/review/?page=2",
    ],
)
def test_the_review_queue_and_admin_list_read_article_text_for_the_shown_rows_only(
    editor_client, url
):
    corpus = small_corpus()
    grow(30)
    sql = queries(editor_client, url.format(topic=corpus.sanctions.pk))
    reading = [q for q in sql if ARTICLE_TEXT.search(q)]
    # One query cuts the text around the page's quotes, named by id; nothing else reads it,
    # and no count joins the articles.
    assert len(reading) == 1, reading
    assert re.search(r'WHERE "quotes_quote"\."id" IN \(\d+(, \d+)*\)', reading[0])
    assert "SUBSTRING" in reading[0] and "COUNT" not in reading[0].upper()
    counts = [q for q in sql if q.startswith("SELECT COUNT") and "quotes_quote" in q]
    assert counts and not any("articles_article" in q for q in counts)


def test_the_admin_search_uses_the_full_text_index_not_substrings(editor_client):
    small_corpus()
    sql = queries(editor_client, "/admin/quotes/quote/?q=sanctions")
    listing = [q for q in sql if "quotes_quote" in q and "websearch_to_tsquery" in q]
    assert listing
    assert not any("LIKE" in q.upper() for q in sql if "quotes_quote" in q)
