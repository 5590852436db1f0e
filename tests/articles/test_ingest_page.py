"""The staff-only /ingest/ page: paste or upload, the same rules as the command."""

import pytest
from django.contrib.auth.models import Permission, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.articles.models import Article
from apps.quotes.models import Quote

pytestmark = pytest.mark.django_db

TEXT = "Envoy speaks\n\n“We are ready to talk,” Sergey Lavrov said on Friday."


@pytest.fixture
def editor(client):
    user = User.objects.create_user("ed", password="pw", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="add_article"))
    client.force_login(user)
    return user


def test_readers_and_staff_without_permission_are_refused(client):
    response = client.get(reverse("ingest"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    user = User.objects.create_user("staff", password="pw", is_staff=True)
    client.force_login(user)
    assert client.get(reverse("ingest")).status_code == 403
    assert client.post(reverse("ingest"), {"text": TEXT}).status_code == 403
    assert not Article.objects.exists()


def test_pasted_text_is_ingested_once(client, editor):
    data = {"text": TEXT, "url": "https://example.org/envoy", "outlet": "Example"}
    response = client.post(reverse("ingest"), data)
    assert response.status_code == 200
    assert "Stored:" in response.content.decode()
    article = Article.objects.get()
    assert (article.title, article.url, article.outlet.name) == (
        "Envoy speaks",
        "https://example.org/envoy",
        "Example",
    )
    # the quotes' history names who ingested them
    records = Quote.history.filter(article_id=article.pk)
    assert records and {(r.history_type, r.history_user) for r in records} == {("+", editor)}
    assert "Unchanged:" in client.post(reverse("ingest"), data).content.decode()
    assert Article.objects.count() == 1


def test_bad_upload_is_refused_with_its_reason(client, editor):
    upload = SimpleUploadedFile("bad.txt", b"Title\n\x00binary")
    response = client.post(reverse("ingest"), {"file": upload})
    assert "binary file" in response.content.decode()
    good = SimpleUploadedFile("good.txt", TEXT.encode())
    assert "Stored:" in client.post(reverse("ingest"), {"file": good}).content.decode()
    assert Article.objects.count() == 1


def test_the_form_needs_csrf(client, editor):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(editor)
    assert strict.post(reverse("ingest"), {"text": TEXT}).status_code == 403
