"""Two ingests at once produce no duplicates: unique constraints decide, not check-then-insert."""

import threading

import pytest
from django.apps import apps as django_apps
from django.db import connections

from apps.articles.models import Article, Outlet
from apps.articles.services import article_ingest
from apps.quotes.models import Quote
from apps.speakers.models import Speaker, SpeakerAlias


@pytest.fixture
def reseed_after():
    """A transactional test flushes the tables: put the migrations' seed rows back after it."""
    yield
    from importlib import import_module

    for module in (
        "apps.speakers.migrations.0002_seed_speakers",
        "apps.quotes.migrations.0002_seed_topics",
    ):
        import_module(module).seed(django_apps, None)


@pytest.mark.django_db(transaction=True)
def test_concurrent_ingests_store_each_article_once(seed_extractions, reseed_after):
    barrier = threading.Barrier(4)
    errors = []

    def run():
        try:
            barrier.wait()
            for article, quotes in seed_extractions:
                article_ingest(**article.as_kwargs(), extracted=quotes)
            # and a speaker nobody knew, found by both at once
            from apps.speakers.services import speaker_resolve

            speaker_resolve(name="Andrei Testov")
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Article.objects.count() == 5
    assert Outlet.objects.filter(name="RT").count() == 1
    spans = list(Quote.objects.values_list("article_id", "start", "end"))
    assert spans and len(spans) == len(set(spans))
    assert Article.objects.filter(quotes__isnull=True).count() == 0 or not spans
    assert Speaker.objects.filter(name="Andrei Testov").count() == 1
    assert SpeakerAlias.objects.filter(normalised="andrei testov").count() == 1
