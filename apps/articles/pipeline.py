"""The ingest pipeline behind ``manage.py ingest`` and the benchmark.

Inputs are read lazily and handled in small batches, so memory stays flat however large the
corpus: texts already stored (same content hash) are skipped before extraction, the rest are
extracted (in a pool of worker processes with ``workers > 1``) and each article is then stored
in its own transaction in this process. A failure is recorded with its reason and the run goes on.
"""

from __future__ import annotations

import multiprocessing
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice

from django import db

from apps.articles.models import Article
from apps.articles.services import article_ingest
from apps.articles.sources import ArticleInput, Item
from apps.quotes.extraction import ExtractedQuote, SpeakerHint, extract_many

BATCH = 16

_worker_hints: Sequence[SpeakerHint] = ()


def _worker_init(hints: Sequence[SpeakerHint]) -> None:
    global _worker_hints
    _worker_hints = hints


def _worker_extract(texts: list[str]) -> list[list[ExtractedQuote]]:
    return [list(quotes) for quotes in extract_many(texts, speakers=_worker_hints)]


@dataclass
class Report:
    counts: Counter = field(default_factory=Counter)
    failures: list[tuple[str, str]] = field(default_factory=list)
    extract_seconds: float = 0.0  # time spent waiting for the engine

    @property
    def failed(self) -> int:
        return len(self.failures)

    def summary(self) -> str:
        c = self.counts
        return (
            f"stored {c['stored']}, unchanged {c['unchanged']}, updated {c['updated']}, "
            f"failed {self.failed}"
        )


def _batches(items: Iterable[Item], size: int) -> Iterator[list[Item]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


class Extractor:
    """Runs the engine here (``workers=1``) or in a pool of processes."""

    def __init__(self, *, hints: Sequence[SpeakerHint], workers: int = 1):
        self.hints, self.workers, self.pool = hints, max(1, workers), None
        if self.workers > 1:
            if not db.connection.in_atomic_block:  # no connection should cross a fork
                db.connections.close_all()
            context = multiprocessing.get_context("fork")
            self.pool = context.Pool(self.workers, initializer=_worker_init, initargs=(hints,))

    def __call__(self, texts: list[str]) -> list[list[ExtractedQuote]]:
        if not texts:
            return []
        if self.pool is None:
            return [list(q) for q in extract_many(texts, speakers=self.hints)]
        size = max(1, -(-len(texts) // self.workers))
        chunks = [texts[i : i + size] for i in range(0, len(texts), size)]
        return [quotes for chunk in self.pool.map(_worker_extract, chunks) for quotes in chunk]

    def close(self) -> None:
        if self.pool is not None:
            self.pool.close()
            self.pool.join()
            self.pool = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self.pool is not None:
            self.pool.terminate()
            self.pool.join()
            self.pool = None


def ingest_items(
    items: Iterable[Item],
    *,
    hints: Sequence[SpeakerHint],
    workers: int = 1,
    batch: int = BATCH,
    on_done: Callable[[str, str], None] | None = None,
) -> Report:
    """Ingest every item; ``on_done(label, outcome_or_error)`` is called once per item."""
    report = Report()

    def done(label: str, outcome: str, error: str = "") -> None:
        if error:
            report.failures.append((label, error))
        else:
            report.counts[outcome] += 1
        if on_done:
            on_done(label, error or outcome)

    from apps.quotes.services import TopicMatcher

    topics = TopicMatcher()  # the taxonomy, read once for the run
    with Extractor(hints=hints, workers=workers) as extractor:
        for group in _batches(items, max(batch, workers)):
            todo: list[tuple[str, ArticleInput]] = []
            for item in group:
                if item.error:
                    done(item.label, "failed", item.error)
                else:
                    todo.append((item.label, item.article))
            stored = set(
                Article.objects.filter(
                    content_hash__in=[a.content_hash for _, a in todo]
                ).values_list("content_hash", flat=True)
            )
            fresh = [(label, a) for label, a in todo if a.content_hash not in stored]
            for label, a in todo:
                if a.content_hash in stored:
                    done(label, "unchanged")
            started = time.perf_counter()
            try:
                results = extractor([a.text for _, a in fresh])
            except Exception:  # the engine failed on the batch: try one by one
                results = []
                for _, a in fresh:
                    try:
                        results.append(extractor([a.text])[0])
                    except Exception as exc:
                        results.append(exc)
            report.extract_seconds += time.perf_counter() - started
            for (label, article), quotes in zip(fresh, results, strict=True):
                if isinstance(quotes, Exception):
                    done(label, "failed", f"extraction failed: {quotes}")
                    continue
                try:
                    result = article_ingest(
                        **article.as_kwargs(), extracted=quotes, speakers=hints, topics=topics
                    )
                except Exception as exc:
                    done(label, "failed", f"{type(exc).__name__}: {exc}".strip())
                else:
                    done(label, result.outcome)
        extractor.close()
    return report
