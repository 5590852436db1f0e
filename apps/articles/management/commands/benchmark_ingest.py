"""Benchmark: ingest a corpus into a throwaway database and compare with extraction alone.

``--store-here`` times storing alone instead, article by article, in the current database (one
filled by ``seed_synthetic``, say), each article rolled back after it so the database is left
as it was: what storing costs as the database grows.
"""

import multiprocessing
import os
import random
import resource
import statistics
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, connections, transaction

from apps.articles.pipeline import BATCH, Extractor, Report, ingest_items
from apps.articles.sources import Item, iter_items
from apps.core.analyse import tables_analyse
from apps.quotes.extraction import extract

POLNEAR = settings.BASE_DIR.parent / "shared" / "corpora" / "polnear" / "train" / "text"
SEEDS = settings.BASE_DIR / "seeds"


def rss_mb() -> float:
    """Resident memory now (Linux /proc), in MiB."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError):
        return float("nan")


def peak_mb(*, children: bool = False) -> float:
    who = resource.RUSAGE_CHILDREN if children else resource.RUSAGE_SELF
    return resource.getrusage(who).ru_maxrss / 1024  # KiB on Linux


def seed_variations(n: int) -> list[Item]:
    """The seeds replicated with variations: paragraphs shuffled and a dateline, so each text
    (and its content hash) differs while the language stays real."""
    seeds = [i.article for i in iter_items([str(SEEDS)]) if i.article]
    rng = random.Random(4)  # noqa: S311 - reproducible variation, not security
    items = []
    for k in range(n):
        base = seeds[k % len(seeds)]
        title, *paragraphs = [p for p in base.text.split("\n\n") if p.strip()]
        if k >= len(seeds):
            rng.shuffle(paragraphs)
        text = "\n\n".join([f"{title} ({k})", *paragraphs]) + "\n"
        article = type(base)(**{**base.as_kwargs(), "text": text, "source": f"bench/{k}.txt"})
        items.append(Item(f"variation {k}", article=article))
    return items


class Command(BaseCommand):
    help = (
        "Ingest a corpus (PolNeAR where present, else the seeds replicated with variations) "
        "into a throwaway database; print articles/s, words/s, peak memory and the ratio to "
        "extraction alone over the same texts."
    )

    def add_arguments(self, parser):
        parser.add_argument("--corpus", type=Path, default=None)
        parser.add_argument("--limit", type=int, default=None)
        parser.add_argument("--workers", type=int, default=1)
        parser.add_argument(
            "--rounds", type=int, default=6, help="Turns taken by extraction and ingestion."
        )
        parser.add_argument(
            "--store-here",
            action="store_true",
            help="Time storing alone, per article, in the current database (rolled back).",
        )
        parser.add_argument(
            "--processes",
            default="",
            help="With --store-here: then store the articles from this many processes at "
            "once (a list: 1,2), each taking every Nth article, and print the articles "
            "stored per second and how often a process waited for a lock. The outlets, "
            "speakers and words the articles bring are committed first.",
        )
        parser.add_argument(
            "--seeds",
            action="store_true",
            help="Use the seeds replicated with variations even where PolNeAR is present.",
        )

    def handle(
        self, *args, corpus, limit, workers, rounds, store_here, processes, seeds, **options
    ):
        if not seeds:
            corpus = corpus or (POLNEAR if POLNEAR.is_dir() else None)
        if corpus is not None:
            if not corpus.exists():
                raise CommandError(f"no such corpus: {corpus}")
            items = [i for i in iter_items([str(corpus)]) if i.article]
            items = items[:limit] if limit else items
            name = str(corpus)
        else:
            items = seed_variations(limit or 200)
            name = "the seeds replicated with variations"
        if not items:
            raise CommandError("the corpus holds no readable article")
        texts = [i.article.text for i in items]
        words = sum(len(t.split()) for t in texts)
        self.stdout.write(f"corpus: {name}: {len(texts)} articles, {words:,} words")
        if store_here:
            self.store_here(items, processes=[int(n) for n in processes.split(",") if n])
            return

        old_name = connection.settings_dict["NAME"]
        connection.settings_dict.setdefault("TEST", {})["NAME"] = f"qt_bench_{os.getpid()}"
        connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
        try:
            from apps.speakers.services import speaker_hints

            hints = speaker_hints()
            extract(texts[0], speakers=hints)  # load the pipeline before timing anything

            # Extraction alone and ingestion take turns, round by round over the same texts
            # (which goes first alternates: a text the engine has seen is no cheaper, but a
            # word it has seen is), so a change in the machine's load weighs on both alike.
            # A round is several batches, as ingestion overlaps one batch's extraction with
            # the storing of the batch before.
            marks, report, done = {}, Report(), [0]
            quarter = max(1, len(items) // 4)

            def on_done(label, outcome):
                done[0] += 1
                if done[0] % quarter == 0 or done[0] == len(items):
                    marks[done[0]] = rss_mb()

            def extract_round(k: int) -> float:
                """The engine as ingestion runs it (same processes, same batches), with
                nothing stored."""
                started = time.perf_counter()
                with Extractor(hints=hints, workers=workers) as extractor:
                    part = texts[k : k + size]
                    jobs = [
                        extractor.submit(part[i : i + batch]) for i in range(0, len(part), batch)
                    ]
                    for job in jobs:
                        extractor.results(job)
                return time.perf_counter() - started

            def ingest_round(k: int) -> float:
                started = time.perf_counter()
                part = ingest_items(
                    items[k : k + size], hints=hints, workers=workers, on_done=on_done
                )
                seconds = time.perf_counter() - started
                report.counts.update(part.counts)
                report.failures.extend(part.failures)
                report.extract_seconds += part.extract_seconds
                report.wait_seconds += part.wait_seconds
                report.store_seconds += part.store_seconds
                return seconds

            turns = []  # (extract seconds, ingest seconds) of each round
            batch = max(BATCH, workers)
            size = max(batch, -(-len(items) // max(1, rounds)))
            for n, k in enumerate(range(0, len(items), size)):
                if n % 2:
                    ingest = ingest_round(k)
                    turns.append((extract_round(k), ingest))
                else:
                    turns.append((extract_round(k), ingest_round(k)))
            extract_s = sum(e for e, _ in turns)
            ingest_s = sum(i for _, i in turns)
            from apps.quotes.models import Quote, Statement

            quotes, statements = Quote.objects.count(), Statement.objects.count()
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0)

        self.stdout.write(report.summary() + f"; {quotes:,} quotes, {statements:,} statements")
        self.stdout.write(
            f"extract alone: {extract_s:.2f} s ({len(texts) / extract_s:.1f} articles/s, "
            f"{words / extract_s:,.0f} words/s)"
        )
        self.stdout.write(
            f"ingest ({workers} worker{'s' if workers > 1 else ''}): {ingest_s:.2f} s "
            f"({len(texts) / ingest_s:.1f} articles/s, {words / ingest_s:,.0f} words/s)"
        )
        self.stdout.write(
            f"  engine {report.extract_seconds:.2f} s (in its own process); storing "
            f"{report.store_seconds:.2f} s ({1000 * report.store_seconds / len(texts):.0f} "
            f"ms/article) while the engine ran on the next batch; storing waited "
            f"{report.wait_seconds:.2f} s for the engine"
        )
        ratios = [i / e for e, i in turns]
        self.stdout.write(
            f"ingest / extract: {ingest_s / extract_s:.2f} "
            f"(storing adds {100 * (ingest_s - extract_s) / extract_s:+.0f}%); by round "
            + " ".join(f"{r:.2f}" for r in ratios)
            + f", median {statistics.median(ratios):.2f}"
        )
        self.stdout.write(
            f"peak memory (max RSS): {peak_mb():.0f} MiB here, {peak_mb(children=True):.0f} MiB "
            f"in an engine process; RSS here after "
            + ", ".join(f"{n} articles: {mb:.0f} MiB" for n, mb in sorted(marks.items()))
        )

    def store_here(self, items: list[Item], *, processes: list[int]) -> None:
        """Extract every article first, then time ``article_ingest`` alone for each, in the
        current database, rolling each back (the database stays as it was). With
        ``processes``, store them again from that many processes at once, for each number."""
        from apps.quotes.models import Quote
        from apps.speakers.services import speaker_hints

        hints = speaker_hints()
        extracted = [extract(i.article.text, speakers=hints) for i in items]
        n_quotes = Quote.objects.count()
        samples, stored = _store_rolled_back(items, extracted)
        ordered = sorted(samples)
        p95 = ordered[max(0, round(0.95 * (len(ordered) - 1)))]
        self.stdout.write(
            f"database: {n_quotes:,} quotes; stored and rolled back {len(items)} articles "
            f"({stored:,} quotes): per article mean {statistics.mean(samples):.1f} ms, "
            f"p50 {statistics.median(samples):.1f} ms, p95 {p95:.1f} ms"
        )
        if processes:
            _registries_fill(items, extracted)
        rates = {}
        for n in processes:
            # Each process (forked: the extractions are inherited, not sent) opens its own
            # connection and stores every nth article, each in its own transaction.
            connections.close_all()
            context = multiprocessing.get_context("fork")
            started = time.perf_counter()
            with context.Pool(n) as pool:
                running = pool.map_async(
                    _store_share, [(items[k::n], extracted[k::n]) for k in range(n)]
                )
                # Meanwhile, what the storing connections are doing, every 10 ms: running
                # a statement, and waiting for a lock another one holds.
                looks = busy = waiting = 0
                with connection.cursor() as cursor:
                    while not running.ready():
                        cursor.execute(_ACTIVITY_SQL)
                        active, locked = cursor.fetchone()
                        looks, busy = looks + 1, busy + (active >= 2)
                        waiting += locked > 0
                        time.sleep(0.01)
                parts = running.get()
            seconds = time.perf_counter() - started
            rates[n] = len(items) / seconds
            per_article = [ms for part in parts for ms in part]
            self.stdout.write(
                f"{n} process{'es' if n > 1 else ''} storing at once: {len(items)} articles in "
                f"{seconds:.2f} s, {rates[n]:.1f} articles/s (per article p50 "
                f"{statistics.median(per_article):.1f} ms)"
                + (f", {rates[n] / rates[1]:.2f}x one process" if 1 in rates and n > 1 else "")
                + (
                    f"; of {looks} looks at the database, {busy} saw two or more running "
                    f"statements at once, {waiting} one waiting for a lock"
                    if n > 1
                    else ""
                )
            )
        # Rolled back, the rows are gone, but the pages they touched (the stored quotes each
        # article linked) are no longer marked all-visible: index-only scans (the search's)
        # would read the table until autovacuum came by; at 1M quotes, searches took 60 times
        # longer. VACUUM puts the database back as it was.
        tables_analyse(vacuum=True)


_ACTIVITY_SQL = """
SELECT count(*) FILTER (WHERE state = 'active'),
       count(*) FILTER (WHERE state = 'active' AND wait_event_type = 'Lock')
FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()
"""


def _registries_fill(items: list[Item], extracted: list) -> None:
    """Commit the shared rows the articles' first ingest would add: their outlets, speakers
    and aliases, and the words of their quotes (``SearchWord``). Rolled back, each article
    adds them again, and two processes adding the same new word, outlet or speaker at once
    take turns on its unique key; ingested for real, a word or a name is new once."""
    from apps.articles.metadata import metadata_from_text
    from apps.articles.services import outlet_resolve
    from apps.quotes.services import _speakers_for

    for item, quotes in zip(items, extracted, strict=True):
        article = item.article
        stated = metadata_from_text(article.text)
        with transaction.atomic():
            outlet_resolve(
                name=article.outlet or ("" if article.outlet_domain else stated.outlet),
                domain=article.outlet_domain,
            )
            _speakers_for(quotes, stated_on=article.published or stated.published)
            with connection.cursor() as cursor:  # what the trigger on quotes adds
                cursor.execute(
                    "INSERT INTO quotes_searchword (word) SELECT DISTINCT w "
                    "FROM unnest(%s::text[]) AS t, "
                    "unnest(tsvector_to_array(to_tsvector('simple', t))) AS w "
                    "WHERE char_length(w) BETWEEN 3 AND 40 AND w !~ '[^[:alpha:]]' "
                    "ON CONFLICT (word) DO NOTHING",
                    [[article.text[q.start : q.end] for q in quotes]],
                )


def _store_rolled_back(items: list[Item], extracted: list) -> tuple[list[float], int]:
    """Store each article with ``article_ingest`` and roll it back: the milliseconds each
    took, and the quotes stored."""
    from apps.articles.services import article_ingest
    from apps.quotes.services import TopicMatcher

    topics = TopicMatcher()
    samples, stored = [], 0
    for item, quotes in zip(items, extracted, strict=True):
        kwargs = {**item.article.as_kwargs(), "source": f"store-here/{item.article.source}"}
        with transaction.atomic():
            started = time.perf_counter()
            result = article_ingest(**kwargs, extracted=quotes, topics=topics)
            samples.append((time.perf_counter() - started) * 1000)
            stored += result.quotes
            transaction.set_rollback(True)
    return samples, stored


def _store_share(share: tuple[list[Item], list]) -> list[float]:
    """One storing process's articles (in a forked child: its own database connection)."""
    connections.close_all()
    try:
        return _store_rolled_back(*share)[0]
    finally:
        connections.close_all()
