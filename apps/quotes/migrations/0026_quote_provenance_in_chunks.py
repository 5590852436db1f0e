"""Provenance of inserted quotes checked against the article's text cut once into chunks.

Migration 0015 made the check linear in the article's length by moving a window of the text
forward in 256 steps, but each quote's ``substr`` still walked up to a step (16 KB or more) to
its first character, and each step copied the rest of the text: 3 of the 10 s an article of
24,685 quotes (5 MB) spent in its storing transaction. Now the text is cut once into chunks of
255 characters (one pass of the regular expression engine: 255 is the longest repetition it
allows), and each quote is compared with the chunks it stands in, joined (read one element at
a time: a slice of the array would copy all of it): a quote costs its length plus two chunks. The
rule and the error are unchanged: a quote's text is exactly article.text[start:end].
"""

from importlib import import_module

from django.db import migrations

FORWARD = r"""
CREATE OR REPLACE FUNCTION quotes_quote_check_provenance_of_new_rows() RETURNS trigger AS $$
DECLARE
    art record;
    q record;
    chunks text[];  -- chunks[k + 1] holds characters [255 k, 255 k + 255)
    first integer;
    words text;
BEGIN
    SELECT n.article_id, n.start, n."end" INTO q
    FROM new_rows n LEFT JOIN articles_article a ON a.id = n.article_id
    WHERE a.id IS NULL LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'quote text is not article %''s characters [%:%]',
            q.article_id, q.start, q."end"
            USING ERRCODE = 'check_violation', CONSTRAINT = 'quote_provenance';
    END IF;
    FOR art IN
        SELECT a.id, a.text, char_length(a.text) AS length
        FROM articles_article a WHERE a.id IN (SELECT article_id FROM new_rows)
    LOOP
        chunks := ARRAY(
            SELECT r.m[1]
            FROM regexp_matches(art.text, '(.{1,255})', 'g') WITH ORDINALITY AS r(m, i)
            ORDER BY r.i
        );
        FOR q IN SELECT n.start, n."end", n.text FROM new_rows n WHERE n.article_id = art.id
        LOOP
            IF q."end" > art.length OR q.start < 0 THEN
                RAISE EXCEPTION 'quote text is not article %''s characters [%:%]',
                    art.id, q.start, q."end"
                    USING ERRCODE = 'check_violation', CONSTRAINT = 'quote_provenance';
            END IF;
            first := q.start / 255;
            words := chunks[first + 1];  -- one element at a time: no copy of the array
            FOR k IN first + 2 .. (q."end" - 1) / 255 + 1 LOOP
                words := words || chunks[k];
            END LOOP;
            IF substr(words, q.start - 255 * first + 1, q."end" - q.start)
               IS DISTINCT FROM q.text THEN
                RAISE EXCEPTION 'quote text is not article %''s characters [%:%]',
                    art.id, q.start, q."end"
                    USING ERRCODE = 'check_violation', CONSTRAINT = 'quote_provenance';
            END IF;
        END LOOP;
    END LOOP;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;
"""


class Migration(migrations.Migration):
    dependencies = [("quotes", "0025_quote_fingerprints")]

    operations = [
        migrations.RunSQL(
            FORWARD, import_module("apps.quotes.migrations.0015_quote_provenance_linear").FORWARD
        )
    ]
