"""Housekeeping of the job queue itself."""

from __future__ import annotations

from django.conf import settings
from procrastinate.contrib.django import app


@app.periodic(cron="* * * * *", periodic_id="retry_stalled_jobs")
@app.task(name="core.retry_stalled_jobs", queueing_lock="retry_stalled_jobs", pass_context=True)
async def retry_stalled_jobs(context, timestamp: int) -> int:
    """Put back in the queue the jobs of workers that stopped sending heartbeats (killed,
    out of memory, machine lost): the next worker does them. Their writes were transactions,
    so nothing was half stored."""
    return await requeue_stalled_jobs(context.app, seconds=settings.QUEUE_STALLED_AFTER)


async def requeue_stalled_jobs(app_, *, seconds: float) -> int:
    manager = app_.job_manager
    stalled = list(await manager.get_stalled_jobs(seconds_since_heartbeat=seconds))
    for job in stalled:
        await manager.retry_job(job)
    await manager.prune_stalled_workers(seconds_since_heartbeat=seconds)
    return len(stalled)
