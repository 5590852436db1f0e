import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from apps.articles.pipeline import ingest_items
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

    def handle(self, *args, paths, workers, no_progress, **options):
        if workers < 1:
            raise CommandError("--workers must be at least 1")
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
