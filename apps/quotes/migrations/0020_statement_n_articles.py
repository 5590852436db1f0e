"""Statement.n_articles: how many articles report the statement, kept by triggers.

The compare page listed statements reported by several articles by counting every
statement's articles per request (a cost growing with the statements); it now reads them in
order from an index. Each statement that inserts, deletes or moves quotes recounts the
statements those quotes left or joined (a few rows each, from ``quote_statement_article``).
"""

from django.db import migrations, models

FORWARD = r"""
CREATE OR REPLACE FUNCTION quotes_statement_recount(ids bigint[]) RETURNS void AS $$
    UPDATE quotes_statement s SET n_articles = c.n
    FROM (
        SELECT s2.id, (SELECT count(DISTINCT q.article_id) FROM quotes_quote q
                       WHERE q.statement_id = s2.id) AS n
        FROM quotes_statement s2 WHERE s2.id = ANY(ids)
    ) c
    WHERE s.id = c.id AND s.n_articles IS DISTINCT FROM c.n;
$$ LANGUAGE sql;

CREATE OR REPLACE FUNCTION quotes_quote_statement_insert() RETURNS trigger AS $$
BEGIN
    PERFORM quotes_statement_recount(ARRAY(
        SELECT DISTINCT statement_id FROM new_rows WHERE statement_id IS NOT NULL));
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION quotes_quote_statement_delete() RETURNS trigger AS $$
BEGIN
    PERFORM quotes_statement_recount(ARRAY(
        SELECT DISTINCT statement_id FROM old_rows WHERE statement_id IS NOT NULL));
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION quotes_quote_statement_update() RETURNS trigger AS $$
BEGIN
    PERFORM quotes_statement_recount(ARRAY(
        SELECT o.statement_id FROM old_rows o JOIN new_rows n USING (id)
        WHERE o.statement_id IS NOT NULL AND (o.statement_id IS DISTINCT FROM n.statement_id
              OR o.article_id IS DISTINCT FROM n.article_id)
        UNION
        SELECT n.statement_id FROM old_rows o JOIN new_rows n USING (id)
        WHERE n.statement_id IS NOT NULL AND (o.statement_id IS DISTINCT FROM n.statement_id
              OR o.article_id IS DISTINCT FROM n.article_id)));
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER quote_statement_insert AFTER INSERT ON quotes_quote
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION quotes_quote_statement_insert();
CREATE TRIGGER quote_statement_delete AFTER DELETE ON quotes_quote
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION quotes_quote_statement_delete();
CREATE TRIGGER quote_statement_update AFTER UPDATE ON quotes_quote
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION quotes_quote_statement_update();

UPDATE quotes_statement s SET n_articles = c.n
FROM (SELECT statement_id, count(DISTINCT article_id) AS n FROM quotes_quote
      WHERE statement_id IS NOT NULL GROUP BY statement_id) c
WHERE s.id = c.statement_id;
"""

REVERSE = r"""
DROP TRIGGER IF EXISTS quote_statement_update ON quotes_quote;
DROP TRIGGER IF EXISTS quote_statement_delete ON quotes_quote;
DROP TRIGGER IF EXISTS quote_statement_insert ON quotes_quote;
DROP FUNCTION IF EXISTS quotes_quote_statement_update();
DROP FUNCTION IF EXISTS quotes_quote_statement_delete();
DROP FUNCTION IF EXISTS quotes_quote_statement_insert();
DROP FUNCTION IF EXISTS quotes_statement_recount(bigint[]);
"""


class Migration(migrations.Migration):

    dependencies = [
        ('quotes', '0019_quotecount_speaker_topic_and_articles'),
        ('speakers', '0002_seed_speakers'),
    ]

    operations = [
        migrations.AddField(
            model_name='statement',
            name='n_articles',
            field=models.PositiveIntegerField(db_default=0, default=0, editable=False),
        ),
        migrations.AddIndex(
            model_name='statement',
            index=models.Index(models.OrderBy(models.F('has_conflict'), descending=True), models.OrderBy(models.F('n_articles'), descending=True), models.OrderBy(models.F('updated_at'), descending=True), models.OrderBy(models.F('id'), descending=True), condition=models.Q(('n_articles__gt', 1)), name='statement_compare'),
        ),
        migrations.RunSQL(FORWARD, REVERSE),
    ]
