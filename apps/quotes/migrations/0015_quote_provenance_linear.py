"""Provenance of inserted quotes checked in time linear in the article's length.

PostgreSQL's ``substr`` on UTF-8 text walks from the first character to the offset, so checking
each quote against its article's whole text (migration 0008) cost the sum of the quotes' offsets:
quadratic in the article (3 s of 4 s storing a 256 KB one-paragraph article; minutes at 5 MB).
Now each article's new quotes are checked in order of position against a window of the text that
moves forward in steps: a quote's ``substr`` walks at most one step, and the text is cut at most
256 times. The rule and the error are unchanged: a quote's text is exactly article.text[start:end].
"""

from django.db import migrations

FORWARD = r"""
CREATE OR REPLACE FUNCTION quotes_quote_check_provenance_of_new_rows() RETURNS trigger AS $$
DECLARE
    art record;
    q record;
    rest text;          -- the article's text from character rest_at on
    rest_at integer;    -- 0-based offset of rest's first character
    step integer;       -- how far the window moves at a time
    win text;           -- rest's first step + longest characters: every quote starting in
                        -- [rest_at, rest_at + step) lies inside it
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
        SELECT a.id, a.text || '' AS text, char_length(a.text) AS length,
               (SELECT max(n."end" - n.start) FROM new_rows n WHERE n.article_id = a.id)
                   AS longest
        FROM articles_article a WHERE a.id IN (SELECT article_id FROM new_rows)
    LOOP
        rest := art.text;
        rest_at := 0;
        step := greatest(16384, art.length / 256 + 1);
        win := substr(rest, 1, step + art.longest);
        FOR q IN
            SELECT n.start, n."end", n.text FROM new_rows n
            WHERE n.article_id = art.id ORDER BY n.start
        LOOP
            IF q."end" > art.length OR q.start < 0 THEN
                RAISE EXCEPTION 'quote text is not article %''s characters [%:%]',
                    art.id, q.start, q."end"
                    USING ERRCODE = 'check_violation', CONSTRAINT = 'quote_provenance';
            END IF;
            WHILE q.start >= rest_at + step LOOP
                rest := substr(rest, step + 1);
                rest_at := rest_at + step;
                win := substr(rest, 1, step + art.longest);
            END LOOP;
            IF substr(win, q.start - rest_at + 1, q."end" - q.start) IS DISTINCT FROM q.text THEN
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

REVERSE = r"""
CREATE OR REPLACE FUNCTION quotes_quote_check_provenance_of_new_rows() RETURNS trigger AS $$
DECLARE
    bad record;
BEGIN
    WITH body AS MATERIALIZED (  -- each article's text, decompressed once (|| '' copies it)
        SELECT a.id, a.text || '' AS text, char_length(a.text) AS length
        FROM articles_article a WHERE a.id IN (SELECT article_id FROM new_rows)
    )
    SELECT q.article_id, q.start, q."end" INTO bad
    FROM new_rows q LEFT JOIN body b ON b.id = q.article_id
    WHERE b.id IS NULL
       OR q."end" > b.length
       OR substr(b.text, q.start + 1, q."end" - q.start) IS DISTINCT FROM q.text
    LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'quote text is not article %''s characters [%:%]',
            bad.article_id, bad.start, bad."end"
            USING ERRCODE = 'check_violation', CONSTRAINT = 'quote_provenance';
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;
"""


class Migration(migrations.Migration):
    dependencies = [("quotes", "0014_quote_needs_another_look")]

    operations = [migrations.RunSQL(FORWARD, REVERSE)]
