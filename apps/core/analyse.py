"""Keep the planner's statistics current after bulk writes.

Right after a bulk load, until autovacuum gets to the tables, the planner still believes them
small (or empty) and picks plans that cost seconds at a million rows; index-only scans also
need the visibility map that VACUUM sets. Commands that write many rows call this at the end.
"""

from django.db import connection

# The tables bulk ingestion and seeding fill.
BULK_TABLES = (
    "articles_article",
    "articles_outlet",
    "quotes_quote",
    "quotes_quote_topics",
    "quotes_quotefingerprint",
    "quotes_statement",
    "quotes_searchword",
    "quotes_quotecount",
    "speakers_speaker",
    "speakers_speakeralias",
)


def tables_analyse(*, tables=BULK_TABLES, vacuum: bool = False) -> None:
    """ANALYZE the tables; with ``vacuum``, VACUUM (ANALYZE) them, which cannot run inside a
    transaction: there (in a test, say) they are only analysed."""
    vacuum = vacuum and not connection.in_atomic_block
    existing = set(connection.introspection.table_names())
    names = [t for t in tables if t in existing]
    if not names:
        return
    command = "VACUUM (ANALYZE)" if vacuum else "ANALYZE"
    with connection.cursor() as cursor:
        quoted = ", ".join(connection.ops.quote_name(t) for t in names)
        cursor.execute(f"{command} {quoted}")
