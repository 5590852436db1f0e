"""Benchmark: real workers fetch a few hundred articles from a local news site.

The site (a thread in this process) serves an RSS feed and each article as an HTML page: the
PolNeAR training texts where present, else the seeds replicated with variations. For each
number of worker processes, a throwaway database is made, the feed tracked and polled, and
``manage.py worker`` processes run until every article is fetched, extracted and stored.
Printed: articles/s, where the workers' time went (fetch, extract, store) and each worker's
peak memory.
"""

from __future__ import annotations

import html
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.models import Max, Sum

from apps.articles.management.commands.benchmark_ingest import POLNEAR, seed_variations
from apps.articles.sources import iter_items


def _page(title: str, paragraphs: list[str], url: str) -> bytes:
    esc = html.escape
    body = "".join(f"<p>{esc(p)}</p>" for p in paragraphs)
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{esc(title)} | Bench News</title><link rel='canonical' href='{esc(url)}'>"
        "<meta property='article:published_time' content='2016-05-01'></head><body>"
        "<nav><a href='/'>Home</a> <a href='/politics'>Politics</a></nav>"
        f"<main><article><h1>{esc(title)}</h1>{body}</article></main>"
        "<footer><p>Bench News</p></footer></body></html>"
    ).encode()


class Site:
    """The local news site: /feed.xml and /a/<n>."""

    def __init__(self, texts: list[str]):
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.pages = {}
        items = []
        for n, text in enumerate(texts):
            title, *paragraphs = [p.strip() for p in text.split("\n") if p.strip()]
            url = f"{self.base}/a/{n}"
            self.pages[f"/a/{n}"] = _page(title, paragraphs, url)
            items.append(f"<item><title>{html.escape(title)}</title><link>{url}</link></item>")
        self.feed = (
            '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
            f"<title>Bench News</title><link>{self.base}/</link><description>x</description>"
            + "".join(items)
            + "</channel></rss>"
        ).encode()

    def _handler(self):
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - the http.server API
                if self.path == "/feed.xml":
                    body, kind = site.feed, "application/rss+xml"
                elif self.path in site.pages:
                    body, kind = site.pages[self.path], "text/html; charset=utf-8"
                else:
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        return Handler

    def __enter__(self):
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def _tail(log) -> str:
    log.seek(0)
    return log.read().decode("utf-8", "replace")[-2000:]


class Command(BaseCommand):
    help = (
        "Serve a few hundred articles from a local site and let 1, then 2, worker processes "
        "fetch, extract and store them; print articles/s, the fetch/extract/store split and "
        "each worker's peak memory."
    )

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=300, help="Articles served (300).")
        parser.add_argument(
            "--workers", type=int, nargs="+", default=[1, 2], help="Worker counts to run (1 2)."
        )

    def handle(self, *args, limit, workers, **options):
        if POLNEAR.is_dir():
            texts = [i.article.text for i in iter_items([str(POLNEAR)]) if i.article][:limit]
            name = f"PolNeAR training texts ({POLNEAR})"
        else:
            texts = [i.article.text for i in seed_variations(limit)]
            name = "the seeds replicated with variations"
        if not texts:
            raise CommandError("no article to serve")
        words = sum(len(t.split()) for t in texts)
        self.stdout.write(f"site: {len(texts)} articles, {words:,} words, from {name}")
        self.stdout.write(
            "workers: manage.py worker processes, concurrency 1, politeness delay off (one "
            "local host); each run in a fresh throwaway database"
        )
        with Site(texts) as site:
            for count in workers:
                self.stdout.write(self.run(site, count, len(texts)))

    def run(self, site: Site, count: int, total: int) -> str:
        old_name = connection.settings_dict["NAME"]
        bench_db = f"qt_bench_fetch_{os.getpid()}_{count}"
        connection.settings_dict.setdefault("TEST", {})["NAME"] = bench_db
        connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
        try:
            return self._measure(site, count, total, bench_db)
        finally:
            connection.close()
            connection.creation.destroy_test_db(old_name, verbosity=0)

    def _measure(self, site: Site, count: int, total: int, bench_db: str) -> str:
        from procrastinate.contrib.django.models import ProcrastinateWorker

        from apps.sources.models import Fetch
        from apps.sources.services import source_create
        from apps.sources.tasks import poll_source_defer

        env = {
            **os.environ,
            "QT_DATABASE_NAME": bench_db,
            "QT_FETCH_ALLOW_PRIVATE": "1",
            "QT_FETCH_HOST_DELAY": "0",
            "QT_FETCH_MAX_ITEMS_PER_POLL": str(total),
        }
        if os.environ.get("DATABASE_URL"):
            url = urlsplit(os.environ["DATABASE_URL"])
            env["DATABASE_URL"] = url._replace(path="/" + bench_db).geturl()
        log = tempfile.TemporaryFile()  # noqa: SIM115 - the workers' output, closed below
        procs = [
            subprocess.Popen(  # noqa: S603 - this project's own manage.py
                [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), "worker"],
                cwd=settings.BASE_DIR,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
            for _ in range(count)
        ]
        try:
            deadline = time.monotonic() + 300
            while ProcrastinateWorker.objects.count() < count:  # started, pipeline loaded
                if time.monotonic() > deadline or any(p.poll() is not None for p in procs):
                    raise CommandError(f"the workers did not start: {_tail(log)}")
                time.sleep(0.2)
            source = source_create(url=f"{site.base}/feed.xml", kind="feed")
            started = time.time()
            poll_source_defer(source.pk)
            while Fetch.objects.exclude(status="queued").count() < total:
                if time.time() - started > 3600 or any(p.poll() is not None for p in procs):
                    raise CommandError(f"the workers stopped before the end: {_tail(log)}")
                time.sleep(0.5)
            done = Fetch.objects.aggregate(
                last=Max("fetched_at"),
                fetch=Sum("fetch_seconds"),
                extract=Sum("extract_seconds"),
                store=Sum("store_seconds"),
            )
            statuses = Counter(Fetch.objects.values_list("status", flat=True))
        finally:
            peaks = []
            for p in procs:
                p.send_signal(signal.SIGTERM)
            for p in procs:
                _, _, usage = os.wait4(p.pid, 0)
                p.returncode = 0
                peaks.append(usage.ru_maxrss / 1024)
            log.close()
        seconds = done["last"].timestamp() - started
        busy = (done["fetch"] or 0) + (done["extract"] or 0) + (done["store"] or 0)
        stored = Fetch.objects.filter(status="stored").count()

        def share(x):
            return f"{(x or 0):.1f} s ({100 * (x or 0) / busy:.0f}%)" if busy else "-"

        return (
            f"{count} worker{'s' if count > 1 else ''}: {total} articles in {seconds:.1f} s = "
            f"{total / seconds:.2f} articles/s ({stored} stored; {dict(statuses)}); "
            f"time in jobs: fetch {share(done['fetch'])}, extract (trafilatura + quotes) "
            f"{share(done['extract'])}, store {share(done['store'])}; peak memory per worker: "
            + ", ".join(f"{mb:.0f} MiB" for mb in peaks)
        )
