"""Each kind of bad input gets a clear error on its source or fetch, and other sources go on."""

import datetime as dt

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from werkzeug import Response

from apps.articles.models import Article
from apps.sources.models import Fetch, Source
from apps.sources.services import source_create, source_poll
from apps.sources.tasks import poll_source_defer
from tests.sources.conftest import (
    article_html,
    jobs,
    rss,
    seed_articles,
    serve_feed,
    serve_seeds,
    work,
)

# Workers see only committed rows: these tests commit (and the ``committed_db`` fixture
# puts back the migrations' rows an earlier such test flushed).
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("committed_db")]


def _page_source(site, path: str) -> Source:
    return source_create(url=site.url_for(path), kind="page")


def _poll_and_work(*sources: Source) -> None:
    for source in sources:
        poll_source_defer(source.pk)
    work()


@pytest.mark.parametrize(
    ("body", "error"),
    [
        (b"<rss><channel><item><title>unclosed", "malformed feed: <unknown>:"),
        (b"this is not XML at all {]", "malformed feed: <unknown>:"),
        (rss([]).encode(), "empty feed: it lists no articles"),
        (b"", "empty response"),
    ],
    ids=["malformed", "not-a-feed", "empty-feed", "empty-response"],
)
def test_a_bad_feed_is_an_error_on_its_source_and_the_others_go_on(site, body, error):
    urls = serve_seeds(site)
    good = source_create(url=serve_feed(site, urls[:2]), kind="feed")
    site.expect_request("/bad.xml").respond_with_data(body, content_type="application/rss+xml")
    bad = source_create(url=site.url_for("/bad.xml"), kind="feed")

    _poll_and_work(bad, good)

    bad.refresh_from_db()
    assert error in bad.last_error and bad.last_error_at is not None
    assert bad.next_poll_at > timezone.now()  # polled again later, not in a loop
    assert sorted(Article.objects.values_list("url", flat=True)) == sorted(urls[:2])
    good.refresh_from_db()
    assert good.last_error == ""


def test_tracking_a_url_that_is_no_feed_sitemap_or_page_says_why(site):
    site.expect_request("/data.json").respond_with_json({"a": 1})
    with pytest.raises(CommandError, match="not a page we can read: application/json"):
        call_command("track", site.url_for("/data.json"))
    assert not Source.objects.exists()


def test_a_feed_of_10000_items_is_read_a_bounded_number_at_a_time(site, settings):
    settings.FETCH_MAX_ITEMS_PER_POLL = 40
    items = [(f"Item {n}", site.url_for(f"/item/{n}")) for n in range(10_000)]
    site.expect_request("/big.xml").respond_with_data(
        rss(items), content_type="application/xml", headers={"ETag": '"big"'}
    )
    source = source_create(url=site.url_for("/big.xml"), kind="feed")

    queued: list[int] = []
    first = source_poll(source_id=source.pk, enqueue=queued.append)
    assert (first.found, first.skipped, first.left) == (40, 0, 9_960)
    second = source_poll(source_id=source.pk, enqueue=queued.append)
    assert (second.found, second.skipped, second.left) == (40, 40, 9_920)
    assert len(queued) == len(set(queued)) == Fetch.objects.count() == 80
    # the feed's first items first
    assert set(Fetch.objects.values_list("url", flat=True)) == {u for _, u in items[:80]}
    source.refresh_from_db()
    assert source.articles_found == 80
    # with items left, the feed's ETag is not kept: a 304 next time would hide them
    assert source.etag == ""
    assert all("If-None-Match" not in req.headers for req, _ in site.log)


def _fetch_of(site, path: str) -> Fetch:
    _poll_and_work(_page_source(site, path))
    return Fetch.objects.get()


@pytest.mark.parametrize(
    ("content_type", "body"),
    [("application/pdf", b"%PDF-1.7\n%binary"), ("image/jpeg", b"\xff\xd8\xff\xe0 JFIF")],
)
def test_a_pdf_or_an_image_is_refused(site, content_type, body):
    site.expect_request("/file").respond_with_data(body, content_type=content_type)
    fetch = _fetch_of(site, "/file")
    assert fetch.status == "refused"
    assert f"not a page we can read: {content_type}" in fetch.error
    assert fetch.error in fetch.source.last_error
    assert not Article.objects.exists()


def test_an_oversized_page_is_refused(site, settings):
    settings.INGEST_MAX_BYTES = 20_000
    title, paragraphs = seed_articles()[2]  # about 12 kB of text, 4 times over
    page = article_html(title, paragraphs * 4)
    site.expect_request("/big").respond_with_data(page, content_type="text/html")
    fetch = _fetch_of(site, "/big")
    assert (fetch.status, fetch.error.split(":")[0]) == ("refused", "too large")

    # a server that sends no Content-Length is cut off at the limit too
    Fetch.objects.all().delete()
    Source.objects.all().delete()

    def chunked(request):
        return Response(
            iter([page[i : i + 4096] for i in range(0, len(page), 4096)]), content_type="text/html"
        )

    site.expect_request("/stream").respond_with_handler(chunked)
    fetch = _fetch_of(site, "/stream")
    assert fetch.status == "refused" and "too large: more than 20,000 bytes" in fetch.error


def test_a_slow_server_times_out_and_is_retried_then_recorded(site, settings):
    import threading

    settings.FETCH_TIMEOUT = 1
    settings.FETCH_MAX_ATTEMPTS = 2
    settings.FETCH_RETRY_WAIT = 0  # retry at once, so this test sees both attempts
    release = threading.Event()

    def hang(request):
        release.wait(3)
        return Response("<html><body><p>late</p></body></html>", content_type="text/html")

    site.expect_request("/slow").respond_with_handler(hang)
    try:
        fetch = _fetch_of(site, "/slow")
    finally:
        release.set()
    assert fetch.status == "failed" and fetch.attempts == 2
    assert "timed out after 1 s" in fetch.error
    assert "timed out" in fetch.source.last_error
    job = jobs("sources.fetch_article")[0]
    assert (job["status"], job["attempts"]) == ("failed", 2)


def test_a_redirect_loop_is_refused(site):
    site.expect_request("/a").respond_with_data("", status=302, headers={"Location": "/b"})
    site.expect_request("/b").respond_with_data("", status=301, headers={"Location": "/a"})
    fetch = _fetch_of(site, "/a")
    assert fetch.status == "refused" and "redirect loop" in fetch.error


def test_more_than_five_redirects_are_refused(site):
    for n in range(7):
        site.expect_request(f"/r{n}").respond_with_data(
            "", status=302, headers={"Location": f"/r{n + 1}"}
        )
    fetch = _fetch_of(site, "/r0")
    assert fetch.status == "refused" and "too many redirects" in fetch.error


@pytest.mark.parametrize("status", [404, 410])
def test_a_404_or_410_is_recorded_on_the_source_and_never_retried(site, status):
    site.expect_request("/gone").respond_with_data("no such page", status=status)
    fetch = _fetch_of(site, "/gone")
    assert fetch.status == "gone" and f"HTTP {status}" in fetch.error
    assert f"HTTP {status}" in fetch.source.last_error
    job = jobs("sources.fetch_article")[0]
    assert (job["status"], job["attempts"]) == ("succeeded", 1)
    assert [req.path for req, _ in site.log].count("/gone") == 1


def test_a_503_with_retry_after_is_retried_when_the_server_says(site):
    site.expect_request("/busy").respond_with_data(
        "busy", status=503, headers={"Retry-After": "120"}
    )
    fetch = _fetch_of(site, "/busy")
    assert fetch.status == "queued" and "HTTP 503" in fetch.error and "120 s" in fetch.error
    job = jobs("sources.fetch_article")[0]
    assert (job["status"], job["attempts"]) == ("todo", 1)
    wait = job["scheduled_at"] - timezone.now()
    assert dt.timedelta(seconds=100) < wait <= dt.timedelta(seconds=120)


def test_a_429_without_retry_after_backs_off(site, settings):
    settings.FETCH_RETRY_WAIT = 30
    site.expect_request("/limited").respond_with_data("slow down", status=429)
    _fetch_of(site, "/limited")
    job = jobs("sources.fetch_article")[0]
    assert job["status"] == "todo"
    assert (
        dt.timedelta(seconds=20) < job["scheduled_at"] - timezone.now() <= dt.timedelta(seconds=30)
    )


def test_private_addresses_are_refused_unless_allowed(site, settings):
    settings.FETCH_ALLOW_PRIVATE = False
    site.expect_request("/page").respond_with_data("<p>hi</p>", content_type="text/html")
    fetch = _fetch_of(site, "/page")
    assert fetch.status == "refused"
    assert "loopback, private or link-local" in fetch.error
    assert not [req for req, _ in site.log if req.path == "/page"]
    with pytest.raises(CommandError, match="loopback, private or link-local"):
        call_command("track", site.url_for("/page"))


def test_robots_txt_is_obeyed(httpserver):
    httpserver.expect_request("/robots.txt").respond_with_data(
        "User-agent: *\nDisallow: /private/\n", content_type="text/plain"
    )
    httpserver.expect_request("/private/story").respond_with_data(
        "<p>x</p>", content_type="text/html"
    )
    fetch = _fetch_of(httpserver, "/private/story")
    assert fetch.status == "refused" and "robots.txt" in fetch.error
    assert not [req for req, _ in httpserver.log if req.path == "/private/story"]


def test_a_page_with_too_little_text_is_refused_not_stored(site):
    page = article_html("Photo of the day", ["A cat sits on a wall in the sun, in Riga."])
    site.expect_request("/photo").respond_with_data(page, content_type="text/html")
    fetch = _fetch_of(site, "/photo")
    assert fetch.status == "refused" and "implausibly short" in fetch.error
    assert not Article.objects.exists()
