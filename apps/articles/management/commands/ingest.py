import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from apps.articles.pipeline import BATCH, ingest_items
from apps.articles.sources import SUFFIXES, iter_items
from apps.core.analyse import tables_analyse
from apps.speakers.services import speaker_hints

# Articles stored in one run after which the tables are analysed at the end.
ANALYSE_AFTER = 500


def _count_inputs(paths: list[str]) -> int:
    total = 0
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            total += sum(1 for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)
        else:
            total += 1
    return total


class Command(BaseCommand):
    help = (
        "Ingest articles from files and folders (.txt with seeds-style manifest.toml, .html, "
        ".htm, .json, .jsonl) or '-' for standard input. Each article is stored in its own "
        "transaction; re-ingesting the same text changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH")
        parser.add_argument(
            "--workers",
            type=int,
            default=1,
            help="Processes that run the extraction engine, while this one stores (default 1).",
        )
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")
        parser.add_argument(
            "--queue",
            action="store_true",
            help="Queue the articles, in batches, for workers on any machine (manage.py worker) "
            "instead of ingesting them here.",
        )

    def handle(self, *args, paths, workers, no_progress, queue, **options):
        if workers < 1:
            raise CommandError("--workers must be at least 1")
        if queue:
            return self.enqueue(paths)
        total = _count_inputs(list(paths))
        bar = tqdm(
            total=total,
            unit="article",
            file=sys.stderr,
            disable=no_progress or total < 20 or None,  # None: only on a terminal
            dynamic_ncols=True,
        )

        def on_done(label: str, outcome: str) -> None:
            with bar.external_write_mode():
                if outcome not in {"stored", "unchanged", "updated"}:
                    self.stderr.write(f"failed: {label}: {outcome}")
                elif options["verbosity"] > 1:
                    self.stdout.write(f"{outcome}: {label}")
            bar.update(1)

        try:
            report = ingest_items(
                iter_items(paths, stdin=sys.stdin.buffer),
                hints=speaker_hints(),
                workers=workers,
                on_done=on_done,
            )
        finally:
            bar.close()
        self.stdout.write(report.summary())
        if report.counts["stored"] + report.counts["updated"] >= ANALYSE_AFTER:
            tables_analyse()  # the planner's statistics, before autovacuum gets to it
        if report.failed:
            raise CommandError(f"{report.failed} input(s) failed; the others were ingested")

    def enqueue(self, paths: list[str]) -> None:
        from apps.articles.tasks import article_payload, ingest_batch

        queued = jobs = failed = 0
        batch: list[dict] = []

        def flush() -> None:
            nonlocal jobs
            if batch:
                ingest_batch.defer(articles=list(batch))
                jobs += 1
                batch.clear()

        for item in iter_items(paths, stdin=sys.stdin.buffer):
            if item.error:
                failed += 1
                self.stderr.write(f"failed: {item.label}: {item.error}")
                continue
            batch.append(article_payload(item.label, item.article))
            queued += 1
            if len(batch) >= BATCH:
                flush()
        flush()
        self.stdout.write(
            f"queued {queued} article(s) in {jobs} job(s) for the workers (manage.py worker)"
        )
        if failed:
            raise CommandError(f"{failed} input(s) failed; the others were queued")
