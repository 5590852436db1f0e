"""SearchWord: the words of all quotes, trigram-indexed, to correct misspelt search words.

PostgreSQL fills it as quotes are written: inserted rows once per statement (a COPY or a bulk
insert of many rows costs one INSERT), a row whose text an update changes on its own. Words are
lower-case, unstemmed, letters only, 3-40 characters; the table only grows.
"""

import django.contrib.postgres.indexes
from django.db import migrations, models

FORWARD = r"""
CREATE OR REPLACE FUNCTION quotes_quote_collect_words() RETURNS trigger AS $$
BEGIN
    INSERT INTO quotes_searchword (word)
    SELECT DISTINCT w
    FROM new_rows n, unnest(tsvector_to_array(to_tsvector('simple', n.text))) AS w
    WHERE char_length(w) BETWEEN 3 AND 40 AND w !~ '[^[:alpha:]]'
    ORDER BY w
    ON CONFLICT (word) DO NOTHING;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER quote_collect_words_insert
    AFTER INSERT ON quotes_quote REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION quotes_quote_collect_words();

CREATE OR REPLACE FUNCTION quotes_quote_collect_words_of_row() RETURNS trigger AS $$
BEGIN
    INSERT INTO quotes_searchword (word)
    SELECT DISTINCT w FROM unnest(tsvector_to_array(to_tsvector('simple', NEW.text))) AS w
    WHERE char_length(w) BETWEEN 3 AND 40 AND w !~ '[^[:alpha:]]'
    ORDER BY w
    ON CONFLICT (word) DO NOTHING;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER quote_collect_words_update
    AFTER UPDATE OF text ON quotes_quote
    FOR EACH ROW WHEN (OLD.text IS DISTINCT FROM NEW.text)
    EXECUTE FUNCTION quotes_quote_collect_words_of_row();

INSERT INTO quotes_searchword (word)
SELECT DISTINCT w
FROM quotes_quote q, unnest(tsvector_to_array(to_tsvector('simple', q.text))) AS w
WHERE char_length(w) BETWEEN 3 AND 40 AND w !~ '[^[:alpha:]]'
ON CONFLICT (word) DO NOTHING;
"""

REVERSE = r"""
DROP TRIGGER IF EXISTS quote_collect_words_update ON quotes_quote;
DROP TRIGGER IF EXISTS quote_collect_words_insert ON quotes_quote;
DROP FUNCTION IF EXISTS quotes_quote_collect_words_of_row();
DROP FUNCTION IF EXISTS quotes_quote_collect_words();
"""


class Migration(migrations.Migration):
    dependencies = [("quotes", "0005_quote_published_outlet")]

    operations = [
        migrations.CreateModel(
            name="SearchWord",
            fields=[("word", models.CharField(max_length=40, primary_key=True, serialize=False))],
            options={
                "indexes": [
                    django.contrib.postgres.indexes.GinIndex(
                        django.contrib.postgres.indexes.OpClass("word", name="gin_trgm_ops"),
                        name="searchword_trgm",
                    )
                ],
            },
        ),
        migrations.RunSQL(FORWARD, REVERSE),
    ]
