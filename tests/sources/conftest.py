"""A local news site (pytest-httpserver) built from the seeds, and real queue workers.

Worker tests commit for real (``transaction=True``): a worker's jobs run on their own
database connections, which see only committed rows.
"""

from __future__ import annotations

import html
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.db import connection

from tests.conftest import ROOT, SEEDS


@pytest.fixture(autouse=True)
def _fetch_settings(settings):
    """Tests fetch from 127.0.0.1, at once, and never wait minutes for a retry."""
    from apps.sources.fetcher import clear_robots_cache

    settings.FETCH_ALLOW_PRIVATE = True
    settings.FETCH_HOST_DELAY = 0
    settings.FETCH_TIMEOUT = 5
    settings.FETCH_RETRY_WAIT = 60
    clear_robots_cache()
    yield
    clear_robots_cache()


@pytest.fixture
def site(httpserver):
    """The test server with no robots.txt (a 404, as most sites)."""
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    return httpserver


def seed_articles() -> list[tuple[str, str]]:
    """(title, paragraphs) of each seed, in file order."""
    out = []
    for path in sorted(SEEDS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        title, _, body = text.strip().partition("\n")
        out.append((title.strip(), [p.strip() for p in body.split("\n") if p.strip()]))
    return out


def article_html(title: str, paragraphs: list[str], *, url: str = "", date: str = "") -> str:
    """A news page as outlets lay them out: navigation, the article, a footer."""
    esc = html.escape
    head = f"<title>{esc(title)} | Test News</title>"
    if url:
        head += f'<link rel="canonical" href="{esc(url)}">'
    if date:
        head += f'<meta property="article:published_time" content="{date}">'
    body = "".join(f"<p>{esc(p)}</p>" for p in paragraphs)
    return (
        f"<!doctype html><html lang='en'><head><meta charset='utf-8'>{head}</head><body>"
        "<nav><a href='/'>Home</a> <a href='/world'>World</a> <a href='/politics'>Politics</a>"
        f"</nav><main><article><h1>{esc(title)}</h1>{body}</article></main>"
        "<footer><p>Test News, all rights reserved.</p></footer></body></html>"
    )


def rss(items: list[tuple[str, str]], *, title: str = "Test News") -> str:
    entries = "".join(
        f"<item><title>{html.escape(t)}</title><link>{html.escape(link)}</link>"
        "<pubDate>Tue, 10 Dec 2019 08:00:00 GMT</pubDate></item>"
        for t, link in items
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
        f"<title>{html.escape(title)}</title><link>http://example.org/</link>"
        f"<description>news</description>{entries}</channel></rss>"
    )


def sitemap(urls: list[str]) -> str:
    body = "".join(
        f"<url><loc>{html.escape(u)}</loc><news:news><news:publication_date>2019-12-10"
        "</news:publication_date></news:news></url>"
        for u in urls
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
        f"{body}</urlset>"
    )


def serve_seeds(server) -> list[str]:
    """Each seed as a page at /news/<n>; returns their URLs."""
    urls = []
    for n, (title, paragraphs) in enumerate(seed_articles()):
        url = server.url_for(f"/news/{n}")
        server.expect_request(f"/news/{n}").respond_with_data(
            article_html(title, paragraphs, url=url, date="2019-12-10"),
            content_type="text/html; charset=utf-8",
        )
        urls.append(url)
    return urls


def serve_feed(server, urls: list[str], path: str = "/feed.xml") -> str:
    titles = [t for t, _ in seed_articles()]
    server.expect_request(path).respond_with_data(
        rss(list(zip(titles, urls, strict=False))), content_type="application/rss+xml"
    )
    return server.url_for(path)


def work() -> None:
    """Run a real worker in this process until no job is ready."""
    from apps.core.queue import run_worker

    run_worker(until_idle=True, concurrency=1, install_signal_handlers=False)


def worker_process(*extra: str) -> subprocess.Popen:
    """``manage.py worker`` in its own process, on the test database."""
    env = {
        **os.environ,
        "QT_DATABASE_NAME": connection.settings_dict["NAME"],
        "QT_FETCH_ALLOW_PRIVATE": "1",
        "QT_FETCH_HOST_DELAY": "0",
        "DJANGO_SETTINGS_MODULE": "apps.settings",
    }
    if os.environ.get("DATABASE_URL"):  # a server of one's own: its test database
        url = urlsplit(os.environ["DATABASE_URL"])
        env["DATABASE_URL"] = url._replace(path="/" + connection.settings_dict["NAME"]).geturl()
    return subprocess.Popen(
        [sys.executable, str(Path(ROOT) / "manage.py"), "worker", *extra],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )


def jobs(task: str = "") -> list[dict]:
    from procrastinate.contrib.django.models import ProcrastinateJob

    qs = ProcrastinateJob.objects.all()
    if task:
        qs = qs.filter(task_name=task)
    return list(qs.values("id", "task_name", "status", "attempts", "scheduled_at", "args"))
