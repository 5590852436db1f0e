"""Statement candidates through winnowed fingerprints: kept in step with the quotes by the
database, and read a bounded number of rows however many stored quotes share the words."""

import hashlib

import pytest
from django.db import connection

from apps.articles.models import Article
from apps.articles.services import article_ingest
from apps.quotes.extraction import ExtractedQuote
from apps.quotes.models import Quote, QuoteFingerprint, Statement
from apps.quotes.review import quote_span_fix
from apps.quotes.services import (
    CANDIDATES_PER_QUOTE,
    PER_FINGERPRINT,
    candidates_query,
)
from apps.speakers.models import Speaker

pytestmark = pytest.mark.django_db

WORDS = "We will never accept the annexation of Crimea by anyone, whatever the pressure"


def q(text: str, needle: str, speaker: str | None) -> ExtractedQuote:
    start = text.index(needle)
    return ExtractedQuote(
        start=start, end=start + len(needle), text=needle, kind="direct", speaker=speaker
    )


def fingerprints(text: str) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT quote_fingerprints(%s)", [text])
        return cursor.fetchone()[0]


def stored(quote: Quote) -> set[int]:
    return set(
        QuoteFingerprint.objects.filter(quote_id=quote.pk, article_id=quote.article_id).values_list(
            "fingerprint", flat=True
        )
    )


def test_shared_runs_of_five_words_share_a_fingerprint():
    long_ = fingerprints(f"As I said, {WORDS}, and I say it again today in Moscow.")
    # any five words in a row of the long text, whatever stands around them
    words = WORDS.split()
    for i in range(len(words) - 4):
        run = " ".join(words[i : i + 5])
        assert set(fingerprints(f"Quite so: {run}!")) & set(long_), run
    assert not set(fingerprints("The weather in Vienna was cold and wet all week")) & set(long_)
    # case, punctuation and endings past five letters do not matter
    assert fingerprints("Suspicions that hindered the talks") == fingerprints(
        "suspicion, that HINDERED the talks."
    )
    assert fingerprints("") == [] and len(fingerprints("baseless")) == 1


def test_the_database_keeps_each_quotes_fingerprints_in_step():
    text = f"One\n\n“{WORDS},” Sergey Lavrov said on Friday in Moscow.\n"
    article, _ = article_ingest(text=text, title="One", extracted=[q(text, WORDS, "Sergey Lavrov")])
    quote = Quote.objects.get(article=article)
    assert stored(quote) == set(fingerprints(WORDS)) != set()
    # an editor's span fix changes its words: the fingerprints follow
    start = text.index("Sergey Lavrov said")
    quote_span_fix(quote=quote, start=start, end=start + len("Sergey Lavrov said on Friday"))
    quote.refresh_from_db()
    assert stored(quote) == set(fingerprints("Sergey Lavrov said on Friday"))
    assert QuoteFingerprint.objects.count() == len(stored(quote))
    # other changes leave them be; deleting the quote (or its article) removes them
    Quote.objects.filter(pk=quote.pk).update(confidence=0.5)
    assert stored(quote) == set(fingerprints("Sergey Lavrov said on Friday"))
    article.delete()
    assert not QuoteFingerprint.objects.exists()


def test_versions_are_found_in_either_order_and_across_speakers():
    """The same versions as through the full-text index: equal words, the new one standing in
    a longer one; and now also an older shorter one inside the new longer one, by another
    speaker (a conflict the full-text lookup could only find in the other order)."""
    short = "We will never accept the annexation of Crimea"
    a = f"One\n\nThe ministry said: “{short}.”\n"
    b = f"Two\n\n“As I said, {WORDS},” Mike Pompeo said.\n"
    c = f"Three\n\nPompeo told reporters: “{WORDS}.”\n"
    d = "Four\n\n“The weather in Vienna was cold and wet,” Mike Pompeo said.\n"
    article_ingest(text=a, title="One", extracted=[q(a, short, "Sergey Lavrov")])
    article_ingest(text=b, title="Two", extracted=[q(b, f"As I said, {WORDS},", "Mike Pompeo")])
    statement = Statement.objects.get()
    assert statement.has_conflict
    article_ingest(text=c, title="Three", extracted=[q(c, WORDS, "Mike Pompeo")])
    article_ingest(text=d, title="Four", extracted=[q(d, d[7:-20], "Mike Pompeo")])
    statement = Statement.objects.get()
    assert sorted(statement.quotes.values_list("article__title", flat=True)) == [
        "One",
        "Three",
        "Two",
    ]
    assert statement.text.startswith("As I said")


def many_reports(n: int, speaker: Speaker) -> None:
    """``n`` stored articles by ``speaker``, each quoting the same sentence among its own
    words, written in bulk (as seed_synthetic does; the triggers fill the fingerprints)."""
    articles = Article.objects.bulk_create(
        [
            Article(
                title=f"Report {i}",
                text=(text := f"Report {i}\n\n“{WORDS}, point {i},” he said.\n"),
                content_hash=hashlib.sha256(text.encode()).hexdigest(),
                source=f"bulk/{i}.txt",
            )
            for i in range(n)
        ]
    )
    quotes = []
    for article in articles:
        start = article.text.index(WORDS)
        words = article.text[start : article.text.index(",” he said")]
        quotes.append(
            Quote(
                article=article,
                speaker=speaker,
                text=words,
                kind="direct",
                start=start,
                end=start + len(words),
                confidence=0.9,
            )
        )
    Quote.objects.bulk_create(quotes)


def index_rows_read(sql: str, params: dict) -> int:
    """Rows the plan read from the fingerprints' index (actual rows times loops)."""
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0][0]["Plan"]
    total, stack = 0, [plan]
    while stack:
        node = stack.pop()
        if node.get("Index Name") == "quotes_quotefingerprint_pkey":
            total += node["Actual Rows"] * node["Actual Loops"]
        stack.extend(node.get("Plans", []))
    return total


def test_a_quote_shared_by_a_thousand_stored_ones_reads_a_bounded_number_of_them():
    pompeo = Speaker.objects.get(aliases__normalised="mike pompeo")
    many_reports(1000, pompeo)
    assert QuoteFingerprint.objects.values("quote").distinct().count() == 1000
    text = f"New\n\n“{WORDS},” Sergey Lavrov said.\n"
    article, _ = article_ingest(text=text, title="New", extracted=[q(text, WORDS, "Sergey Lavrov")])
    new = Quote.objects.get(article=article)
    # it links: into one statement with the stored versions it found (Pompeo's: a conflict)
    assert new.statement is not None and new.statement.has_conflict
    linked = new.statement.quotes.exclude(pk=new.pk).count()
    assert 1 <= linked <= CANDIDATES_PER_QUOTE
    # and its candidates were read from at most PER_FINGERPRINT entries per fingerprint on
    # either side of its own article, not from the thousand quotes holding them
    sql, params = candidates_query([new])
    read = index_rows_read(sql, params)
    assert 0 < read <= 2 * PER_FINGERPRINT * len(fingerprints(WORDS)) < 1000
