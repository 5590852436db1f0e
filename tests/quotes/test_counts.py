"""QuoteCount, kept by triggers, always says what counting the quotes would say: every public
quote in all, and per speaker and topic the quotes their pages list (``listed``)."""

import pytest
from django.db.models import Count

from apps.articles.models import Article
from apps.quotes import review
from apps.quotes.models import Quote, QuoteCount, Topic
from apps.quotes.querysets import listed_q
from apps.speakers.models import Speaker
from tests import factories
from tests.factories import small_corpus

pytestmark = pytest.mark.django_db


def counted():
    listed = listed_q("quotes__")
    return {
        "public": {0: n} if (n := Quote.objects.public().count()) else {},
        "machine": {0: n} if (n := Quote.objects.filter(status="machine").count()) else {},
        "speaker": {
            s.pk: s.n
            for s in Speaker.objects.annotate(n=Count("quotes", filter=listed)).filter(n__gt=0)
        },
        "topic": {
            t.pk: t.n
            for t in Topic.objects.annotate(n=Count("quotes", filter=listed)).filter(n__gt=0)
        },
        "article": {0: n} if (n := Article.objects.count()) else {},
    }


def by_speaker_and_topic():
    rows = (
        Quote.objects.public()
        .listed()
        .exclude(speaker=None)
        .values_list("speaker_id", "topics")
        .exclude(topics=None)
        .annotate(n=Count("id"))
    )
    counted = {(s, t): n for s, t, n in rows}
    kept = {}
    for speaker_id in {s for s, _ in counted} | set(QuoteCount.objects.totals("speaker")):
        for topic_id, n in QuoteCount.objects.by_key2("spk_topic", speaker_id).items():
            kept[(speaker_id, topic_id)] = n
    return kept, counted


def kept():
    return {scope: QuoteCount.objects.totals(scope) for scope in counted()}


def consistent() -> bool:
    mine, theirs = by_speaker_and_topic()
    return kept() == counted() and mine == theirs


def test_counts_follow_inserts_decisions_topics_and_deletes():
    corpus = small_corpus()
    assert consistent() and counted()["public"] == {0: 6}
    review.quote_reject(quote=corpus.qa1)  # public, speaker and topic counts drop
    review.quote_confirm(quote=corpus.qa2)  # leaves the review queue only
    review.quote_reassign(quote=corpus.qa3, speaker=corpus.lavrov)
    corpus.qa4.topics.add(corpus.sanctions)
    corpus.qb2.topics.remove(corpus.sanctions)
    assert consistent()
    assert kept()["topic"][corpus.sanctions.pk] == 2  # qa3 and qa4 now
    corpus.b.delete()  # its quotes and their topics go with it
    assert consistent()
    Quote.objects.filter(pk=corpus.qa1.pk).update(status="machine")  # brought back
    assert consistent()


def test_folding_the_rows_keeps_every_total():
    corpus = small_corpus()
    for _ in range(3):
        review.quote_reject(quote=corpus.qa2)
        Quote.objects.filter(pk=corpus.qa2.pk).update(status="machine")
    before = kept()
    rows = QuoteCount.objects.count()
    QuoteCount.objects.compact()
    assert kept() == before == counted()
    assert QuoteCount.objects.count() < rows
    assert QuoteCount.objects.filter(n=0).count() == 0


def test_a_read_folds_rows_that_piled_up(monkeypatch):
    from apps.quotes import querysets

    monkeypatch.setattr(querysets, "COUNT_ROWS_SLACK", 0)
    monkeypatch.setattr(querysets, "COUNT_ROWS_PER_KEY", 1)
    art = factories.article("One said: 'alpha beta gamma'. Two said: 'delta epsilon'.")
    who = factories.speaker("Ann Example")
    factories.quote(art, "alpha beta gamma", who)
    factories.quote(art, "delta epsilon", who)  # two rows for the same key now
    assert QuoteCount.objects.filter(scope="speaker", key=who.pk).count() == 2
    assert QuoteCount.objects.totals("speaker")[who.pk] == 2
    assert QuoteCount.objects.filter(scope="speaker", key=who.pk).count() == 1


def statements_agree() -> bool:
    from apps.quotes.models import Statement

    actual = Statement.objects.annotate(n=Count("quotes__article", distinct=True))
    return all(s.n == s.n_articles for s in actual)


def test_a_statements_article_count_follows_its_quotes():
    from apps.quotes.models import Statement

    corpus = small_corpus()
    wave = Statement.objects.get(pk=corpus.wave.pk)
    assert wave.n_articles == 2 and statements_agree()
    assert list(Statement.objects.reported_by_several()) == [wave]
    third = factories.article(
        "Lavrov again: hindered by the wave of suspicions that have overcome Washington."
    )
    again = factories.quote(
        third, "hindered by the wave of suspicions that have overcome Washington", corpus.lavrov
    )
    Quote.objects.filter(pk=again.pk).update(statement=wave)
    assert Statement.objects.get(pk=wave.pk).n_articles == 3 and statements_agree()
    review.quote_reassign(quote=corpus.qb1, speaker=corpus.pompeo)  # leaves the statement
    assert statements_agree()
    third.delete()
    assert statements_agree()
    assert Statement.objects.filter(pk=wave.pk, n_articles__gt=1).exists() == (
        Quote.objects.filter(statement=wave).values("article").distinct().count() > 1
    )


def test_speaker_and_topic_counts_count_what_their_pages_list():
    """A partial inside a claim, and a fragment of three words or fewer, are not counted for
    their speaker or topics; when the claim is rejected, the partial stands alone again."""
    from apps.quotes.services import quotes_link_parts

    corpus = small_corpus()
    claim = factories.quote(
        corpus.a,
        'the talks were "hindered by the wave of suspicions that have overcome Washington."',
        corpus.lavrov,
        kind="indirect",
        topics=[corpus.relations],
    )
    short = factories.quote(corpus.a, "sanctions would", corpus.pompeo, kind="partial")
    quotes_link_parts(article_ids=[corpus.a.pk])
    corpus.qa1.refresh_from_db()
    assert corpus.qa1.part_of_id == claim.pk
    assert consistent()
    before = kept()["speaker"][corpus.lavrov.pk]
    assert before == Quote.objects.public().listed().filter(speaker=corpus.lavrov).count()
    assert short.pk not in Quote.objects.public().listed().values_list("pk", flat=True)
    review.quote_reject(quote=claim)  # the claim goes: the quote inside it is listed alone
    assert consistent()
    assert kept()["speaker"][corpus.lavrov.pk] == before  # the claim out, its partial back
