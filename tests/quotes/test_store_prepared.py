"""A new article's quotes are made before the storing transaction opens: the result is the
same as storing them all inside it, and a failure inside still leaves nothing of the article."""

import pytest
from django.db import transaction

from apps.articles import shapes
from apps.articles.models import Article
from apps.articles.services import article_ingest
from apps.quotes import services
from apps.quotes.extraction import ExtractedQuote
from apps.quotes.models import Quote, QuoteCount, QuoteFingerprint, Statement
from apps.quotes.services import TopicMatcher, quotes_prepare, quotes_store_for_article
from tests.articles.test_limits import machine_quotes

pytestmark = pytest.mark.django_db


def stored(article: Article) -> list[tuple]:
    return sorted(
        (q.start, q.end, q.text, q.kind, q.speaker.name, q.paragraph, q.part_of_id is not None)
        + (tuple(sorted(t.slug for t in q.topics.all())),)
        for q in article.quotes.select_related("speaker").prefetch_related("topics")
    )


def test_prepared_ahead_the_quotes_are_stored_as_inside_the_transaction():
    text = shapes.article("paragraph", 64 * 1024)
    extracted = machine_quotes(text)
    # a few claims holding the quotes within them (and a duplicate span): parts, first wins
    for a, b in zip(extracted[:40:4], extracted[1:40:4], strict=True):
        extracted.append(
            ExtractedQuote(
                start=a.start,
                end=b.end,
                text=text[a.start : b.end],
                kind="indirect",
                speaker=b.speaker,
                confidence=0.5,
            )
        )
    extracted.append(extracted[0])
    matcher = TopicMatcher()
    made = {}
    for label, prepared in (
        ("inside", None),
        ("ahead", quotes_prepare(text=text, extracted=extracted, topics=matcher)),
    ):
        article = Article.objects.create(
            text=text, title=label, content_hash=label * 8, source=f"{label}.txt"
        )
        result = quotes_store_for_article(
            article=article,
            extracted=extracted,
            topics=matcher,
            new=True,
            prepared=prepared,
            link_statements=False,
        )
        assert len(result.created) == len(extracted) - 1 > 300
        made[label] = stored(article)
    assert made["ahead"] == made["inside"]
    assert any(row[-1] for row in made["ahead"])  # topics were given
    assert sum(row[-2] for row in made["ahead"]) == 20  # each claim holds two quotes


def test_a_failure_inside_the_transaction_leaves_nothing_of_a_big_article(monkeypatch):
    text = shapes.article("quotes", 256 * 1024)
    extracted = machine_quotes(text)
    assert len(extracted) > 900
    before = QuoteCount.objects.totals("public"), QuoteCount.objects.totals("speaker")

    def fail(**kwargs):  # statements are linked last, after the quotes went in
        assert Quote.objects.filter(article__source="big.txt").count() == len(extracted)
        raise RuntimeError("the database went away")

    monkeypatch.setattr(services, "statements_link", fail)
    with pytest.raises(RuntimeError):
        article_ingest(text=text, source="big.txt", extracted=extracted)
    assert not Article.objects.exists()
    assert not Quote.objects.exists() and not QuoteFingerprint.objects.exists()
    assert not Statement.objects.exists()
    assert (QuoteCount.objects.totals("public"), QuoteCount.objects.totals("speaker")) == before

    monkeypatch.undo()  # and with nothing failing, it lands whole
    result = article_ingest(text=text, source="big.txt", extracted=extracted)
    assert Quote.objects.filter(article=result.article).count() == len(extracted)
    assert QuoteFingerprint.objects.values("quote").distinct().count() == len(extracted)


def test_the_transaction_holds_no_per_quote_work(django_assert_max_num_queries):
    """The quotes' rows are made before it: inside, a big article costs a handful of
    set-wise statements, as a small one does."""
    text = shapes.article("quotes", 256 * 1024)
    extracted = machine_quotes(text)
    with django_assert_max_num_queries(20), transaction.atomic():
        result = article_ingest(text=text, source="big.txt", extracted=extracted)
    assert result.quotes == len(extracted) > 900
