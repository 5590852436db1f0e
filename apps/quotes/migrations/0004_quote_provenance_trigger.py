"""Provenance, enforced by PostgreSQL: a quote's text is exactly article.text[start:end].

A quote row is checked whenever it is written; an article whose text changes is checked at
commit (a deferred constraint trigger), so a re-ingest can move its quotes in the same transaction.
Positions count characters (code points), as Python's str indexes do.
"""

from django.db import migrations

FORWARD = r"""
CREATE OR REPLACE FUNCTION quotes_quote_check_provenance() RETURNS trigger AS $$
DECLARE
    body text;
BEGIN
    SELECT a.text INTO body FROM articles_article a WHERE a.id = NEW.article_id;
    IF body IS NULL
       OR NEW."end" > char_length(body)
       OR substr(body, NEW.start + 1, NEW."end" - NEW.start) IS DISTINCT FROM NEW.text THEN
        RAISE EXCEPTION 'quote text is not article %''s characters [%:%]',
            NEW.article_id, NEW.start, NEW."end"
            USING ERRCODE = 'check_violation', CONSTRAINT = 'quote_provenance';
    END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER quote_provenance
    BEFORE INSERT OR UPDATE OF text, start, "end", article_id ON quotes_quote
    FOR EACH ROW EXECUTE FUNCTION quotes_quote_check_provenance();

CREATE OR REPLACE FUNCTION articles_article_check_provenance() RETURNS trigger AS $$
BEGIN
    IF EXISTS (
        SELECT 1 FROM quotes_quote q JOIN articles_article a ON a.id = q.article_id
        WHERE q.article_id = NEW.id
          AND (q."end" > char_length(a.text)
               OR substr(a.text, q.start + 1, q."end" - q.start) IS DISTINCT FROM q.text)
    ) THEN
        RAISE EXCEPTION 'article % has quotes that no longer match its text', NEW.id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'quote_provenance';
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE CONSTRAINT TRIGGER article_quote_provenance
    AFTER UPDATE OF text ON articles_article
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION articles_article_check_provenance();
"""

REVERSE = r"""
DROP TRIGGER IF EXISTS article_quote_provenance ON articles_article;
DROP FUNCTION IF EXISTS articles_article_check_provenance();
DROP TRIGGER IF EXISTS quote_provenance ON quotes_quote;
DROP FUNCTION IF EXISTS quotes_quote_check_provenance();
"""


class Migration(migrations.Migration):
    dependencies = [("quotes", "0003_quote_text_fits_span"), ("articles", "0001_initial")]

    operations = [migrations.RunSQL(FORWARD, REVERSE)]
