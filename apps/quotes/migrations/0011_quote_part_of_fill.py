"""Fill ``part_of`` for the quotes stored before it existed (new ones get it as stored)."""

from django.db import migrations

# Every stored quote's smallest enclosing public quote of its article.
FILL_PART_OF = """
UPDATE quotes_quote q SET part_of_id = (
    SELECT o.id FROM quotes_quote o
    WHERE o.article_id = q.article_id AND o.id <> q.id AND o.status <> 'rejected'
      AND o.start <= q.start AND o."end" >= q."end" AND o."end" - o.start > q."end" - q.start
    ORDER BY o."end" - o.start, o.id LIMIT 1
)
"""


class Migration(migrations.Migration):
    dependencies = [("quotes", "0010_quote_part_of_and_word_count")]

    operations = [migrations.RunSQL(FILL_PART_OF, migrations.RunSQL.noop)]
