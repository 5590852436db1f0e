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


def test_one_source_is_never_polled_by_two_workers_at_once():
    """Two polls of one source queued (say a "poll now" while the periodic one waits), a
    worker with two slots: the source lock makes the second wait for the first."""
    import threading
    import time

    from pytest_httpserver import HTTPServer
    from werkzeug import Response

    from apps.core.queue import run_worker
    from apps.sources.tasks import poll_source
    from tests.sources.conftest import rss

    active, overlap, lock = [0], [0], threading.Lock()

    def slow_feed(request):
        with lock:
            active[0] += 1
            overlap[0] = max(overlap[0], active[0])
        time.sleep(1)
        with lock:
            active[0] -= 1
        return Response(rss([("One", "http://example.org/1")]), content_type="application/xml")

    server = HTTPServer(threaded=True)  # so that overlapping requests could overlap
    server.expect_request("/robots.txt").respond_with_data("", status=404)
    server.expect_request("/feed").respond_with_handler(slow_feed)
    server.start()
    try:
        source = source_create(url=server.url_for("/feed"), kind="feed")
        for _ in range(2):
            poll_source.configure(lock=f"source:{source.pk}").defer(source_id=source.pk)
        run_worker(
            until_idle=True, concurrency=2, install_signal_handlers=False, queues=["sources"]
        )
    finally:
        server.stop()
    polls = jobs("sources.poll_source")  # ours, and maybe the periodic one's: it was due
    assert len(polls) >= 2 and {j["status"] for j in polls} == {"succeeded"}
    assert sum(1 for req, _ in server.log if req.path == "/feed") == len(polls)
    assert overlap[0] == 1  # without the lock: 2
