"""QuoteCount also counts a speaker's public quotes per topic (``spk_topic``: the speaker page's
top topics) and articles (``article``: the home page), so neither page counts rows that grow
with the corpus.

``key2`` holds the topic. The quote triggers of migration 0010 are replaced by ones that also
move a speaker's topic counts when a quote changes speaker or is rejected or brought back;
topic rows added or removed move them too.
"""

from importlib import import_module

from django.db import migrations, models

FORWARD = r"""
CREATE OR REPLACE FUNCTION quotes_quote_count_update() RETURNS trigger AS $$
BEGIN
    INSERT INTO quotes_quotecount (scope, key, key2, n)
    SELECT scope, key, key2, sum(n) FROM (
        SELECT o.id, o.status AS old_status, o.speaker_id AS old_speaker,
               n.status AS new_status, n.speaker_id AS new_speaker
        FROM old_rows o JOIN new_rows n USING (id)
        WHERE o.status IS DISTINCT FROM n.status OR o.speaker_id IS DISTINCT FROM n.speaker_id
    ) c
    CROSS JOIN LATERAL (
        SELECT 'public' AS scope, 0::bigint AS key, 0::bigint AS key2,
               (c.new_status <> 'rejected')::int - (c.old_status <> 'rejected')::int AS n
        UNION ALL
        SELECT 'machine', 0, 0,
               (c.new_status = 'machine')::int - (c.old_status = 'machine')::int
        UNION ALL
        SELECT 'speaker', c.old_speaker, 0, -1
        WHERE c.old_status <> 'rejected' AND c.old_speaker IS NOT NULL
        UNION ALL
        SELECT 'speaker', c.new_speaker, 0, 1
        WHERE c.new_status <> 'rejected' AND c.new_speaker IS NOT NULL
        UNION ALL
        SELECT 'topic', t.topic_id, 0,
               (c.new_status <> 'rejected')::int - (c.old_status <> 'rejected')::int
        FROM quotes_quote_topics t
        WHERE t.quote_id = c.id AND (c.new_status = 'rejected') <> (c.old_status = 'rejected')
        UNION ALL
        SELECT 'spk_topic', c.old_speaker, t.topic_id, -1
        FROM quotes_quote_topics t
        WHERE t.quote_id = c.id AND c.old_status <> 'rejected' AND c.old_speaker IS NOT NULL
        UNION ALL
        SELECT 'spk_topic', c.new_speaker, t.topic_id, 1
        FROM quotes_quote_topics t
        WHERE t.quote_id = c.id AND c.new_status <> 'rejected' AND c.new_speaker IS NOT NULL
    ) d
    GROUP BY scope, key, key2
    HAVING sum(n) <> 0;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION quotes_quote_topics_count() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO quotes_quotecount (scope, key, key2, n)
        SELECT 'topic', r.topic_id, 0, count(*)
        FROM new_rows r JOIN quotes_quote q ON q.id = r.quote_id
        WHERE q.status <> 'rejected' GROUP BY r.topic_id
        UNION ALL
        SELECT 'spk_topic', q.speaker_id, r.topic_id, count(*)
        FROM new_rows r JOIN quotes_quote q ON q.id = r.quote_id
        WHERE q.status <> 'rejected' AND q.speaker_id IS NOT NULL
        GROUP BY q.speaker_id, r.topic_id;
    ELSE
        INSERT INTO quotes_quotecount (scope, key, key2, n)
        SELECT 'topic', r.topic_id, 0, -count(*)
        FROM old_rows r JOIN quotes_quote q ON q.id = r.quote_id
        WHERE q.status <> 'rejected' GROUP BY r.topic_id
        UNION ALL
        SELECT 'spk_topic', q.speaker_id, r.topic_id, -count(*)
        FROM old_rows r JOIN quotes_quote q ON q.id = r.quote_id
        WHERE q.status <> 'rejected' AND q.speaker_id IS NOT NULL
        GROUP BY q.speaker_id, r.topic_id;
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION articles_article_count() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO quotes_quotecount (scope, key, key2, n)
        SELECT 'article', 0, 0, count(*) FROM new_rows HAVING count(*) > 0;
    ELSE
        INSERT INTO quotes_quotecount (scope, key, key2, n)
        SELECT 'article', 0, 0, -count(*) FROM old_rows HAVING count(*) > 0;
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER article_count_insert AFTER INSERT ON articles_article
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION articles_article_count();
CREATE TRIGGER article_count_delete AFTER DELETE ON articles_article
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION articles_article_count();

INSERT INTO quotes_quotecount (scope, key, key2, n)
SELECT 'spk_topic', q.speaker_id, t.topic_id, count(*)
FROM quotes_quote_topics t JOIN quotes_quote q ON q.id = t.quote_id
WHERE q.status <> 'rejected' AND q.speaker_id IS NOT NULL
GROUP BY q.speaker_id, t.topic_id
UNION ALL
SELECT 'article', 0, 0, count(*) FROM articles_article HAVING count(*) > 0;
"""

# Back to migration 0010's functions, which know nothing of key2.
REVERSE = (
    r"""
DROP TRIGGER IF EXISTS article_count_delete ON articles_article;
DROP TRIGGER IF EXISTS article_count_insert ON articles_article;
DROP FUNCTION IF EXISTS articles_article_count();
DELETE FROM quotes_quotecount WHERE scope IN ('spk_topic', 'article');
"""
    + import_module("apps.quotes.migrations.0016_quotecount").FUNCTIONS
)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0001_initial"),
        ("quotes", "0018_quote_article_outlet_index"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="quotecount", name="quotecount_key"),
        migrations.AddField(
            model_name="quotecount",
            name="key2",
            field=models.BigIntegerField(db_default=0, default=0),
        ),
        migrations.AddIndex(
            model_name="quotecount",
            index=models.Index(
                fields=["scope", "key", "key2"], include=("n",), name="quotecount_keys"
            ),
        ),
        migrations.RunSQL(FORWARD, REVERSE),
    ]
