"""Benchmark: extraction and storing time and peak memory against the article's size and shape.

For each shape of ``apps.articles.shapes`` and each size, the engine runs on the text and the
result is stored (``article_ingest``) into a throwaway database. Printed per row: seconds,
seconds per MB, quotes, and the peak resident memory above what the process held before (the
kernel's high-water mark, reset before each step). Each size runs in a child process forked
from one that has loaded the pipeline and nothing else, so every row starts from the same
memory (an earlier, larger size leaves nothing behind that a later one could reuse). The last
lines of each shape give the spread of seconds per MB across sizes (linear time keeps it near
1) and the peak memory per MB of text at each size (flat where memory is linear).
"""

from __future__ import annotations

import contextlib
import multiprocessing
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from apps.articles import shapes

SIZES = {"128K": 128 * 1024, "512K": 512 * 1024, "2M": 2 * 1024 * 1024, "5M": 5 * 1024 * 1024}


def _status_kib(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


@contextlib.contextmanager
def measured(row: dict, prefix: str):
    """Seconds and peak memory (MiB above the start) of the block, into ``row``."""
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")  # reset the peak (VmHWM) to now
    before = _status_kib("VmRSS")
    started = time.perf_counter()
    yield
    row[f"{prefix}_s"] = time.perf_counter() - started
    row[f"{prefix}_mb"] = max(0, _status_kib("VmHWM") - before) / 1024


def _empty() -> None:
    """The throwaway database as new: the next size's quotes are not paired with the last's."""
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE articles_article, quotes_statement, speakers_speaker CASCADE")


class Command(BaseCommand):
    help = (
        "Time and peak memory of extraction and storing at 128 KB, 512 KB, 2 MB and 5 MB for "
        "each shape of article (one paragraph, short paragraphs, many quotes)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--sizes", default=",".join(SIZES), help="Of 128K,512K,2M,5M.")
        parser.add_argument("--shapes", default=",".join(shapes.SHAPES))
        parser.add_argument(
            "--extract-only", action="store_true", help="No database: time the engine alone."
        )

    def handle(self, *args, sizes, shapes: str, extract_only, **options):
        try:
            sizes_ = [(name, SIZES[name]) for name in sizes.split(",")]
        except KeyError as exc:
            raise CommandError(f"unknown size {exc} (use {', '.join(SIZES)})") from None
        shape_names = shapes.split(",")
        from apps.quotes.extraction import extract

        # the pipeline, the model and the name lists loaded once, shared by the children
        extract("Anna Keller met Tom Brandt on Friday. “We agree,” she said.")
        old_name = None
        if not extract_only:
            old_name = connection.settings_dict["NAME"]
            # Its own throwaway database, so a test run at the same time is not disturbed.
            connection.settings_dict.setdefault("TEST", {})["NAME"] = f"{old_name}_limits"
            connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
        try:
            for shape in shape_names:
                self._shape(shape, sizes_, store=not extract_only)
        finally:
            if old_name is not None:
                connection.creation.destroy_test_db(old_name, verbosity=0)

    def _shape(self, shape: str, sizes, *, store: bool) -> None:
        self.stdout.write(
            f"{shape:17} {'size':>5} {'quotes':>7} {'extract s':>9} {'s/MB':>6} {'peak MB':>8}"
            + (f" {'store s':>8} {'s/MB':>6} {'peak MB':>8}" if store else "")
        )
        per_mb, mem_per_mb = [], []
        for name, size in sizes:
            connection.close()  # the child opens its own
            fork = multiprocessing.get_context("fork")
            with ProcessPoolExecutor(1, mp_context=fork) as child:
                row = child.submit(_step, shape, size, store).result()
            mb = row["mb"]
            line = (
                f"{'':17} {name:>5} {row['quotes']:>7} {row['extract_s']:>9.1f} "
                f"{row['extract_s'] / mb:>6.1f} {row['extract_mb']:>8.0f}"
            )
            total = row["extract_s"]
            mem_per_mb.append(max(row["extract_mb"], 1) / mb)
            if "refused" in row:
                line += f"  {row['refused']}"
            elif store:
                total += row["store_s"]
                line += (
                    f" {row['store_s']:>8.1f} {row['store_s'] / mb:>6.1f} {row['store_mb']:>8.0f}"
                )
            per_mb.append(total / mb)
            self.stdout.write(line)
            self.stdout.flush()
        if per_mb:
            spread = max(per_mb) / min(per_mb)
            self.stdout.write(f"{'':17} time per MB (extract + store) within {spread:.2f}x")
            names = [name for name, _ in sizes]
            per = ", ".join(f"{n} {m:.0f}" for n, m in zip(names, mem_per_mb, strict=True))
            self.stdout.write(f"{'':17} extraction's peak MB per MB of text: {per}\n")


def _step(shape: str, size: int, store: bool) -> dict:
    """One size of one shape, extracted and (with ``store``) stored, in a fresh child."""
    from apps.articles.services import ArticleRefused, article_ingest
    from apps.quotes.extraction import extract

    text = shapes.article(shape, size)
    row: dict = {"mb": len(text.encode()) / 2**20}
    with measured(row, "extract"):
        quotes = extract(text)
    row["quotes"] = len(quotes)
    if store:
        try:
            with measured(row, "store"):
                article_ingest(text=text, source=f"limits/{shape}/{size}", extracted=quotes)
        except ArticleRefused as exc:
            row["refused"] = str(exc)
        finally:  # each size is stored into an empty database, not beside the last
            _empty()
            connection.close()
    return row
