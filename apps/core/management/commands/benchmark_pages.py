"""Time the public pages on the current database and print p50 / p95 server times.

Run it on a corpus from ``seed_synthetic``. Each page is rendered in-process through the full
Django stack (middleware, view, SQL, template), which is what the server spends per request.
"""

from __future__ import annotations

import statistics
import time

from django.core.management.base import BaseCommand
from django.db.models import Count
from django.test import Client, override_settings

from apps.quotes.models import Quote, Topic
from apps.speakers.models import Speaker


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


class Command(BaseCommand):
    help = "Time the search, speaker, topic and compare pages; print p50 and p95 in ms."

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=15, help="Timed requests per URL.")

    def handle(self, *args, repeat, **opts):
        busy = (
            Speaker.objects.annotate(n=Count("quotes")).order_by("-n").values_list("slug", "n")[:1]
        )
        speaker_slug, speaker_n = busy[0]
        topic_slug, topic_n = (
            Topic.objects.annotate(n=Count("quotes")).order_by("-n").values_list("slug", "n")[0]
        )
        outlet_id = Quote.objects.values_list("article__outlet_id", flat=True).first()
        total = Quote.objects.count()
        self.stdout.write(
            f"{total} quotes; busiest speaker {speaker_slug} ({speaker_n}), "
            f"busiest topic {topic_slug} ({topic_n})"
        )
        pages = {
            "search": [
                "/search/?q=sanctions",
                "/search/?q=%22arms+control%22",
                "/search/?q=Minsk+agreements",
                "/search/?q=election+meddling+-Syria",
                "/search/?q=Lavorv",
                "/search/?q=sanktions",
                f"/search/?q=Washington&speaker={speaker_slug}",
                f"/search/?topic={topic_slug}&from=2018-01-01&to=2018-12-31",
                f"/search/?q=Russia&outlet={outlet_id}&kind=direct",
                "/search/?q=Ukraine&page=3",
            ],
            "speaker": [f"/speakers/{speaker_slug}/", f"/speakers/{speaker_slug}/?kind=partial"],
            "topic": [f"/topics/{topic_slug}/"],
            "compare": ["/compare/", "/compare/?page=2"],
        }
        client = Client()
        rows = []
        with override_settings(
            SECURE_SSL_REDIRECT=False, ALLOWED_HOSTS=["testserver"], DEBUG=False
        ):
            for name, urls in pages.items():
                times = []
                per_url = {}
                for url in urls:
                    assert client.get(url).status_code == 200, url  # warm-up
                    samples = []
                    for _ in range(repeat):
                        t = time.perf_counter()
                        response = client.get(url)
                        samples.append((time.perf_counter() - t) * 1000)
                        assert response.status_code == 200
                    per_url[url] = samples
                    times += samples
                rows.append((name, times, per_url))
        self.stdout.write(f"\n{'page':<10} {'n':>4} {'p50 ms':>8} {'p95 ms':>8}")
        for name, times, _ in rows:
            self.stdout.write(
                f"{name:<10} {len(times):>4} {statistics.median(times):>8.1f} "
                f"{percentile(times, 95):>8.1f}"
            )
        self.stdout.write("\nper URL (p50 / p95 ms):")
        for _, _, per_url in rows:
            for url, samples in per_url.items():
                self.stdout.write(
                    f"  {statistics.median(samples):7.1f} / {percentile(samples, 95):7.1f}  {url}"
                )
