"""QuoteCount's speaker and topic counts count what speaker and topic pages list.

Since claims became the unit (migration 0010_quote_part_of_and_word_count), a speaker's and a
topic's pages list a claim once, with the partial quotes inside it, and never a fragment of
three words or fewer on its own (``QuoteQuerySet.listed``). The counts kept by triggers
(0016, 0019) counted every public quote; these functions count a quote for its speaker and
topics only when it is listed: not rejected, inside no claim (``part_of`` unset) and not a
partial of ``FRAGMENT_MAX_WORDS`` (3) words or fewer. ``public`` and ``machine`` still count
every quote. A quote moving in or out of a claim (``part_of`` is set after the quotes of an
article are stored) moves the counts too. The counts are then taken again from the table.
"""

from importlib import import_module

from django.db import migrations

LISTED = "({q}.status <> 'rejected' AND {q}.part_of_id IS NULL AND NOT ({q}.kind = 'partial' AND coalesce({q}.word_count, 0) <= 3))"  # noqa: E501


def listed(alias: str) -> str:
    return LISTED.format(q=alias)


FORWARD = rf"""
CREATE OR REPLACE FUNCTION quotes_quote_count_insert() RETURNS trigger AS $$
BEGIN
    INSERT INTO quotes_quotecount (scope, key, n)
    SELECT 'public', 0, count(*) FROM new_rows WHERE status <> 'rejected' HAVING count(*) > 0
    UNION ALL
    SELECT 'machine', 0, count(*) FROM new_rows WHERE status = 'machine' HAVING count(*) > 0
    UNION ALL
    SELECT 'speaker', speaker_id, count(*) FROM new_rows r
    WHERE {listed("r")} AND speaker_id IS NOT NULL GROUP BY speaker_id;
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
    SELECT 'speaker', speaker_id, -count(*) FROM old_rows r
    WHERE {listed("r")} AND speaker_id IS NOT NULL GROUP BY speaker_id;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION quotes_quote_count_update() RETURNS trigger AS $$
BEGIN
    INSERT INTO quotes_quotecount (scope, key, key2, n)
    SELECT scope, key, key2, sum(n) FROM (
        SELECT o.id, o.status AS old_status, o.speaker_id AS old_speaker,
               n.status AS new_status, n.speaker_id AS new_speaker,
               {listed("o")} AS old_listed, {listed("n")} AS new_listed
        FROM old_rows o JOIN new_rows n USING (id)
        WHERE o.status IS DISTINCT FROM n.status OR o.speaker_id IS DISTINCT FROM n.speaker_id
           OR {listed("o")} IS DISTINCT FROM {listed("n")}
    ) c
    CROSS JOIN LATERAL (
        SELECT 'public' AS scope, 0::bigint AS key, 0::bigint AS key2,
               (c.new_status <> 'rejected')::int - (c.old_status <> 'rejected')::int AS n
        UNION ALL
        SELECT 'machine', 0, 0,
               (c.new_status = 'machine')::int - (c.old_status = 'machine')::int
        UNION ALL
        SELECT 'speaker', c.old_speaker, 0, -1
        WHERE c.old_listed AND c.old_speaker IS NOT NULL
        UNION ALL
        SELECT 'speaker', c.new_speaker, 0, 1
        WHERE c.new_listed AND c.new_speaker IS NOT NULL
        UNION ALL
        SELECT 'topic', t.topic_id, 0, c.new_listed::int - c.old_listed::int
        FROM quotes_quote_topics t
        WHERE t.quote_id = c.id AND c.new_listed <> c.old_listed
        UNION ALL
        SELECT 'spk_topic', c.old_speaker, t.topic_id, -1
        FROM quotes_quote_topics t
        WHERE t.quote_id = c.id AND c.old_listed AND c.old_speaker IS NOT NULL
        UNION ALL
        SELECT 'spk_topic', c.new_speaker, t.topic_id, 1
        FROM quotes_quote_topics t
        WHERE t.quote_id = c.id AND c.new_listed AND c.new_speaker IS NOT NULL
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
        WHERE {listed("q")} GROUP BY r.topic_id
        UNION ALL
        SELECT 'spk_topic', q.speaker_id, r.topic_id, count(*)
        FROM new_rows r JOIN quotes_quote q ON q.id = r.quote_id
        WHERE {listed("q")} AND q.speaker_id IS NOT NULL
        GROUP BY q.speaker_id, r.topic_id;
    ELSE
        INSERT INTO quotes_quotecount (scope, key, key2, n)
        SELECT 'topic', r.topic_id, 0, -count(*)
        FROM old_rows r JOIN quotes_quote q ON q.id = r.quote_id
        WHERE {listed("q")} GROUP BY r.topic_id
        UNION ALL
        SELECT 'spk_topic', q.speaker_id, r.topic_id, -count(*)
        FROM old_rows r JOIN quotes_quote q ON q.id = r.quote_id
        WHERE {listed("q")} AND q.speaker_id IS NOT NULL
        GROUP BY q.speaker_id, r.topic_id;
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

DELETE FROM quotes_quotecount WHERE scope IN ('speaker', 'topic', 'spk_topic');
INSERT INTO quotes_quotecount (scope, key, key2, n)
SELECT 'speaker', q.speaker_id, 0, count(*) FROM quotes_quote q
WHERE {listed("q")} AND q.speaker_id IS NOT NULL GROUP BY q.speaker_id
UNION ALL
SELECT 'topic', t.topic_id, 0, count(*)
FROM quotes_quote_topics t JOIN quotes_quote q ON q.id = t.quote_id
WHERE {listed("q")} GROUP BY t.topic_id
UNION ALL
SELECT 'spk_topic', q.speaker_id, t.topic_id, count(*)
FROM quotes_quote_topics t JOIN quotes_quote q ON q.id = t.quote_id
WHERE {listed("q")} AND q.speaker_id IS NOT NULL
GROUP BY q.speaker_id, t.topic_id;
"""


def _reverse_sql() -> str:
    before = import_module("apps.quotes.migrations.0019_quotecount_speaker_topic_and_articles")
    first = import_module("apps.quotes.migrations.0016_quotecount")
    # 0016's insert and delete functions, 0019's update and topic functions, counts retaken
    functions = first.FUNCTIONS.split("CREATE OR REPLACE FUNCTION quotes_quote_count_update()")[0]
    update = before.FORWARD.split("CREATE OR REPLACE FUNCTION articles_article_count()")[0]
    recount = r"""
DELETE FROM quotes_quotecount WHERE scope IN ('speaker', 'topic', 'spk_topic');
INSERT INTO quotes_quotecount (scope, key, key2, n)
SELECT 'speaker', speaker_id, 0, count(*) FROM quotes_quote
WHERE status <> 'rejected' AND speaker_id IS NOT NULL GROUP BY speaker_id
UNION ALL
SELECT 'topic', t.topic_id, 0, count(*)
FROM quotes_quote_topics t JOIN quotes_quote q ON q.id = t.quote_id
WHERE q.status <> 'rejected' GROUP BY t.topic_id
UNION ALL
SELECT 'spk_topic', q.speaker_id, t.topic_id, count(*)
FROM quotes_quote_topics t JOIN quotes_quote q ON q.id = t.quote_id
WHERE q.status <> 'rejected' AND q.speaker_id IS NOT NULL
GROUP BY q.speaker_id, t.topic_id;
"""
    return functions + update + recount


class Migration(migrations.Migration):
    dependencies = [("quotes", "0022_quote_speaker_statement_index")]

    operations = [migrations.RunSQL(FORWARD, _reverse_sql())]
