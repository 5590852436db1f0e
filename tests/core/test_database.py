import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


def test_connection_is_postgresql():
    assert connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        (version,) = cursor.fetchone()
    assert version.startswith("PostgreSQL ")
    assert connection.pg_version >= 140000


def test_pg_trgm_can_be_enabled():
    with connection.cursor() as cursor:
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        cursor.execute(
            "SELECT similarity(%s, %s), similarity(%s, %s)",
            ["Lavorv", "Lavrov", "Lavorv", "Pompeo"],
        )
        close, far = cursor.fetchone()
    assert far < 0.1 < close < 1


def test_english_full_text_search_is_available():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT to_tsvector('english', 'sanctions') @@ to_tsquery('english', 'sanction')"
        )
        assert cursor.fetchone() == (True,)
