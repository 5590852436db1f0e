import csv
import io
import json

import pytest
from django.db import connection

from apps.quotes import views
from apps.quotes.views import EXPORT_FAILED, EXPORT_FIELDS
from tests import factories
from tests.factories import small_corpus

pytestmark = pytest.mark.django_db


@pytest.fixture
def corpus():
    return small_corpus()


def get_json(client, **params):
    response = client.get("/quotes.json", params)
    assert response.streaming
    assert response["Content-Type"] == "application/json"
    return json.loads(b"".join(response.streaming_content))


def test_json_export_records(client, corpus):
    records = get_json(client, speaker="sergey-lavrov", kind="partial")
    assert len(records) == 1
    record = records[0]
    assert list(record) == EXPORT_FIELDS
    assert record == {
        "id": corpus.qa2.pk,
        "text": "baseless <b>nonsense</b> and lies",
        "kind": "partial",
        "speaker_name": "Sergey Lavrov",
        "speaker_slug": "sergey-lavrov",
        "speaker_mention": "Sergey Lavrov",
        "cue": "said",
        "confidence": 0.9,
        "status": "machine",
        "topics": ["election-interference"],
        "statement_id": None,
        "article_id": corpus.a.pk,
        "title": "Talks A",
        "outlet": "Example Times",
        "url": "",
        "published": "2019-05-10",
        "start": corpus.qa2.start,
        "end": corpus.qa2.end,
        "part_of": None,
    }
    assert corpus.a.text[record["start"] : record["end"]] == record["text"]


def test_a_partial_inside_a_claim_names_the_claim_in_both_exports(client):
    from apps.articles.services import article_ingest
    from apps.quotes.extraction import ExtractedQuote

    text = 'Talks\n\nLavrov said the talks were a "step forward" in relations with Washington.\n'
    claim = 'the talks were a "step forward" in relations with Washington'
    spans = [(text.index(claim), text.index(claim) + len(claim), "indirect")]
    spans.append((text.index("step forward"), text.index("step forward") + 12, "partial"))
    extracted = [
        ExtractedQuote(text=text[a:b], start=a, end=b, kind=kind, speaker="Sergey Lavrov")
        for a, b, kind in spans
    ]
    article = article_ingest(text=text, title="Talks", extracted=extracted).article
    outer = article.quotes.get(kind="indirect")
    inner = article.quotes.get(kind="partial")
    records = {r["id"]: r for r in get_json(client, speaker="sergey-lavrov")}
    assert records[inner.pk]["part_of"] == outer.pk and records[outer.pk]["part_of"] is None
    lines = b"".join(client.get("/quotes.csv").streaming_content).decode().splitlines()
    assert lines[0].endswith(",part_of")
    assert any(line.startswith(f"{inner.pk},") and line.endswith(f",{outer.pk}") for line in lines)


def test_export_filters_match_the_pages(client, corpus):
    assert [r["id"] for r in get_json(client, q="sanctions")] == [corpus.qb2.pk, corpus.qa3.pk]
    assert {r["id"] for r in get_json(client, topic="sanctions", outlet=corpus.a.outlet_id)} == {
        corpus.qa3.pk
    }
    assert {r["id"] for r in get_json(client, **{"from": "2019-06-01", "to": "2019-06-30"})} == {
        corpus.qb1.pk,
        corpus.qb2.pk,
    }
    assert get_json(client, status="confirmed") == []
    assert len(get_json(client)) == 6


def test_csv_export(client, corpus):
    response = client.get("/quotes.csv", {"topic": "bilateral-relations"})
    assert response.streaming and response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert {int(r["id"]) for r in rows} == {corpus.qa1.pk, corpus.qb1.pk}
    assert rows[0]["topics"] == "bilateral-relations"
    assert rows[0]["statement_id"] == str(corpus.wave.pk)


def test_export_is_a_single_streamed_query(client, corpus, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        response = client.get("/quotes.json")
        body = b"".join(response.streaming_content)
    assert len(json.loads(body)) == 6


def test_csv_cells_that_would_be_formulas_start_with_an_apostrophe(client):
    art = factories.article('He wrote "=HYPERLINK(1)" and "-2+3" and "@SUM(A1)" then "plain".')
    who = factories.speaker("Ann Example")
    for text in ("=HYPERLINK(1)", "-2+3", "@SUM(A1)", "plain"):
        factories.quote(art, text, who, speaker_mention="+cmd")
    response = client.get("/quotes.csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert sorted(r["text"] for r in rows) == ["'-2+3", "'=HYPERLINK(1)", "'@SUM(A1)", "plain"]
    assert {r["speaker_mention"] for r in rows} == {"'+cmd"}
    assert {r["confidence"] for r in rows} == {"0.9"}  # numbers are left alone


def test_csv_is_utf8_with_a_byte_order_mark_on_request(client):
    art = factories.article('Она сказала: "Переговоры – шаг вперёд".')
    factories.quote(art, "Переговоры – шаг вперёд", factories.speaker("Olga Example"))
    plain = b"".join(client.get("/quotes.csv").streaming_content)
    assert not plain.startswith(b"\xef\xbb\xbf")
    marked = b"".join(client.get("/quotes.csv", {"bom": "1"}).streaming_content)
    assert marked.startswith(b"\xef\xbb\xbf")
    assert "Переговоры – шаг вперёд" in marked.decode("utf-8-sig")


def _failing_after(n):
    real = views.export_rows

    def rows(params):
        for i, record in enumerate(real(params)):
            if i == n:
                raise RuntimeError("connection lost")
            yield record

    return rows


@pytest.mark.parametrize("url", ["/quotes.csv", "/quotes.json"])
def test_an_export_failing_midway_says_so_and_breaks_off(client, corpus, monkeypatch, url):
    monkeypatch.setattr(views, "export_rows", _failing_after(3))
    response = client.get(url)
    received = []
    with pytest.raises(RuntimeError):  # the server aborts the stream: no final chunk
        for chunk in response.streaming_content:
            received.append(chunk)
    body = b"".join(received).decode()
    assert EXPORT_FAILED in body.splitlines()[-1]
    if url.endswith(".json"):
        with pytest.raises(json.JSONDecodeError):
            json.loads(body)  # the array is left unclosed: no one can take it for whole
    else:
        assert len(list(csv.reader(io.StringIO(body)))) == 1 + 3 + 1  # header, rows, error


@pytest.fixture
def reseed_after():
    """A transactional test flushes the tables: put the migrations' seed rows back after it."""
    yield
    from importlib import import_module

    from django.apps import apps as django_apps

    for module in (
        "apps.speakers.migrations.0002_seed_speakers",
        "apps.quotes.migrations.0002_seed_topics",
    ):
        import_module(module).seed(django_apps, None)


@pytest.mark.django_db(transaction=True)
def test_an_export_reads_through_a_cursor_that_is_not_held(client, monkeypatch, reseed_after):
    """Outside a transaction Django declares its cursor WITH HOLD, and PostgreSQL then writes
    the whole result to a temporary file before the first row."""
    small_corpus()
    real, seen = views.export_rows, []

    def look(params):
        for record in real(params):
            with connection.cursor() as cursor:
                cursor.execute("SELECT is_holdable FROM pg_cursors WHERE name LIKE '_django%%'")
                seen.extend(row[0] for row in cursor.fetchall())
            yield record

    monkeypatch.setattr(views, "export_rows", look)
    body = b"".join(client.get("/quotes.json").streaming_content)
    assert len(json.loads(body)) == 6
    assert seen and not any(seen)
