"""Provenance of inserted quotes checked once per statement, reading each article once.

Migration 0004 checks every quote row as it is written, and so reads (de-TOASTs and decompresses)
its article's whole text once per quote: most of the cost of storing an article's quotes. Inserts
are now checked after the statement, from its transition table, with each article's text read
once for all its new quotes. Updates of a quote's span or text are still checked row by row
(transition tables cannot go with a column list), and articles whose text changes at commit, as
before. The rule and the error are unchanged: a quote's text is exactly article.text[start:end].
"""

from django.db import migrations

FORWARD = r"""
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

DROP TRIGGER quote_provenance ON quotes_quote;

CREATE TRIGGER quote_provenance
    BEFORE UPDATE OF text, start, "end", article_id ON quotes_quote
    FOR EACH ROW EXECUTE FUNCTION quotes_quote_check_provenance();

CREATE TRIGGER quote_provenance_insert
    AFTER INSERT ON quotes_quote REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION quotes_quote_check_provenance_of_new_rows();
"""

REVERSE = r"""
DROP TRIGGER IF EXISTS quote_provenance_insert ON quotes_quote;
DROP FUNCTION IF EXISTS quotes_quote_check_provenance_of_new_rows();
DROP TRIGGER IF EXISTS quote_provenance ON quotes_quote;
CREATE TRIGGER quote_provenance
    BEFORE INSERT OR UPDATE OF text, start, "end", article_id ON quotes_quote
    FOR EACH ROW EXECUTE FUNCTION quotes_quote_check_provenance();
"""


class Migration(migrations.Migration):
    dependencies = [("quotes", "0007_quote_statement_article")]

    operations = [migrations.RunSQL(FORWARD, REVERSE)]
