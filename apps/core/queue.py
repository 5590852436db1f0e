"""Running Procrastinate workers: the one place that knows how a worker connects."""

from __future__ import annotations

import time
from collections.abc import Sequence

from django.db.models import Q
from django.utils import timezone
from procrastinate.contrib.django import app


def ready_jobs(queues: Sequence[str] | None = None) -> int:
    """Jobs waiting to run now (not scheduled for later)."""
    from procrastinate.contrib.django.models import ProcrastinateJob

    jobs = ProcrastinateJob.objects.filter(status="todo").filter(
        Q(scheduled_at__isnull=True) | Q(scheduled_at__lte=timezone.now())
    )
    if queues:
        jobs = jobs.filter(queue_name__in=list(queues))
    return jobs.count()


def run_worker(
    *,
    until_idle: bool = False,
    concurrency: int = 1,
    queues: Sequence[str] | None = None,
    name: str | None = None,
    install_signal_handlers: bool = True,
) -> None:
    """Run a worker in this process against the Django database (``DATABASE_URL`` or the
    embedded server).

    With ``until_idle`` it returns once no job is ready to run. Procrastinate's own
    ``wait=False`` stops at the first moment one of its slots finds nothing, even while
    another slot runs a job that queues more (a poll queues fetches), so the worker is run
    again while jobs are ready.
    """
    options = {
        "concurrency": concurrency,
        "queues": list(queues) if queues else None,
        "name": name,
        "install_signal_handlers": install_signal_handlers,
        "delete_jobs": "never",
    }
    connector = app.connector.get_worker_connector()
    with app.replace_connector(connector):
        if not until_idle:
            app.run_worker(wait=True, **options)
            return
        while True:
            app.run_worker(wait=False, listen_notify=False, **options)
            if not ready_jobs(queues):
                return
            time.sleep(0.2)  # what is left may wait for a lock another worker holds
