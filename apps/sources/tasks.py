"""Jobs that poll sources and fetch their articles (run by ``manage.py worker``).

- ``poll_due_sources`` (every minute) gives each due source a ``poll_source`` job;
- ``poll_source`` reads one source and gives each new article URL a ``fetch_article`` job;
  its lock keeps two workers from polling one source at once, its queueing lock keeps a
  source from being queued twice;
- ``fetch_article`` fetches, extracts and stores one article, retried with backoff on
  timeouts, 5xx and 429 (after ``Retry-After`` when the server says), never on 404/410.
"""

from __future__ import annotations

from django.conf import settings
from procrastinate import RetryDecision
from procrastinate.contrib.django import app
from procrastinate.exceptions import AlreadyEnqueued
from procrastinate.retry import BaseRetryStrategy

from apps.sources import fetcher
from apps.sources.models import Source
from apps.sources.services import fetch_store, source_poll

MAX_RETRY_WAIT = 6 * 3600.0


class FetchRetry(BaseRetryStrategy):
    """Retry only ``Retryable`` fetch errors: after Retry-After when given, else
    ``FETCH_RETRY_WAIT`` seconds doubled each attempt."""

    def get_retry_decision(self, *, exception, job):
        if not isinstance(exception, fetcher.Retryable):
            return None
        if job.attempts + 1 >= settings.FETCH_MAX_ATTEMPTS:
            return None
        wait = exception.retry_after
        if wait is None:
            wait = settings.FETCH_RETRY_WAIT * 2**job.attempts
        return RetryDecision(retry_in={"seconds": int(min(wait, MAX_RETRY_WAIT))})


def poll_source_defer(source_id: int) -> bool:
    """Queue a poll of the source; False when one is already waiting."""
    try:
        poll_source.configure(
            lock=f"source:{source_id}", queueing_lock=f"poll-source:{source_id}"
        ).defer(source_id=source_id)
    except AlreadyEnqueued:
        return False
    return True


def fetch_article_defer(fetch_id: int) -> bool:
    try:
        fetch_article.configure(lock=f"fetch:{fetch_id}", queueing_lock=f"fetch:{fetch_id}").defer(
            fetch_id=fetch_id
        )
    except AlreadyEnqueued:
        return False
    return True


@app.task(name="sources.poll_source", queue="sources", retry=FetchRetry(), pass_context=True)
def poll_source(context, *, source_id: int) -> dict:
    result = source_poll(source_id=source_id, enqueue=fetch_article_defer)
    return {"found": result.found, "skipped": result.skipped, "left": result.left}


@app.task(name="sources.fetch_article", queue="fetch", retry=FetchRetry(), pass_context=True)
def fetch_article(context, *, fetch_id: int) -> dict:
    last = context.job.attempts + 1 >= settings.FETCH_MAX_ATTEMPTS
    result = fetch_store(fetch_id=fetch_id, last_attempt=last)
    return {"status": result.status, "error": result.error, "article": result.article_id}


@app.periodic(cron="* * * * *", periodic_id="poll_due_sources")
@app.task(name="sources.poll_due_sources", queue="sources", queueing_lock="poll_due_sources")
def poll_due_sources(timestamp: int) -> int:
    """Queue a poll of every due source; returns how many were queued."""
    return sum(poll_source_defer(pk) for pk in Source.objects.due().values_list("pk", flat=True))
