"""``manage.py ingest``: formats, bad files refused with their reason while the rest land."""

import io
import json
import sys

import pytest
from django.core.management import CommandError, call_command

from apps.articles.models import Article
from apps.articles.sources import iter_items
from apps.quotes.models import Quote
from tests.conftest import SEEDS

pytestmark = pytest.mark.django_db

ARTICLE = "Talks ended\n\n“We will talk again,” Sergey Lavrov said on Friday.\n"


def run(*args, stdin=None) -> tuple[str, str, Exception | None]:
    out, err = io.StringIO(), io.StringIO()
    error = None
    old = sys.stdin
    if stdin is not None:
        sys.stdin = io.TextIOWrapper(io.BytesIO(stdin))
    try:
        call_command("ingest", *args, "--no-progress", stdout=out, stderr=err)
    except CommandError as exc:
        error = exc
    finally:
        sys.stdin = old
    return out.getvalue(), err.getvalue(), error


def test_ingest_seeds_then_again_is_a_no_op():
    out, _, error = run(str(SEEDS))
    assert error is None
    assert "stored 5, unchanged 0, updated 0, failed 0" in out
    assert Article.objects.filter(outlet__name="RT").count() == 2
    quotes = Quote.objects.count()
    assert quotes > 0
    out, _, error = run(str(SEEDS))
    assert error is None
    assert "stored 0, unchanged 5, updated 0, failed 0" in out
    assert Quote.objects.count() == quotes


def test_each_kind_of_bad_file_is_refused_with_its_reason_and_the_rest_land(tmp_path, settings):
    settings.INGEST_MAX_BYTES = 2000
    (tmp_path / "good.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"  \n")
    (tmp_path / "binary.txt").write_bytes(b"Title\n\x00\x01\x02 not text")
    (tmp_path / "latin1.txt").write_bytes("Caf\xe9 talks\n\nNo accord.".encode("latin-1"))
    (tmp_path / "huge.txt").write_text("Big\n\n" + "word " * 1000, encoding="utf-8")
    (tmp_path / "notext.json").write_text(json.dumps({"title": "No body"}))
    (tmp_path / "ok.json").write_text(json.dumps({"text": "JSON piece\n\nIt said “hello there”."}))
    out, err, error = run(str(tmp_path))
    assert isinstance(error, CommandError)  # non-zero exit
    assert "stored 2, unchanged 0, updated 0, failed 5" in out
    assert "empty.txt: empty" in err
    assert "binary.txt: binary file" in err
    assert "latin1.txt: not UTF-8 text" in err
    assert "huge.txt: too large: 5,005 bytes (the limit is 2,000)" in err
    assert "notext.json: the JSON object has no 'text'" in err
    assert sorted(Article.objects.values_list("title", flat=True)) == ["JSON piece", "Talks ended"]


def test_missing_path_and_stdin(tmp_path):
    out, err, error = run(str(tmp_path / "nope.txt"))
    assert error is not None and "no such file or folder" in err
    out, err, error = run("-", stdin=ARTICLE.encode())
    assert error is None and "stored 1" in out
    article = Article.objects.get()
    assert article.title == "Talks ended" and article.source == ""
    assert article.text[article.quotes.first().start :].startswith(article.quotes.first().text)


def test_a_changed_file_updates_its_article(tmp_path):
    path = tmp_path / "story.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    run(str(path))
    path.write_text(ARTICLE + "\n“And again,” Lavrov added.\n", encoding="utf-8")
    out, _, error = run(str(path))
    assert error is None and "updated 1" in out
    assert Article.objects.count() == 1


def test_workers_extract_in_a_pool(tmp_path):
    for n in range(4):
        (tmp_path / f"a{n}.jsonl").write_text(
            json.dumps(
                {
                    "text": f"Piece {n}\n\n“Quote number {n},” Lavrov said.",
                    "url": f"https://example.org/{n}",
                }
            )
        )
    out, _, error = run(str(tmp_path), "--workers", "2")
    assert error is None and "stored 4" in out
    assert set(Article.objects.values_list("url", flat=True)) == {
        f"https://example.org/{n}" for n in range(4)
    }


def test_an_article_that_kills_the_engine_fails_alone(tmp_path, monkeypatch):
    import os

    from apps.articles import pipeline

    real = pipeline.extract

    def fragile(text, **kwargs):
        if "CRASH" in text:
            os._exit(1)  # the engine process dies, as on running out of memory
        return real(text, **kwargs)

    monkeypatch.setattr(pipeline, "extract", fragile)
    for n in range(40):
        words = "CRASH here" if n == 5 else f"Quote number {n}"
        (tmp_path / f"a{n:02}.jsonl").write_text(
            json.dumps(
                {
                    "text": f"Piece {n}\n\n“{words},” Lavrov said.",
                    "url": f"https://example.org/u{n}",
                }
            )
        )
    out, err, error = run(str(tmp_path))
    assert "stored 39" in out and "failed 1" in out
    assert "a05.jsonl" in err and "the engine process died" in err
    assert error is not None
    assert Article.objects.count() == 39


def test_formats_html_jsonl_and_manifest(tmp_path):
    (tmp_path / "page.html").write_text(
        "<html><head><title>Envoy speaks | Example News</title>"
        '<meta property="og:site_name" content="Example News">'
        '<meta property="article:published_time" content="2019-05-14T10:00:00Z">'
        '<link rel="canonical" href="https://www.example.com/envoy"></head><body>'
        "<nav>Home | World | Sport</nav><article><h1>Envoy speaks</h1>"
        + "<p>The envoy spoke to reporters at length on Tuesday about the talks.</p>"
        * 3
        + "<p>“We are ready to talk,” the envoy said in the capital on Tuesday.</p></article>"
        '<div class="comments">Comment: first!</div></body></html>',
        encoding="utf-8",
    )
    (tmp_path / "many.jsonl").write_text(
        "\n".join(
            json.dumps({"text": f"Line {n} text", "published": f"2020-01-0{n}"}) for n in (1, 2)
        )
        + "\n{broken\n"
    )
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "manifest.toml").write_text(
        '[[article]]\nfile = "a.txt"\ntitle = "From the manifest"\noutlet = "RT"\n'
        'outlet_domain = "rt.com"\npublished = "2019-05-10"\nauthor = "A. Writer"\n'
    )
    items = {i.label.rsplit("/", 1)[-1]: i for i in iter_items([str(tmp_path)])}
    html = items["page.html"].article
    assert "We are ready to talk" in html.text and "Home | World" not in html.text
    assert "first!" not in html.text
    assert html.published.isoformat() == "2019-05-14"
    assert html.outlet == "Example News"
    assert items["many.jsonl:1"].article.published.isoformat() == "2020-01-01"
    assert items["many.jsonl:3"].error.startswith("invalid JSON")
    txt = items["a.txt"].article
    assert (txt.title, txt.outlet, txt.outlet_domain, txt.author) == (
        "From the manifest",
        "RT",
        "rt.com",
        "A. Writer",
    )
    assert txt.text == ARTICLE
