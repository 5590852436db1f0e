"""seed_synthetic leaves a corpus the planner knows (analysed tables) and the counts kept by
triggers right (its rows go in with COPY)."""

import pytest
from django.core.management import call_command
from django.db import connection

from apps.articles.models import Article
from apps.quotes.models import Quote, QuoteCount, QuoteFingerprint

pytestmark = pytest.mark.django_db


def planner_rows(table: str) -> float:
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [table])
        return cursor.fetchone()[0]


def test_seed_synthetic_leaves_tables_analysed_and_counts_kept(capsys):
    call_command("seed_synthetic", articles=40, quotes=200, speakers=20, batch=15)
    quotes = Quote.objects.count()
    assert quotes > 150
    assert planner_rows("quotes_quote") == quotes
    assert planner_rows("articles_article") == Article.objects.count() == 40
    assert QuoteCount.objects.total("public") == Quote.objects.public().count()
    assert QuoteCount.objects.total("article") == 40
    assert QuoteCount.objects.total("machine") == Quote.objects.filter(status="machine").count()
    # the statements' fingerprints, filled by the triggers on quotes from the COPY
    assert QuoteFingerprint.objects.values("quote").distinct().count() == quotes
    assert planner_rows("quotes_quotefingerprint") == QuoteFingerprint.objects.count()


def test_benchmark_pages_requests_every_page_on_a_seeded_corpus(capsys):
    call_command("seed_synthetic", articles=40, quotes=400, speakers=20, batch=40)
    machine = Quote.objects.filter(status="machine").count()
    call_command("benchmark_pages", repeat=1)
    out = capsys.readouterr().out
    for page in ("home", "speakers", "search", "admin search", "review", "export", "decision"):
        assert f"\n{page} " in out, page
    # each decision (confirm, reject, correct) was made twice: warm-up and one timed
    assert Quote.objects.filter(status="machine").count() == machine - 6


def test_benchmark_ingest_stores_here_and_leaves_the_database_as_it_was(capsys):
    articles, quotes = Article.objects.count(), Quote.objects.count()
    call_command("benchmark_ingest", store_here=True, seeds=True, limit=2)
    assert "stored and rolled back 2 articles" in capsys.readouterr().out
    assert (Article.objects.count(), Quote.objects.count()) == (articles, quotes)
