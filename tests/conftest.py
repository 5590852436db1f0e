import functools
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
POLNEAR = ROOT.parent / "shared" / "corpora" / "polnear"


@pytest.fixture(autouse=True)
def _plain_http(settings):
    """The test client and live server speak plain HTTP; production redirects to HTTPS."""
    settings.SECURE_SSL_REDIRECT = False


@pytest.fixture(scope="session")
def seed_extractions():
    """The engine's output for each seed, computed once a session (spaCy loads once)."""
    from apps.articles.sources import iter_items
    from apps.quotes.extraction import SpeakerHint, extract
    from apps.speakers.migrations import _seed_data

    hints = [
        SpeakerHint(s["name"], aliases=tuple(s["aliases"]), role=s["role"])
        for s in _seed_data.SPEAKERS
    ]
    items = list(iter_items([str(SEEDS)]))
    return [(item.article, extract(item.article.text, speakers=hints)) for item in items]


@pytest.fixture
def seeded(db, seed_extractions):
    """The five seed articles ingested (with the session's cached extraction)."""
    from apps.articles.services import article_ingest

    return [
        article_ingest(**article.as_kwargs(), extracted=quotes).article
        for article, quotes in seed_extractions
    ]


@functools.cache
def _migrations_apps():
    """The models as the migrations leave them (for re-running their data functions)."""
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    return MigrationLoader(connection).project_state().apps


@pytest.fixture
def committed_db(transactional_db, django_db_blocker):
    """A transactional test's database, with what the migrations put in it (editorial groups,
    seed speakers and topics: an earlier transactional test flushed them), and the job queue's
    tables emptied after it: Django's flush leaves Procrastinate's tables alone (its models are
    not managed), so jobs would leak into the next test."""
    from importlib import import_module

    from django.db import connection

    apps = _migrations_apps()
    import_module("apps.core.migrations.0001_editorial_groups").create_groups(apps, None)
    import_module("apps.speakers.migrations.0002_seed_speakers").seed(apps, None)
    import_module("apps.quotes.migrations.0002_seed_topics").seed(apps, None)
    yield
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE procrastinate_jobs, procrastinate_events, procrastinate_periodic_defers, "
            "procrastinate_workers RESTART IDENTITY CASCADE"
        )
