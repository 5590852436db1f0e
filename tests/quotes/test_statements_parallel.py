"""Storing articles in parallel: linking statements takes no lock that serialises ingestion."""

import threading

import pytest
from django.apps import apps as django_apps
from django.db import connections, transaction

from apps.articles.services import article_ingest
from apps.quotes.extraction import ExtractedQuote
from apps.quotes.models import Quote, Statement


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


def ingest(text: str, needle: str, speaker: str, source: str):
    start = text.index(needle)
    quote = ExtractedQuote(
        start=start, end=start + len(needle), text=needle, kind="direct", speaker=speaker
    )
    return article_ingest(text=text, source=source, extracted=[quote])


WAVE = "hindered by the wave of suspicions that have overcome Washington"
TALKS = "we are ready to resume the talks on strategic stability at once"


@pytest.mark.django_db(transaction=True)
def test_an_ingest_does_not_wait_for_another_linking_other_words(reseed_after):
    """One ingest holds its transaction open after linking; another, with other words,
    stores and links meanwhile (one database-wide lock would make it wait)."""
    ingest(f'Lavrov said relations were "{WAVE}".', WAVE, "Sergey Lavrov", "a")
    ingest(f'Pompeo said: "{TALKS}".', TALKS, "Mike Pompeo", "c")
    linked, release, errors = threading.Event(), threading.Event(), []

    def slow():
        try:
            with transaction.atomic():
                ingest(f'Again Lavrov: "{WAVE}", he said.', WAVE, "Sergey Lavrov", "b")
                linked.set()
                release.wait(20)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    thread = threading.Thread(target=slow)
    thread.start()
    try:
        assert linked.wait(20)
        finished = threading.Event()

        def other():
            try:
                ingest(f'Pompeo again: "{TALKS}", he added.', TALKS, "Mike Pompeo", "d")
                finished.set()
            except Exception as exc:  # pragma: no cover - reported below
                errors.append(exc)
            finally:
                connections.close_all()

        second = threading.Thread(target=other)
        second.start()
        assert finished.wait(10), "the second ingest waited for the first to commit"
        second.join()
    finally:
        release.set()
        thread.join()
    assert errors == []
    assert Statement.objects.count() == 2
    for words in (WAVE, TALKS):
        assert Quote.objects.filter(text=words).values("statement").distinct().count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_ingests_of_the_same_words_at_once_make_one_statement(reseed_after):
    """Both find the stored version; the second waits on it (a row lock) until the first
    commits the statement it made, then joins that statement instead of making a twin."""
    ingest(f'Lavrov said relations were "{WAVE}".', WAVE, "Sergey Lavrov", "a")
    linked, release, errors = threading.Event(), threading.Event(), []

    def first():
        try:
            with transaction.atomic():
                ingest(f'Again Lavrov: "{WAVE}", he said.', WAVE, "Sergey Lavrov", "b")
                linked.set()
                release.wait(20)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    def second():
        try:
            ingest(f'Lavrov once more: "{WAVE}".', WAVE, "Sergey Lavrov", "c")
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    one, two = threading.Thread(target=first), threading.Thread(target=second)
    one.start()
    assert linked.wait(20)
    two.start()
    two.join(1)
    assert two.is_alive()  # waiting for the first to commit
    release.set()
    one.join()
    two.join(20)
    assert errors == []
    assert Statement.objects.count() == 1
    assert Statement.objects.get().quotes.count() == 3
