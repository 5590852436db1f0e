"""Statements: the same words reported by several articles, linked across outlets."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.articles.services import article_ingest
from apps.quotes.extraction import ExtractedQuote
from apps.quotes.models import Quote, Statement
from apps.quotes.review import quote_edit, quote_reassign, quote_span_fix
from apps.quotes.services import TopicMatcher, versions_match
from apps.speakers.models import Speaker

pytestmark = pytest.mark.django_db


def q(text: str, needle: str, speaker: str | None, kind: str = "direct", **kw) -> ExtractedQuote:
    start = text.index(needle)
    return ExtractedQuote(
        start=start, end=start + len(needle), text=needle, kind=kind, speaker=speaker, **kw
    )


def test_the_seeds_give_three_statements_on_the_compare_page(seeded):
    """Lavrov's "hindered by the wave of suspicion(s)" and "baseless" (partial quotes in RT, in
    his one longer quote elsewhere), Pompeo's "with adherence to the Minsk agreements" (a short
    and a long version) and Lavrov's "sanctions do no benefit anyone"."""
    if not Quote.objects.exclude(speaker=None).exists():
        pytest.skip("the placeholder engine attributes no speakers")
    shown = list(Statement.objects.reported_by_several())
    assert len(shown) == 3
    lavrov_long = Quote.objects.get(text__startswith="We understand that our joint work")
    hindered = Quote.objects.get(text__startswith="hindered by the wave of suspicions")
    baseless = Quote.objects.get(text__startswith="baseless", speaker__slug="sergey-lavrov")
    assert lavrov_long.statement_id == hindered.statement_id == baseless.statement_id
    minsk = Quote.objects.filter(
        text__contains="Minsk agreements", speaker__slug="mike-pompeo"
    ).exclude(kind="indirect")  # the long and the short version; a claim may hold the short one
    assert minsk.count() == 2 and len({m.statement_id for m in minsk}) == 1
    assert None not in {m.statement_id for m in minsk}
    for statement in shown:
        assert not statement.has_conflict
        assert statement.quotes.values("article").distinct().count() == 2
        assert statement.text == max((v.text for v in statement.quotes.all()), key=len)


def test_one_or_two_words_join_only_the_same_speaker_on_the_same_topic():
    kw = {"sim": 0.1, "a_in_b": 1.0, "b_in_a": 0.1}
    long_ = "All speculation about our alleged interference is baseless,"
    assert versions_match("baseless,", long_, same_speaker=True, shared_topic=True, **kw)
    assert not versions_match("baseless,", long_, same_speaker=True, shared_topic=False, **kw)
    assert not versions_match("baseless,", long_, same_speaker=False, shared_topic=True, **kw)
    # three words and more: the words decide, as before
    assert versions_match(
        "alleged interference is baseless", long_, same_speaker=True, shared_topic=False, **kw
    )


def test_a_one_word_quote_on_another_topic_stays_alone():
    first = (
        "Talks\n\n“All speculation about our alleged interference in the US election is "
        "baseless,” Sergey Lavrov said.\n"
    )
    second = "Syria\n\nLavrov called the reports of a chemical attack in Syria “baseless.”\n"
    third = "Meddling\n\nLavrov called claims of interference in the US election “baseless.”\n"
    article_ingest(text=first, title="Talks", extracted=[q(first, first[7:-21], "Sergey Lavrov")])
    article_ingest(text=second, title="Syria", extracted=[q(second, "baseless.", "Sergey Lavrov")])
    assert not Statement.objects.exists()
    article_ingest(text=third, title="Meddling", extracted=[q(third, "baseless.", "Sergey Lavrov")])
    statement = Statement.objects.get()
    assert sorted(statement.quotes.values_list("article__title", flat=True)) == [
        "Meddling",
        "Talks",
    ]


def test_the_same_words_by_two_speakers_are_a_conflict_whichever_comes_first():
    words = "We will never accept the annexation of Crimea by anyone"
    a = f"One\n\n“{words},” Mike Pompeo said.\n"
    b = f"Two\n\nThe ministry said: “{words}.”\n"
    c = f"Three\n\n“I say it again: {words},” Sergey Lavrov said on Monday.\n"
    article_ingest(text=a, title="One", extracted=[q(a, words, "Mike Pompeo")])
    article_ingest(text=b, title="Two", extracted=[q(b, words, "Sergey Lavrov")])
    statement = Statement.objects.get()
    assert statement.has_conflict and statement.quotes.count() == 2
    # a longer version by the same speaker joins the statement
    article_ingest(
        text=c, title="Three", extracted=[q(c, f"I say it again: {words},", "Sergey Lavrov")]
    )
    statement.refresh_from_db()
    assert statement.quotes.count() == 3 and statement.text.startswith("I say it again")


def speaker(name: str) -> Speaker:
    return Speaker.objects.get(aliases__normalised=name.lower())


def two_reports(words: str, needle: str | None = None) -> tuple[Quote, Quote]:
    """The same words by Sergey Lavrov in two articles, as ingestion stores them."""
    a = f"One\n\n“{words},” Sergey Lavrov said.\n"
    b = f"Two\n\nSergey Lavrov said on Monday: “{words}.”\n"
    article_ingest(text=a, title="One", extracted=[q(a, needle or words, "Sergey Lavrov")])
    article_ingest(text=b, title="Two", extracted=[q(b, needle or words, "Sergey Lavrov")])
    return Quote.objects.get(article__title="One"), Quote.objects.get(article__title="Two")


def test_an_editor_reassigning_a_quote_moves_it_between_statements():
    one, two = two_reports("We will never accept the annexation of Crimea by anyone")
    statement = Statement.objects.get()
    assert one.statement == two.statement == statement and not statement.has_conflict
    # The same words by another speaker stay one statement, now a conflict.
    quote_reassign(quote=two, speaker=speaker("Mike Pompeo"))
    two.refresh_from_db()
    statement.refresh_from_db()
    assert two.statement == statement and statement.has_conflict
    # Nobody's words join no statement; one article is left, so the statement goes.
    quote_reassign(quote=two, speaker=None)
    assert not Statement.objects.exists()
    assert set(Quote.objects.values_list("statement", flat=True)) == {None}
    # Back to Lavrov: linked again, no conflict.
    quote_reassign(quote=two, speaker=speaker("Sergey Lavrov"))
    statement = Statement.objects.get()
    assert set(statement.quotes.all()) == {one, two} and not statement.has_conflict


def test_a_short_quote_reassigned_to_another_speaker_leaves_the_statement():
    """Two words join only a version by the same speaker: by another, they are no conflict."""
    long_ = "All speculation about our alleged interference in the US election is baseless"
    one, two = two_reports(long_, needle="is baseless")
    assert one.statement_id == two.statement_id is not None
    quote_edit(
        quote=two,
        speaker=speaker("Mike Pompeo"),
        kind=two.kind,
        start=two.start,
        end=two.end,
        status=two.status,
    )
    assert not Statement.objects.exists()
    quote_reassign(quote=two, speaker=speaker("Sergey Lavrov"))
    assert set(Statement.objects.get().quotes.all()) == {one, two}


def test_a_span_fix_relinks_the_quote_by_its_new_words():
    one, two = two_reports("We will never accept the annexation of Crimea by anyone")
    assert Statement.objects.get().quotes.count() == 2
    start = two.article.text.index("Sergey Lavrov said on Monday")
    quote_span_fix(quote=two, start=start, end=start + len("Sergey Lavrov said on Monday"))
    assert not Statement.objects.exists()
    quote_span_fix(quote=two, start=two.start, end=two.end)
    assert set(Statement.objects.get().quotes.all()) == {one, two}


def test_storing_an_article_takes_a_bounded_number_of_queries(seed_extractions):
    """However many quotes and speakers: no query per quote, no savepoint per speaker."""
    topics = TopicMatcher()
    counts = []
    for article, quotes in seed_extractions:
        with CaptureQueriesContext(connection) as ctx:
            article_ingest(**article.as_kwargs(), extracted=quotes, topics=topics)
        counts.append(len(ctx.captured_queries))
        # The article's own (a savepoint here, in the test's transaction), and one to create
        # an outlet nobody knew.
        savepoints = [x for x in ctx.captured_queries if x["sql"].startswith("SAVEPOINT")]
        assert len(savepoints) <= 2, [x["sql"] for x in savepoints]
    # The seeds hold 11 to 40 quotes each, some by speakers nobody knew.
    assert max(counts) <= 20, counts
    assert Quote.objects.count() == sum(len(quotes) for _, quotes in seed_extractions)
