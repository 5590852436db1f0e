"""The fetcher's and page reader's rules, one by one (no worker needed)."""

import datetime as dt
import socket
import types

import pytest

from apps.sources import fetcher, pages
from apps.sources.pages import PageError, canonical_url, read_page
from tests.sources.conftest import article_html, seed_articles


def test_canonical_urls_drop_case_default_ports_fragments_and_tracking():
    assert (
        canonical_url("HTTPS://News.Example.org:443/a/b?utm_source=rss&id=7&b=2#comments")
        == "https://news.example.org/a/b?b=2&id=7"
    )
    assert canonical_url("http://example.org") == "http://example.org/"
    assert canonical_url("http://example.org:8080/x?fbclid=1") == "http://example.org:8080/x"


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/",
        "http://10.1.2.3/",
        "http://192.168.0.1/admin",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/",
        "http://0.0.0.0/",
    ],
)
def test_non_public_addresses_are_refused(settings, url):
    settings.FETCH_ALLOW_PRIVATE = False
    with pytest.raises(fetcher.Refused, match="loopback, private or link-local"):
        fetcher.check_address(url)


def test_public_addresses_and_only_http_pass(settings):
    settings.FETCH_ALLOW_PRIVATE = False
    fetcher.check_address("http://93.184.216.34/news")  # a literal: no DNS query
    with pytest.raises(fetcher.Refused, match="only http and https"):
        fetcher.check_address("file:///etc/passwd")


def _public_localhost(monkeypatch):
    """'localhost' resolves to a public address for ``check_address``; the connection still
    goes to 127.0.0.1."""
    real = socket.getaddrinfo

    def fake_getaddrinfo(host, *args, **kwargs):
        if host == "localhost":
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.216.34", 80))]
        return real(host, *args, **kwargs)

    fake = types.SimpleNamespace(
        getaddrinfo=fake_getaddrinfo, gaierror=socket.gaierror, IPPROTO_TCP=socket.IPPROTO_TCP
    )
    monkeypatch.setattr(fetcher, "socket", fake)


@pytest.mark.django_db
def test_a_redirect_to_a_private_address_is_refused(site, settings, monkeypatch):
    settings.FETCH_ALLOW_PRIVATE = False
    _public_localhost(monkeypatch)
    monkeypatch.setattr(fetcher, "_check_peer", lambda sock, host: None)  # the DNS check alone
    inner = site.url_for("/inner").replace("localhost", "127.0.0.1")
    site.expect_request("/start").respond_with_data("", status=302, headers={"Location": inner})
    site.expect_request("/inner").respond_with_data("<p>secret</p>", content_type="text/html")
    with pytest.raises(fetcher.Refused, match="127.0.0.1 resolves to 127.0.0.1"):
        fetcher.fetch(site.url_for("/start"))
    assert [req.path for req, _ in site.log if req.path != "/robots.txt"] == ["/start"]


@pytest.mark.django_db
def test_a_name_that_resolves_to_a_private_address_on_connect_is_refused(
    site, settings, monkeypatch
):
    """DNS rebinding: public when checked, loopback when connected."""
    settings.FETCH_ALLOW_PRIVATE = False
    _public_localhost(monkeypatch)
    site.expect_request("/page").respond_with_data("<p>secret</p>", content_type="text/html")
    with pytest.raises(fetcher.Refused, match="localhost resolves to 127.0.0.1"):
        fetcher.fetch(site.url_for("/page"), robots=False)
    assert not site.log  # not even the request was sent


def test_retry_after_in_seconds_or_as_a_date():
    assert fetcher.retry_after_seconds("120") == 120
    soon = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=5)
    header = soon.strftime("%a, %d %b %Y %H:%M:%S GMT")
    assert 280 < fetcher.retry_after_seconds(header) <= 300
    assert fetcher.retry_after_seconds("soon") is None


@pytest.mark.django_db
def test_requests_to_one_host_are_booked_apart():
    from apps.sources.services import host_reserve

    waits = [host_reserve(host="example.org", delay=2) for _ in range(3)]
    assert waits[0] == 0
    assert 1.9 < waits[1] <= 2 and 3.9 < waits[2] <= 4
    assert host_reserve(host="other.example", delay=2) == 0


def _doc(text, **meta):
    return types.SimpleNamespace(
        text=text, url="", title="T", date=None, sitename="", author="", language="en", **meta
    )


def test_a_caption_is_extracted_again_favouring_recall(monkeypatch):
    title, paragraphs = seed_articles()[0]
    page = article_html(title, paragraphs).encode()
    caption = "Sergey Lavrov and Mike Pompeo at the State Department on Tuesday. Photo: Reuters."
    full = "\n".join(paragraphs)
    calls = []

    def fake(html, *, url, recall):
        calls.append(recall)
        return _doc(full if recall else caption)

    monkeypatch.setattr(pages, "_extract", fake)
    extracted = read_page(page, url="http://example.org/a")
    assert calls == [False, True] and extracted.recall
    assert extracted.article.text == full.strip()


def test_a_text_that_stays_short_is_refused_with_the_reason(monkeypatch):
    title, paragraphs = seed_articles()[0]
    page = article_html(title, paragraphs).encode()
    caption = "Sergey Lavrov and Mike Pompeo at the State Department on Tuesday, in Washington."
    monkeypatch.setattr(pages, "_extract", lambda html, *, url, recall: _doc(caption * 2))
    with pytest.raises(PageError, match="implausibly short for the page .* even favouring recall"):
        read_page(page, url="http://example.org/a")


def test_a_short_page_that_is_all_article_is_kept():
    paragraphs = [
        "“We will meet again in the spring,” Sergey Lavrov told reporters in Moscow on Friday, "
        "after a day of talks with his counterpart that both sides called useful and frank."
    ]
    extracted = read_page(article_html("Talks", paragraphs).encode(), url="http://example.org/t")
    assert "We will meet again" in extracted.article.text and not extracted.recall


@pytest.mark.parametrize(
    ("body", "charset"),
    [
        ("<p>Café naïve façade</p>".encode("cp1252"), "windows-1252"),  # declared by the server
        ('<meta charset="windows-1252"><p>Café naïve façade</p>'.encode("cp1252"), ""),
        ("\ufeff<p>Café naïve façade</p>".encode(), ""),  # UTF-8 with a BOM
    ],
)
def test_pages_in_other_encodings_are_read(body, charset):
    assert "Café naïve façade" in pages.page_text(body, charset=charset)


@pytest.mark.django_db
def test_a_robots_crawl_delay_spaces_requests_to_its_host(httpserver, monkeypatch):
    httpserver.expect_request("/robots.txt").respond_with_data(
        "User-agent: *\nCrawl-delay: 7\n", content_type="text/plain"
    )
    httpserver.expect_request("/a").respond_with_data("<p>a</p>", content_type="text/html")
    asked = []
    monkeypatch.setattr(
        "apps.sources.services.host_reserve", lambda *, host, delay: asked.append(delay) or 0
    )
    fetcher.fetch(httpserver.url_for("/a"))
    assert asked[-1] == 7  # the page's request; robots.txt itself went at the default pace
    assert fetcher.robots_delay(httpserver.url_for("/b")) == 7
