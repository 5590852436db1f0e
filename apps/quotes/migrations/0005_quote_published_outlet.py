"""Quote.published and Quote.article_outlet: copies of the article's, kept by PostgreSQL, indexed.

A quote takes its article's date and outlet whenever it is written; an article whose date or
outlet changes passes them on to its quotes. Listings then sort newest first, and filter by date
and outlet, from one table and one index.
"""

import django.db.models.deletion
from django.db import migrations, models

FORWARD = r"""
CREATE OR REPLACE FUNCTION quotes_quote_copy_article() RETURNS trigger AS $$
BEGIN
    SELECT a.published, a.outlet_id INTO NEW.published, NEW.article_outlet_id
    FROM articles_article a WHERE a.id = NEW.article_id;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER quote_copy_article
    BEFORE INSERT OR UPDATE OF article_id, published, article_outlet_id ON quotes_quote
    FOR EACH ROW EXECUTE FUNCTION quotes_quote_copy_article();

CREATE OR REPLACE FUNCTION articles_article_pass_to_quotes() RETURNS trigger AS $$
BEGIN
    UPDATE quotes_quote SET published = NEW.published, article_outlet_id = NEW.outlet_id
    WHERE article_id = NEW.id;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER article_pass_to_quotes
    AFTER UPDATE OF published, outlet_id ON articles_article
    FOR EACH ROW WHEN (
        OLD.published IS DISTINCT FROM NEW.published OR OLD.outlet_id IS DISTINCT FROM NEW.outlet_id
    )
    EXECUTE FUNCTION articles_article_pass_to_quotes();

UPDATE quotes_quote q SET published = a.published, article_outlet_id = a.outlet_id
FROM articles_article a
WHERE a.id = q.article_id AND (a.published IS NOT NULL OR a.outlet_id IS NOT NULL);
"""

REVERSE = r"""
DROP TRIGGER IF EXISTS article_pass_to_quotes ON articles_article;
DROP FUNCTION IF EXISTS articles_article_pass_to_quotes();
DROP TRIGGER IF EXISTS quote_copy_article ON quotes_quote;
DROP FUNCTION IF EXISTS quotes_quote_copy_article();
"""

NEWEST = (
    models.OrderBy(models.F("published"), descending=True, nulls_last=True),
    models.OrderBy(models.F("article"), descending=True),
    models.F("start"),
)
PUBLIC = models.Q(("status", "rejected"), _negated=True)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0001_initial"),
        ("quotes", "0004_quote_provenance_trigger"),
    ]

    operations = [
        migrations.AddField(
            model_name="quote",
            name="published",
            field=models.DateField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="quote",
            name="article_outlet",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="articles.outlet",
            ),
        ),
        migrations.RunSQL(FORWARD, REVERSE),
        migrations.AddIndex(
            model_name="quote",
            index=models.Index(
                *NEWEST,
                condition=PUBLIC,
                include=("id", "search_vector"),
                name="quote_newest",
            ),
        ),
        migrations.AddIndex(
            model_name="quote",
            index=models.Index(
                models.F("speaker"),
                *NEWEST,
                include=("id", "status", "statement"),
                name="quote_speaker_newest",
            ),
        ),
        migrations.AddIndex(
            model_name="quote",
            index=models.Index(
                models.F("article_outlet"), *NEWEST, condition=PUBLIC, name="quote_outlet_newest"
            ),
        ),
    ]
