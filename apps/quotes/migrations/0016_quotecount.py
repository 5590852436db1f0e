"""QuoteCount: quotes counted per speaker, per topic, in all and in the review queue, by triggers.

Pages showing counts (home, speaker list, review queue, topic admin) read these instead of
counting a million rows per request. Each statement that inserts, deletes or updates quotes, or
adds or removes their topics, inserts one row per key whose count it changed (+n or -n), read
from its transition tables: rows are only ever added by writers, so concurrent ingests never
wait on one counter row. Readers add them up and fold them into one row per key now and then
(``QuoteCountQuerySet.totals``). Deleting a quote deletes its topic rows first (Django does),
so a topic's count drops then.
"""

from django.db import migrations, models

FUNCTIONS = r"""
CREATE OR REPLACE FUNCTION quotes_quote_count_insert() RETURNS trigger AS $$
BEGIN
    INSERT INTO quotes_quotecount (scope, key, n)
    SELECT 'public', 0, count(*) FROM new_rows WHERE status <> 'rejected' HAVING count(*) > 0
    UNION ALL
    SELECT 'machine', 0, count(*) FROM new_rows WHERE status = 'machine' HAVING count(*) > 0
    UNION ALL
    SELECT 'speaker', speaker_id, count(*) FROM new_rows
    WHERE status <> 'rejected' AND speaker_id IS NOT NULL GROUP BY speaker_id;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION quotes_quote_count_delete() RETURNS trigger AS $$
BEGIN
    INSERT INTO quotes_quotecount (scope, key, n)
    SELECT 'public', 0, -count(*) FROM old_rows WHERE status <> 'rejected' HAVING count(*) > 0
    UNION ALL
    SELECT 'machine', 0, -count(*) FROM old_rows WHERE status = 'machine' HAVING count(*) > 0
    UNION ALL
    SELECT 'speaker', speaker_id, -count(*) FROM old_rows
    WHERE status <> 'rejected' AND speaker_id IS NOT NULL GROUP BY speaker_id;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

-- Only rows whose status or speaker changed count; a topic's count moves when its quote is
-- rejected or brought back.
CREATE OR REPLACE FUNCTION quotes_quote_count_update() RETURNS trigger AS $$
BEGIN
    INSERT INTO quotes_quotecount (scope, key, n)
    SELECT scope, key, sum(n) FROM (
        SELECT o.id, o.status AS old_status, o.speaker_id AS old_speaker,
               n.status AS new_status, n.speaker_id AS new_speaker
        FROM old_rows o JOIN new_rows n USING (id)
        WHERE o.status IS DISTINCT FROM n.status OR o.speaker_id IS DISTINCT FROM n.speaker_id
    ) c
    CROSS JOIN LATERAL (
        SELECT 'public' AS scope, 0::bigint AS key,
               (c.new_status <> 'rejected')::int - (c.old_status <> 'rejected')::int AS n
        UNION ALL
        SELECT 'machine', 0, (c.new_status = 'machine')::int - (c.old_status = 'machine')::int
        UNION ALL
        SELECT 'speaker', c.old_speaker, -1
        WHERE c.old_status <> 'rejected' AND c.old_speaker IS NOT NULL
        UNION ALL
        SELECT 'speaker', c.new_speaker, 1
        WHERE c.new_status <> 'rejected' AND c.new_speaker IS NOT NULL
        UNION ALL
        SELECT 'topic', t.topic_id,
               (c.new_status <> 'rejected')::int - (c.old_status <> 'rejected')::int
        FROM quotes_quote_topics t
        WHERE t.quote_id = c.id AND (c.new_status = 'rejected') <> (c.old_status = 'rejected')
    ) d
    GROUP BY scope, key
    HAVING sum(n) <> 0;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION quotes_quote_topics_count() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO quotes_quotecount (scope, key, n)
        SELECT 'topic', r.topic_id, count(*)
        FROM new_rows r JOIN quotes_quote q ON q.id = r.quote_id
        WHERE q.status <> 'rejected' GROUP BY r.topic_id;
    ELSE
        INSERT INTO quotes_quotecount (scope, key, n)
        SELECT 'topic', r.topic_id, -count(*)
        FROM old_rows r JOIN quotes_quote q ON q.id = r.quote_id
        WHERE q.status <> 'rejected' GROUP BY r.topic_id;
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

"""

FORWARD = FUNCTIONS + r"""
CREATE TRIGGER quote_count_insert AFTER INSERT ON quotes_quote
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION quotes_quote_count_insert();
CREATE TRIGGER quote_count_delete AFTER DELETE ON quotes_quote
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION quotes_quote_count_delete();
CREATE TRIGGER quote_count_update AFTER UPDATE ON quotes_quote
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION quotes_quote_count_update();
CREATE TRIGGER quote_topics_count_insert AFTER INSERT ON quotes_quote_topics
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION quotes_quote_topics_count();
CREATE TRIGGER quote_topics_count_delete AFTER DELETE ON quotes_quote_topics
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION quotes_quote_topics_count();

INSERT INTO quotes_quotecount (scope, key, n)
SELECT 'public', 0, count(*) FROM quotes_quote WHERE status <> 'rejected' HAVING count(*) > 0
UNION ALL
SELECT 'machine', 0, count(*) FROM quotes_quote WHERE status = 'machine' HAVING count(*) > 0
UNION ALL
SELECT 'speaker', speaker_id, count(*) FROM quotes_quote
WHERE status <> 'rejected' AND speaker_id IS NOT NULL GROUP BY speaker_id
UNION ALL
SELECT 'topic', t.topic_id, count(*)
FROM quotes_quote_topics t JOIN quotes_quote q ON q.id = t.quote_id
WHERE q.status <> 'rejected' GROUP BY t.topic_id;
"""

REVERSE = r"""
DROP TRIGGER IF EXISTS quote_topics_count_delete ON quotes_quote_topics;
DROP TRIGGER IF EXISTS quote_topics_count_insert ON quotes_quote_topics;
DROP TRIGGER IF EXISTS quote_count_update ON quotes_quote;
DROP TRIGGER IF EXISTS quote_count_delete ON quotes_quote;
DROP TRIGGER IF EXISTS quote_count_insert ON quotes_quote;
DROP FUNCTION IF EXISTS quotes_quote_topics_count();
DROP FUNCTION IF EXISTS quotes_quote_count_update();
DROP FUNCTION IF EXISTS quotes_quote_count_delete();
DROP FUNCTION IF EXISTS quotes_quote_count_insert();
"""


class Migration(migrations.Migration):
    dependencies = [("quotes", "0015_quote_provenance_linear")]

    operations = [
        migrations.CreateModel(
            name="QuoteCount",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("scope", models.CharField(max_length=10)),
                ("key", models.BigIntegerField(default=0)),
                ("n", models.BigIntegerField()),
            ],
            options={
                "indexes": [
                    models.Index(
                        fields=["scope", "key"], include=["n"], name="quotecount_key"
                    )
                ],
            },
        ),
        migrations.RunSQL(FORWARD, REVERSE),
    ]
