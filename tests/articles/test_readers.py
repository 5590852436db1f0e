"""One reader for ``extract``, ``ingest`` and the ingest page: encodings, formats, bad input."""

import codecs
import io
import json
import sys

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError
from django.test import RequestFactory

from apps.articles.models import Article
from apps.articles.sources import SourceError, decode, iter_items, json_depth_check

ARTICLE = "Talks ended\n\n“We will talk again,” Sergey Lavrov said on Friday.\n"


def extract_cmd(*args) -> tuple[list[dict], str, Exception | None]:
    out, err = io.StringIO(), io.StringIO()
    error = None
    try:
        call_command("extract", *args, stdout=out, stderr=err)
    except CommandError as exc:
        error = exc
    rows = [json.loads(line) for line in out.getvalue().splitlines() if line.strip()]
    return rows, err.getvalue(), error


def ingest_cmd(*args) -> tuple[str, str, Exception | None]:
    out, err = io.StringIO(), io.StringIO()
    error = None
    try:
        call_command("ingest", *args, "--no-progress", stdout=out, stderr=err)
    except CommandError as exc:
        error = exc
    return out.getvalue(), err.getvalue(), error


def test_bom_is_dropped_so_extract_offsets_index_the_stored_text(tmp_path):
    path = tmp_path / "bom.txt"
    path.write_bytes(codecs.BOM_UTF8 + ARTICLE.encode())
    rows, _, error = extract_cmd(str(path))
    assert error is None and rows
    for row in rows:
        assert ARTICLE[row["start"] : row["end"]] == row["quote"]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_with_its_bom_is_read(encoding):
    bom = {"utf-16-le": codecs.BOM_UTF16_LE, "utf-16-be": codecs.BOM_UTF16_BE}.get(encoding, b"")
    assert decode(bom + ARTICLE.encode(encoding)) == ARTICLE


def test_utf16_file_is_extracted(tmp_path):
    path = tmp_path / "wide.txt"
    path.write_text(ARTICLE, encoding="utf-16")
    rows, err, error = extract_cmd(str(path))
    assert error is None, err
    assert any("We will talk again" in row["quote"] for row in rows)


def test_extract_parses_html_and_jsonl_by_suffix(tmp_path):
    (tmp_path / "page.html").write_text(
        "<html><head><title>Talks</title></head><body><article><p>"
        "“We will talk again,” Sergey Lavrov said on Friday, after hours of talks.</p>"
        "</article></body></html>",
        encoding="utf-8",
    )
    (tmp_path / "two.jsonl").write_text(
        json.dumps({"text": ARTICLE})
        + "\n"
        + json.dumps({"text": ARTICLE.replace("talk again", "meet in June")})
        + "\n"
    )
    rows, err, error = extract_cmd(str(tmp_path / "page.html"), str(tmp_path / "two.jsonl"))
    assert error is None, err
    texts = [row["quote"] for row in rows]
    assert not any("<p>" in t or '"text"' in t for t in texts)
    assert any("We will talk again" in t for t in texts)
    assert any("meet in June" in t for t in texts)
    assert {row["source"] for row in rows} >= {f"{tmp_path}/two.jsonl:1", f"{tmp_path}/two.jsonl:2"}


def test_extract_refuses_an_empty_file_with_a_clear_error(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    rows, err, error = extract_cmd(str(tmp_path / "empty.txt"))
    assert isinstance(error, CommandError) and rows == []
    assert "empty.txt: empty" in err


def test_deep_json_is_one_failed_item_and_the_good_file_lands(db, tmp_path):
    (tmp_path / "deep.json").write_text("[" * 200_000 + "]" * 200_000)
    (tmp_path / "deep.jsonl").write_text(
        json.dumps({"text": "“Yes,” she said."}) + "\n" + "[" * 5000 + "\n"
    )
    (tmp_path / "good.txt").write_text(ARTICLE, encoding="utf-8")
    out, err, error = ingest_cmd(str(tmp_path))
    assert isinstance(error, CommandError)
    assert "stored 2, unchanged 0, updated 0, failed 2" in out
    assert "deep.json: JSON nested deeper than" in err
    assert "deep.jsonl:2: JSON nested deeper than" in err
    assert Article.objects.count() == 2


def test_json_depth_check_counts_brackets_outside_strings_only():
    json_depth_check(json.dumps([{"text": "[" * 100 + "{" * 100, "a": [1, [2]]}]))
    json_depth_check("[" * 32 + "]" * 32)
    with pytest.raises(SourceError):
        json_depth_check("[" * 33 + "]" * 33)
    json_depth_check('[[["unbalanced"')  # left for json.loads to report
    with pytest.raises(SourceError):
        json_depth_check("[" * 5000)


@pytest.mark.parametrize(
    "url", ["javascript:alert(document.cookie)", "JaVaScRiPt:alert(1)", "data:text/html,x"]
)
def test_only_http_links_are_stored_from_json(db, tmp_path, url):
    (tmp_path / "a.jsonl").write_text(
        json.dumps({"text": ARTICLE, "url": url})
        + "\n"
        + json.dumps({"text": ARTICLE + "More.", "url": "https://example.org/a"})
    )
    out, err, error = ingest_cmd(str(tmp_path))
    assert "only http and https links are stored" in err
    assert list(Article.objects.values_list("url", flat=True)) == ["https://example.org/a"]


def test_the_database_refuses_a_script_url_whatever_writes_it(db):
    with pytest.raises(IntegrityError):
        Article.objects.create(title="x", text="x", content_hash="x", url="javascript:alert(1)")


def test_a_paste_up_to_the_documented_limit_reaches_the_form(settings):
    text = "word " * (settings.INGEST_MAX_BYTES // 5 - 10)
    assert len(text) > 2_600_000
    request = RequestFactory().post("/ingest/", {"text": text})
    assert len(request.POST["text"]) == len(text)  # no RequestDataTooBig (a bare 400)


def test_stdin_is_read_by_the_same_reader(db):
    items = list(iter_items(["-"], stdin=io.BytesIO(codecs.BOM_UTF8 + ARTICLE.encode())))
    assert items[0].article.text == ARTICLE
    assert sys.stdin is not None
