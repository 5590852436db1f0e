import csv
import io
import json

import pytest

from apps.quotes.views import EXPORT_FIELDS
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
    assert response.streaming and response["Content-Type"] == "text/csv"
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
