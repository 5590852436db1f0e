"""The periodic poll takes due, active sources only, and never queues one twice."""

import datetime as dt

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from apps.sources.services import source_create
from apps.sources.tasks import poll_due_sources
from tests.sources.conftest import jobs

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("committed_db")]


def test_the_periodic_poll_queues_each_due_active_source_once():
    due = source_create(url="https://example.org/due.xml", kind="feed")
    later = source_create(url="https://example.org/later.xml", kind="feed")
    paused = source_create(url="https://example.org/paused.xml", kind="feed", active=False)
    later.next_poll_at = timezone.now() + dt.timedelta(minutes=30)
    later.save()
    assert paused.next_poll_at <= timezone.now()

    assert poll_due_sources(timestamp=0) == 1
    assert poll_due_sources(timestamp=60) == 0  # already waiting: the queueing lock
    queued = jobs("sources.poll_source")
    assert [(j["args"], j["status"]) for j in queued] == [({"source_id": due.pk}, "todo")]


def test_worker_refuses_a_concurrency_below_one():
    with pytest.raises(CommandError, match="at least 1"):
        call_command("worker", "--concurrency", "0", "--no-preload")
