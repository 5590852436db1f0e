"""Tracked sources end to end: real workers fetch from a local news site built from the seeds."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from apps.articles.models import Article
from apps.quotes.models import Quote
from apps.quotes.review import quote_confirm, quote_reject
from apps.sources.models import Fetch, Source
from tests.editorial import make_user
from tests.sources.conftest import (
    jobs,
    seed_articles,
    serve_feed,
    serve_seeds,
    sitemap,
    work,
    worker_process,
)

# Workers see only committed rows: these tests commit (and the ``committed_db`` fixture
# puts back the migrations' rows an earlier such test flushed).
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("committed_db")]


def test_a_tracked_feed_becomes_articles_with_quotes_and_polling_again_adds_nothing(site, capsys):
    urls = serve_seeds(site)
    feed = serve_feed(site, urls)

    call_command("track", feed, "--outlet", "Test News", "--every", "30")
    source = Source.objects.get()
    assert (source.kind, source.every, source.outlet.name) == ("feed", 30, "Test News")
    call_command("poll")
    work()

    articles = list(Article.objects.order_by("url"))
    assert [a.url for a in articles] == sorted(urls)
    titles = {" ".join(t.split()) for t, _ in seed_articles()}  # trafilatura drops NBSPs
    for article in articles:
        assert article.title in titles
        assert article.outlet.name == "Test News"
        assert article.published.isoformat() == "2019-12-10"
    assert sum(a.quotes.count() for a in articles) >= 5 * 3
    assert all(a.quotes.exists() for a in articles)
    source.refresh_from_db()
    assert source.articles_found == 5 and source.last_error == ""
    assert source.next_poll_at > timezone.now()
    assert set(Fetch.objects.values_list("status", flat=True)) == {"stored"}

    # polling again (due or not) fetches nothing: every URL is known
    requests_before = len(site.log)
    call_command("poll", "--all")
    work()
    assert Article.objects.count() == 5 and Fetch.objects.count() == 5
    fetched = [req.path for req, _ in site.log[requests_before:]]
    assert fetched == ["/feed.xml"]
    assert "queued 1 poll(s)" in capsys.readouterr().out


def test_two_worker_processes_store_each_article_once(site):
    """A feed and a sitemap list the same articles (the sitemap with tracking parameters);
    two workers poll and fetch at once."""
    urls = serve_seeds(site)
    feed = serve_feed(site, urls)
    site.expect_request("/sitemap.xml").respond_with_data(
        sitemap([u + "?utm_source=sitemap" for u in urls]), content_type="application/xml"
    )
    call_command("track", feed)
    call_command("track", site.url_for("/sitemap.xml"))
    assert sorted(Source.objects.values_list("kind", flat=True)) == ["feed", "sitemap"]
    call_command("poll")

    workers = [worker_process("--until-idle", "--concurrency", "2") for _ in range(2)]
    for w in workers:
        out, _ = w.communicate(timeout=240)
        assert w.returncode == 0, out.decode()

    assert Article.objects.count() == 5
    assert sorted(Article.objects.values_list("url", flat=True)) == sorted(urls)
    assert Fetch.objects.count() == 5
    assert {j["status"] for j in jobs()} == {"succeeded"}
    page_requests = [req.path for req, _ in site.log if req.path.startswith("/news/")]
    assert sorted(page_requests) == sorted(f"/news/{n}" for n in range(5))


def test_a_page_source_is_fetched_again_with_a_conditional_get_and_updates_its_article(site):
    title, paragraphs = seed_articles()[1]
    url = site.url_for("/story")
    from tests.sources.conftest import article_html

    page = article_html(title, paragraphs, url=url)
    site.expect_oneshot_request("/story").respond_with_data(
        page, content_type="text/html", headers={"ETag": '"v1"'}
    )
    call_command("track", url)  # the fetch that detects the kind
    site.expect_oneshot_request("/story").respond_with_data(
        page, content_type="text/html", headers={"ETag": '"v1"'}
    )
    call_command("poll")
    work()
    article = Article.objects.get()
    assert Fetch.objects.get().etag == '"v1"'
    editor = make_user("edith", groups=["editors"])
    confirmed = quote_confirm(quote=article.quotes.order_by("start").first(), user=editor)
    rejected = quote_reject(quote=article.quotes.order_by("-start").first(), user=editor)

    # unchanged: the server answers 304 to the validator we send
    site.expect_oneshot_request("/story", headers={"If-None-Match": '"v1"'}).respond_with_data(
        "", status=304
    )
    call_command("poll", "--all")
    work()
    assert Fetch.objects.get().status == "unchanged"

    # changed: the same article is updated, not duplicated
    changed = article_html(title, [*paragraphs, "Correction: the talks lasted two hours."], url=url)
    site.expect_oneshot_request("/story").respond_with_data(
        changed, content_type="text/html", headers={"ETag": '"v2"'}
    )
    call_command("poll", "--all")
    work()
    fetch = Fetch.objects.get()
    assert (fetch.status, fetch.etag) == ("updated", '"v2"')
    assert Article.objects.get().pk == article.pk
    assert "Correction: the talks lasted two hours." in Article.objects.get().text
    # editors' decisions survive the new version
    for before in (confirmed, rejected):
        after = Quote.objects.get(pk=before.pk)
        assert (after.status, after.text) == (before.status, before.text)


def test_a_job_whose_worker_is_killed_is_done_by_the_next_worker(site):
    import asyncio
    import threading
    import time

    from procrastinate.contrib.django import app
    from werkzeug import Response

    from apps.core.tasks import requeue_stalled_jobs
    from tests.sources.conftest import article_html

    title, paragraphs = seed_articles()[0]
    url = site.url_for("/slow")
    release = threading.Event()
    calls = []

    def slow_then_fast(request):
        calls.append(time.monotonic())
        if len(calls) == 1:
            release.wait(30)  # the first worker dies while it waits here
        return Response(article_html(title, paragraphs, url=url), content_type="text/html")

    site.expect_request("/slow").respond_with_handler(slow_then_fast)
    from apps.sources.services import source_create
    from apps.sources.tasks import poll_source_defer

    source = source_create(url=url, kind="page")
    poll_source_defer(source.pk)

    worker = worker_process()
    try:
        deadline = time.monotonic() + 120
        while not calls and time.monotonic() < deadline:
            time.sleep(0.2)
        assert calls, "the worker never fetched the page"
        worker.kill()  # SIGKILL in the middle of the fetch job
        worker.wait(10)
    finally:
        release.set()
        if worker.poll() is None:
            worker.kill()
    assert not Article.objects.exists()  # nothing half stored
    fetch_job = next(j for j in jobs("sources.fetch_article"))
    assert fetch_job["status"] == "doing"

    time.sleep(1.5)

    async def requeue():
        with app.replace_connector(app.connector.get_worker_connector()):
            async with app.open_async():
                return await requeue_stalled_jobs(app, seconds=1)

    assert asyncio.run(requeue()) == 1
    work()
    assert Article.objects.get().url == url
    assert next(j for j in jobs("sources.fetch_article"))["status"] == "succeeded"


def test_the_pages_canonical_link_is_the_articles_url_and_is_known_afterwards(site):
    from tests.sources.conftest import article_html, sitemap

    title, paragraphs = seed_articles()[3]
    canonical = site.url_for("/story")
    site.expect_request("/story-amp").respond_with_data(
        article_html(title, paragraphs, url=canonical), content_type="text/html"
    )
    feed = serve_feed(site, [site.url_for("/story-amp")])
    call_command("track", feed)
    call_command("poll")
    work()
    assert Article.objects.get().url == canonical

    # a sitemap listing the canonical URL (with a tracking parameter) leads to no fetch
    site.expect_request("/sitemap.xml").respond_with_data(
        sitemap([canonical + "?utm_medium=social"]), content_type="application/xml"
    )
    call_command("track", site.url_for("/sitemap.xml"))
    call_command("poll")
    work()
    assert Article.objects.count() == 1
    assert not Fetch.objects.filter(source__kind="sitemap").exists()
    assert [req.path for req, _ in site.log].count("/story") == 0
