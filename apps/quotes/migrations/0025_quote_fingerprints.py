"""QuoteFingerprint: winnowed fingerprints of each quote's words, kept by triggers.

``statements_link`` looked up the stored versions of a new quote in the full-text index: a
bitmap scan reads the whole posting list of every word before it can stop at LIMIT 10, and those
lists grow with the corpus (about 3,500 entries per word at 1M quotes). A btree on fingerprints
is read in order and stops after a few entries per fingerprint.

``quote_fingerprints(text)``: the words (runs of letters and digits, lower-cased) cut to their
first five letters (as ``word_coverage`` compares them), hashed three at a time (k = 3), and
the smallest hash of each window of three consecutive hashes (w = 3): any run of
w + k - 1 = 5 words two quotes share gives them a common fingerprint. A text of fewer than
five words is one window: equal short texts share their fingerprint.

Triggers (per statement, from the transition tables, so a COPY of a million quotes or an
article of 25,000 is one INSERT here) add a new quote's fingerprints, drop a deleted one's
(found again from its text: the primary key is the table's only index) and replace them when
its text changes. No foreign key: its check would cost one lookup per fingerprint row
inserted, and its cascade an index on quote_id; the triggers keep the table in step instead.
Existing quotes are filled here, with the primary key built after the rows are in.
"""

import django.db.models.deletion
from django.db import migrations, models


FUNCTIONS = r"""
CREATE OR REPLACE FUNCTION quote_fingerprints(t text) RETURNS bigint[]
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
    words text[] := array_remove(regexp_split_to_array(lower(t), '[^[:alnum:]]+'), '');
    n int := cardinality(words);
    shingles int := greatest(n - 2, 1);
    h bigint[];
    found bigint[] := '{}';
    m bigint;
BEGIN
    IF n = 0 THEN
        RETURN found;
    END IF;
    FOR i IN 1..shingles LOOP
        h[i] := hashtextextended(
            left(words[i], 5) || ' ' || coalesce(left(words[i + 1], 5), '') || ' '
            || coalesce(left(words[i + 2], 5), ''), 0);
    END LOOP;
    FOR i IN 1..greatest(shingles - 2, 1) LOOP
        m := least(h[i], h[i + 1], h[i + 2]);
        IF found[cardinality(found)] IS DISTINCT FROM m THEN
            found := found || m;
        END IF;
    END LOOP;
    RETURN found;
END
$$;

CREATE OR REPLACE FUNCTION quotes_fingerprints_insert() RETURNS trigger AS $$
BEGIN
    INSERT INTO quotes_quotefingerprint (fingerprint, article_id, quote_id)
    SELECT DISTINCT f, r.article_id, r.id FROM new_rows r, unnest(quote_fingerprints(r.text)) f;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION quotes_fingerprints_delete() RETURNS trigger AS $$
BEGIN
    DELETE FROM quotes_quotefingerprint p
    USING (SELECT DISTINCT f, r.article_id, r.id FROM old_rows r,
           unnest(quote_fingerprints(r.text)) f) o
    WHERE p.fingerprint = o.f AND p.article_id = o.article_id AND p.quote_id = o.id;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

-- Only quotes whose words changed (an editor's span fix, a re-ingest's new words).
CREATE OR REPLACE FUNCTION quotes_fingerprints_update() RETURNS trigger AS $$
BEGIN
    DELETE FROM quotes_quotefingerprint p
    USING (SELECT DISTINCT f, o.article_id, o.id FROM old_rows o JOIN new_rows n USING (id),
           unnest(quote_fingerprints(o.text)) f
           WHERE o.text IS DISTINCT FROM n.text OR o.article_id <> n.article_id) o
    WHERE p.fingerprint = o.f AND p.article_id = o.article_id AND p.quote_id = o.id;
    INSERT INTO quotes_quotefingerprint (fingerprint, article_id, quote_id)
    SELECT DISTINCT f, n.article_id, n.id FROM old_rows o JOIN new_rows n USING (id),
           unnest(quote_fingerprints(n.text)) f
    WHERE o.text IS DISTINCT FROM n.text OR o.article_id <> n.article_id;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER quotes_fingerprints_insert AFTER INSERT ON quotes_quote
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION quotes_fingerprints_insert();
CREATE TRIGGER quotes_fingerprints_delete AFTER DELETE ON quotes_quote
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT
    EXECUTE FUNCTION quotes_fingerprints_delete();
CREATE TRIGGER quotes_fingerprints_update AFTER UPDATE ON quotes_quote
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION quotes_fingerprints_update();

ALTER TABLE quotes_quotefingerprint DROP CONSTRAINT quotes_quotefingerprint_pkey;
INSERT INTO quotes_quotefingerprint (fingerprint, article_id, quote_id)
SELECT DISTINCT f, q.article_id, q.id FROM quotes_quote q, unnest(quote_fingerprints(q.text)) f;
ALTER TABLE quotes_quotefingerprint
    ADD CONSTRAINT quotes_quotefingerprint_pkey PRIMARY KEY (fingerprint, article_id, quote_id);
ANALYZE quotes_quotefingerprint;
"""

REVERSE = r"""
DROP TRIGGER IF EXISTS quotes_fingerprints_insert ON quotes_quote;
DROP TRIGGER IF EXISTS quotes_fingerprints_delete ON quotes_quote;
DROP TRIGGER IF EXISTS quotes_fingerprints_update ON quotes_quote;
DROP FUNCTION IF EXISTS quotes_fingerprints_insert();
DROP FUNCTION IF EXISTS quotes_fingerprints_delete();
DROP FUNCTION IF EXISTS quotes_fingerprints_update();
DROP FUNCTION IF EXISTS quote_fingerprints(text);
"""


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0004_article_url_http_only"),
        ("quotes", "0024_review_queue_index"),
    ]

    operations = [
        migrations.CreateModel(
            name="QuoteFingerprint",
            fields=[
                (
                    "pk",
                    models.CompositePrimaryKey(
                        "fingerprint",
                        "article_id",
                        "quote_id",
                        blank=True,
                        editable=False,
                        primary_key=True,
                        serialize=False,
                    ),
                ),
                ("fingerprint", models.BigIntegerField()),
                (
                    "article",
                    models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="articles.article",
                    ),
                ),
                (
                    "quote",
                    models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="quotes.quote",
                    ),
                ),
            ],
        ),
        migrations.RunSQL(FUNCTIONS, REVERSE),
    ]
