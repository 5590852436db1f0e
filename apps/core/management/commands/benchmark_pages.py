"""Time the pages on the current database and print p50 / p95 server times.

Run it on a corpus from ``seed_synthetic``. Each page is rendered in-process through the full
Django stack (middleware, view, SQL, template), which is what the server spends per request.
The admin pages (quote list bare, with each filter and with searches; the review queue's
pages; a decision's round trip: the POST and the queue page it redirects to) are requested
signed in as an editor (``bench-editor``, created in the ``editors`` group). Decisions are
real: each confirms or rejects one of the least confident machine quotes.
"""

from __future__ import annotations

import statistics
import time

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.test import Client, override_settings

from apps.articles.models import Outlet
from apps.quotes.models import Quote, QuoteCount, Topic
from apps.speakers.models import Speaker


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


class Command(BaseCommand):
    help = "Time the search, speaker, topic and compare pages; print p50 and p95 in ms."

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=15, help="Timed requests per URL.")
        parser.add_argument(
            "--only", nargs="*", default=None, help="Time only these pages (names as printed)."
        )
        parser.add_argument(
            "--full-export",
            action="store_true",
            help="Also stream the whole CSV export once: rows/s and peak memory.",
        )

    def handle(self, *args, repeat, only, full_export, **opts):
        by_speaker = QuoteCount.objects.totals("speaker")
        by_topic = QuoteCount.objects.totals("topic")
        busy_id = max(by_speaker, key=by_speaker.get)
        speaker_slug = Speaker.objects.get(pk=busy_id).slug
        topic = Topic.objects.get(pk=max(by_topic, key=by_topic.get))
        topic_slug = topic.slug
        outlet_id = Outlet.objects.order_by("pk").values_list("pk", flat=True).first()
        total = QuoteCount.objects.total("public")
        self.stdout.write(
            f"{total} public quotes; busiest speaker {speaker_slug} ({by_speaker[busy_id]}), "
            f"busiest topic {topic_slug} ({by_topic[topic.pk]})"
        )
        admin = "/admin/quotes/quote/"
        pages = {
            "home": ["/"],
            "speakers": ["/speakers/", "/speakers/?page=3", "/speakers/?name=ov"],
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
            "admin list": [admin, f"{admin}?p=5"],
            "admin filter": [
                f"{admin}?status__exact=machine",
                f"{admin}?kind__exact=partial",
                f"{admin}?band=low",
                f"{admin}?speaker={busy_id}",
                f"{admin}?outlet={outlet_id}",
                f"{admin}?topic={topic.pk}",
            ],
            "admin search": [
                f"{admin}?q=sanctions",
                f"{admin}?q=%22arms+control%22",
                f"{admin}?q=Lavrov",
                f"{admin}?q=Minsk+agreements",
            ],
            "review": [f"{admin}review/", f"{admin}review/?page=2", f"{admin}review/?page=20"],
        }
        if only:
            pages = {name: urls for name, urls in pages.items() if name in only}
        editor = self.editor()
        client = Client()
        client.force_login(editor)
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
            if not only or "export" in only:
                rows.append(self.exports(client, repeat, speaker_slug))
            if not only or "decision" in only:
                rows.append(self.decisions(client, repeat))
            if full_export:
                self.full_export(client)
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

    def editor(self):
        user, _ = get_user_model().objects.get_or_create(
            username="bench-editor", defaults={"is_staff": True}
        )
        user.groups.add(Group.objects.get(name="editors"))
        return user

    def decisions(self, client, repeat):
        """Confirm, reject, and correct to another speaker the least confident machine
        quotes; each timed with the queue page the decision redirects to."""
        speakers = list(Speaker.objects.order_by("pk").values_list("pk", flat=True)[:2])
        per_url, times = {}, []
        for decision in ("confirm", "reject", "correct"):
            samples = []
            for _ in range(repeat + 1):
                quote = Quote.objects.filter(status="machine").order_by("confidence", "id").first()
                data = {"decision": decision, "page": "1"}
                if decision == "correct":
                    other = speakers[0] if quote.speaker_id != speakers[0] else speakers[1]
                    data[f"q{quote.pk}-speaker"] = str(other)
                t = time.perf_counter()
                response = client.post(f"/admin/quotes/quote/{quote.pk}/decide/", data)
                assert response.status_code == 302, response.status_code
                assert client.get(response["Location"]).status_code == 200
                samples.append((time.perf_counter() - t) * 1000)
            samples = samples[1:]  # the first one warms up
            per_url[f"decide: {decision} + queue page"] = samples
            times += samples
        return ("decision", times, per_url)

    def exports(self, client, repeat, speaker_slug):
        """Time to the first data row of an export (the header and first row received)."""
        per_url, times = {}, []
        for url in ("/quotes.csv", "/quotes.json", f"/quotes.csv?speaker={speaker_slug}"):
            samples = []
            for _ in range(repeat + 1):
                t = time.perf_counter()
                response = client.get(url)
                chunks = iter(response.streaming_content)
                next(chunks), next(chunks)  # header (or "["), first row
                samples.append((time.perf_counter() - t) * 1000)
                # Stop the stream as a server would when the client leaves: close the test
                # client's wrapper around it, which closes the response without closing the
                # database connection (response.close() alone would, mid-transaction in a test).
                response._iterator.close()
            per_url[f"first row: {url}"] = samples[1:]
            times += samples[1:]
        return ("export", times, per_url)

    def full_export(self, client):
        import resource

        t = time.perf_counter()
        rows = 0
        response = client.get("/quotes.csv")
        for chunk in response.streaming_content:
            rows += chunk.count(b"\n")
        seconds = time.perf_counter() - t
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        self.stdout.write(
            f"full CSV export: {rows - 1:,} rows in {seconds:.1f} s "
            f"({(rows - 1) / seconds:,.0f} rows/s); peak RSS of this process {peak:.0f} MiB"
        )
