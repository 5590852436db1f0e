"""``manage.py ingest --queue``: batches go to the job queue and workers store them, with the
same outcome as an inline ingest."""

import io

import pytest
from django.core.management import CommandError, call_command

from apps.articles.models import Article
from apps.quotes.models import Quote
from tests.conftest import SEEDS

# Workers see only committed rows: these tests commit (and the ``committed_db`` fixture
# puts back the migrations' rows an earlier such test flushed).
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("committed_db")]


def work():
    from apps.core.queue import run_worker

    run_worker(until_idle=True, install_signal_handlers=False)


def queue(*paths) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("ingest", *paths, "--queue", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_queued_seeds_are_stored_by_a_worker_once(tmp_path):
    out, _ = queue(str(SEEDS))
    assert "queued 5 article(s) in 1 job(s)" in out
    assert not Article.objects.exists()  # nothing stored until a worker runs
    work()
    assert Article.objects.count() == 5
    assert Article.objects.filter(outlet__name="RT").count() == 2  # the manifest was read
    quotes = Quote.objects.count()
    assert quotes > 20

    queue(str(SEEDS))
    work()  # the same texts again: nothing changes
    assert (Article.objects.count(), Quote.objects.count()) == (5, quotes)


def test_unreadable_inputs_are_reported_and_the_rest_is_queued(tmp_path):
    (tmp_path / "good.txt").write_text("Talks ended\n\n“We will talk,” Sergey Lavrov said.\n")
    (tmp_path / "empty.txt").write_text("")
    with pytest.raises(CommandError, match="1 input"):
        call_command("ingest", str(tmp_path), "--queue", stdout=io.StringIO(), stderr=io.StringIO())
    work()
    assert list(Article.objects.values_list("title", flat=True)) == ["Talks ended"]
