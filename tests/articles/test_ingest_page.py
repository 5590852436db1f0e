"""The staff-only /ingest/ page: paste or upload; a worker ingests it with the same rules as
the command, and the status page follows the job (htmx polling, or a refresh without JS)."""

import pytest
from django.contrib.auth.models import Permission, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.articles.models import Article, Upload
from apps.quotes.models import Quote

# Workers see only committed rows: these tests commit (and the ``committed_db`` fixture
# puts back the migrations' rows an earlier such test flushed).
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("committed_db")]

TEXT = "Envoy speaks\n\n“We are ready to talk,” Sergey Lavrov said on Friday."


@pytest.fixture
def editor(client):
    user = User.objects.create_user("ed", password="pw", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="add_article"))
    client.force_login(user)
    return user


def work():
    from apps.core.queue import run_worker

    run_worker(until_idle=True, install_signal_handlers=False)


def submit(client, data) -> str:
    """Post the form, check it queued a job, run a worker, and return the status page."""
    response = client.post(reverse("ingest"), data)
    assert response.status_code == 302
    status_url = response["Location"]
    pending = client.get(status_url).content.decode()
    assert "Queued" in pending and 'hx-trigger="every 2s"' in pending
    assert '<meta http-equiv="refresh"' in pending  # inside <noscript>: works without JS
    work()
    return client.get(status_url).content.decode()


def test_readers_and_staff_without_permission_are_refused(client):
    response = client.get(reverse("ingest"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    user = User.objects.create_user("staff", password="pw", is_staff=True)
    client.force_login(user)
    assert client.get(reverse("ingest")).status_code == 403
    assert client.post(reverse("ingest"), {"text": TEXT}).status_code == 403
    assert not Upload.objects.exists() and not Article.objects.exists()


def test_pasted_text_is_ingested_once_by_a_worker(client, editor):
    data = {
        "text": TEXT,
        "url": "https://example.org/envoy",
        "outlet": "Example",
        "title": "Lavrov: ready to talk",
        "published": "2019-12-10",
    }
    page = submit(client, data)
    assert "Stored:" in page and "Lavrov: ready to talk" in page
    article = Article.objects.get()
    assert (article.title, article.url, article.outlet.name, str(article.published)) == (
        "Lavrov: ready to talk",
        "https://example.org/envoy",
        "Example",
        "2019-12-10",
    )
    assert article.quotes.exists()
    # the quotes' history names who ingested them, though a worker stored them
    records = Quote.history.filter(article_id=article.pk)
    assert records and {(r.history_type, r.history_user) for r in records} == {("+", editor)}
    assert "Unchanged:" in submit(client, data)
    assert Article.objects.count() == 1
    assert Upload.objects.filter(data=b"").count() == 2  # the text is not kept twice


def test_the_status_region_alone_answers_htmx(client, editor):
    response = client.post(reverse("ingest"), {"text": TEXT})
    status_url = response["Location"]
    region = client.get(status_url, headers={"HX-Request": "true"}).content.decode()
    assert region.lstrip().startswith('<section id="ingest-status"') and "<html" not in region
    work()
    region = client.get(status_url, headers={"HX-Request": "true"}).content.decode()
    assert "Stored:" in region and "hx-trigger" not in region  # done: polling stops


def test_bad_upload_is_refused_with_its_reason(client, editor):
    upload = SimpleUploadedFile("bad.txt", b"Title\n\x00binary")
    assert "binary file" in submit(client, {"file": upload})
    good = SimpleUploadedFile("good.txt", TEXT.encode())
    assert "Stored:" in submit(client, {"file": good})
    assert Article.objects.count() == 1
    wrong = SimpleUploadedFile("slides.pdf", b"%PDF-1.4")
    response = client.post(reverse("ingest"), {"file": wrong})
    assert response.status_code == 200 and "unsupported file type" in response.content.decode()


def test_the_form_needs_csrf(client, editor):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(editor)
    assert strict.post(reverse("ingest"), {"text": TEXT}).status_code == 403
