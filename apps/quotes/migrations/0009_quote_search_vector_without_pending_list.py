"""The full-text index of quotes without a pending list (GIN ``fastupdate`` off).

``statements_link`` looks every newly stored quote up in this index. With a pending list, new
entries wait there, unsorted, until a vacuum (or 4 MB of them) moves them into the index, and
every lookup meanwhile reads the whole list: linking got slower with each quote stored since
the last vacuum. The index is altered in place rather than rebuilt; what the list held moves in.
"""

import django.contrib.postgres.indexes
from django.db import migrations

FORWARD = """
ALTER INDEX quote_search_vector SET (fastupdate = off);
SELECT gin_clean_pending_list('quote_search_vector');
"""

REVERSE = "ALTER INDEX quote_search_vector RESET (fastupdate);"


class Migration(migrations.Migration):
    dependencies = [("quotes", "0008_quote_provenance_once_per_statement")]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunSQL(FORWARD, REVERSE)],
            state_operations=[
                migrations.RemoveIndex(model_name="quote", name="quote_search_vector"),
                migrations.AddIndex(
                    model_name="quote",
                    index=django.contrib.postgres.indexes.GinIndex(
                        fastupdate=False, fields=["search_vector"], name="quote_search_vector"
                    ),
                ),
            ],
        )
    ]
