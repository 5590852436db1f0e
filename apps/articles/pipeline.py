"""The ingest pipeline behind ``manage.py ingest`` and the benchmark.

Inputs are read lazily and handled in small batches, so memory stays flat however large the
corpus: texts already stored (same content hash) are skipped before extraction, and the rest
go to the engine, which runs in its own process(es), while this process stores the batch
before, each article in its own transaction. Storing mostly waits on PostgreSQL or runs
Python, so on a machine with two cores it costs the run next to nothing. A failure is
recorded with its reason and the run goes on.
"""

from __future__ import annotations

import multiprocessing
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from itertools import islice

from django import db
from django.conf import settings

from apps.articles.models import Article
from apps.articles.services import ArticleRefused, article_ingest, quoted_passages_check
from apps.articles.sources import ArticleInput, Item
from apps.quotes.extraction import ExtractedQuote, OverBudget, SpeakerHint, extract

BATCH = 16

_worker_hints: Sequence[SpeakerHint] = ()


def _worker_init(hints: Sequence[SpeakerHint]) -> None:
    global _worker_hints
    _worker_hints = hints


def _worker_extract(texts: list[str]) -> tuple[list[list[ExtractedQuote] | str], float]:
    """In an engine process: each text's quotes (or why the engine failed on it), and the
    seconds the engine took."""
    started = time.perf_counter()
    budget = settings.ARTICLE_MAX_SECONDS or None
    results: list = []
    for text in texts:  # one by one: a text the engine fails on costs only itself
        try:
            results.append(list(extract(text, speakers=_worker_hints, budget_seconds=budget)))
        except OverBudget as exc:
            results.append(f"refused: {exc} (QT_ARTICLE_MAX_SECONDS); nothing of it was stored")
        except Exception as exc:
            results.append(f"{type(exc).__name__}: {exc}".strip())
    return results, time.perf_counter() - started


@dataclass
class Report:
    counts: Counter = field(default_factory=Counter)
    failures: list[tuple[str, str]] = field(default_factory=list)
    extract_seconds: float = 0.0  # the engine's time, in its processes
    wait_seconds: float = 0.0  # time storing waited for the engine
    store_seconds: float = 0.0  # time spent storing

    @property
    def failed(self) -> int:
        return len(self.failures)

    def summary(self) -> str:
        c = self.counts
        text = (
            f"stored {c['stored']}, unchanged {c['unchanged']}, updated {c['updated']}, "
            f"failed {self.failed}"
        )
        if c["another_look"]:
            n = c["another_look"]
            text += f"; {n} editor decision{' needs' if n == 1 else 's need'} another look"
        if c["lost"]:
            n = c["lost"]
            text += f"; {n} reviewed quote{'' if n == 1 else 's'} no longer in the article"
        return text


def _batches(items: Iterable[Item], size: int) -> Iterator[list[Item]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


class InlineExtractor:
    """The engine in this process, for a queue worker (the queue spreads the work over
    workers and machines; a worker does not fork a pool of its own)."""

    def __init__(self, *, hints: Sequence[SpeakerHint]):
        self.hints = hints

    def submit(self, texts: list[str]) -> list[tuple[Future, list[str]]]:
        global _worker_hints
        _worker_hints = self.hints
        done: Future = Future()
        done.set_result(_worker_extract(texts))
        return [(done, texts)]

    def results(self, jobs: list[tuple[Future, list[str]]]) -> tuple[list[list | str], float]:
        results, seconds = [], 0.0
        for job, _ in jobs:
            quotes, spent = job.result()
            results.extend(quotes)
            seconds += spent
        return results, seconds

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return None


class Extractor:
    """The engine in ``workers`` processes: ``submit`` a batch of texts, later ``results``."""

    def __init__(self, *, hints: Sequence[SpeakerHint], workers: int = 1):
        self.hints, self.workers = hints, max(1, workers)
        self.pool = self._start()

    def _start(self) -> ProcessPoolExecutor:
        if not db.connection.in_atomic_block:  # no connection should cross a fork
            db.connections.close_all()
        return ProcessPoolExecutor(
            self.workers,
            mp_context=multiprocessing.get_context("fork"),
            initializer=_worker_init,
            initargs=(self.hints,),
        )

    def _restart(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)
        self.pool = self._start()

    def _submit(self, texts: list[str]) -> Future:
        try:
            return self.pool.submit(_worker_extract, texts)
        except BrokenProcessPool:
            self._restart()
            return self.pool.submit(_worker_extract, texts)

    def submit(self, texts: list[str]) -> list[tuple[Future, list[str]]]:
        size = max(1, -(-len(texts) // self.workers))
        chunks = [texts[i : i + size] for i in range(0, len(texts), size)]
        return [(self._submit(chunk), chunk) for chunk in chunks]

    def results(self, jobs: list[tuple[Future, list[str]]]) -> tuple[list[list | str], float]:
        """Each text's quotes or error, and the engine's seconds (summed over processes)."""
        results: list[list | str] = []
        seconds = 0.0
        for job, texts in jobs:
            try:
                quotes, spent = job.result()
            except BrokenProcessPool:  # an engine process died (out of memory, a crash)
                quotes, spent = self._one_by_one(texts)
            results.extend(quotes)
            seconds += spent
        return results, seconds

    def _one_by_one(self, texts: list[str]) -> tuple[list[list | str], float]:
        """After an engine process died: each text alone, so only the one that kills the
        engine fails."""
        results: list[list | str] = []
        seconds = 0.0
        for text in texts:
            try:
                quotes, spent = self._submit([text]).result()
            except BrokenProcessPool:
                self._restart()
                quotes, spent = ["the engine process died on this text"], 0.0
            results.extend(quotes)
            seconds += spent
        return results, seconds

    def close(self) -> None:
        self.pool.shutdown(cancel_futures=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def ingest_items(
    items: Iterable[Item],
    *,
    hints: Sequence[SpeakerHint],
    workers: int = 1,
    batch: int = BATCH,
    on_done: Callable[[str, str], None] | None = None,
) -> Report:
    """Ingest every item; ``on_done(label, outcome_or_error)`` is called once per item.

    The engine processes work on the next batch while this process stores the batch before
    it. Only this process touches the database. ``workers=0`` runs the engine in this
    process (what a queue worker does: ``ingest --queue`` spreads batches over workers).
    """
    report = Report()

    def done(label: str, outcome: str, error: str = "") -> None:
        if error:
            report.failures.append((label, error))
        else:
            report.counts[outcome] += 1
        if on_done:
            on_done(label, error or outcome)

    def fresh_of(group: list[Item]) -> list[tuple[str, ArticleInput]]:
        todo: list[tuple[str, ArticleInput]] = []
        for item in group:
            if item.error:
                done(item.label, "failed", item.error)
            else:
                todo.append((item.label, item.article))
        stored = set(
            Article.objects.filter(content_hash__in=[a.content_hash for _, a in todo]).values_list(
                "content_hash", flat=True
            )
        )
        fresh = []
        for label, a in todo:
            if a.content_hash in stored:
                done(label, "unchanged")
                continue
            try:  # over the budget on its quotation marks alone: refused before the engine
                quoted_passages_check(a.text)
            except ArticleRefused as exc:
                done(label, "failed", str(exc))
                continue
            fresh.append((label, a))
        return fresh

    def store(fresh: list[tuple[str, ArticleInput]], jobs) -> None:
        waited = time.perf_counter()
        results, seconds = extractor.results(jobs)
        started = time.perf_counter()
        report.extract_seconds += seconds
        report.wait_seconds += started - waited
        for (label, article), quotes in zip(fresh, results, strict=True):
            if isinstance(quotes, str):
                done(label, "failed", f"extraction failed: {quotes}")
                continue
            try:
                result = article_ingest(
                    **article.as_kwargs(), extracted=quotes, speakers=hints, topics=topics
                )
            except Exception as exc:
                done(label, "failed", f"{type(exc).__name__}: {exc}".strip())
            else:
                report.counts["another_look"] += result.another_look
                report.counts["lost"] += result.lost
                done(label, result.outcome)
        report.store_seconds += time.perf_counter() - started

    from apps.quotes.services import TopicMatcher

    topics = TopicMatcher()  # the taxonomy, read once for the run
    engine = (
        InlineExtractor(hints=hints) if workers == 0 else Extractor(hints=hints, workers=workers)
    )
    with engine as extractor:
        pending = None
        for group in _batches(items, max(batch, workers)):
            fresh = fresh_of(group)
            jobs = extractor.submit([a.text for _, a in fresh])
            if pending:
                store(*pending)
            pending = fresh, jobs
        if pending:
            store(*pending)
    return report
