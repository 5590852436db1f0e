"""Staff manage sources in the admin: add (with the permission), pause, poll now, and see
recent fetches, jobs and errors."""

import pytest
from django.contrib.auth.models import Permission, User
from django.urls import reverse

from apps.sources.models import Fetch, Source
from apps.sources.services import source_create
from tests.sources.conftest import jobs

# Workers see only committed rows: these tests commit (and the ``committed_db`` fixture
# puts back the migrations' rows an earlier such test flushed).
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("committed_db")]


@pytest.fixture
def staff(client):
    user = User.objects.create_user("staff", password="pw", is_staff=True)
    client.force_login(user)
    return user


def _grant(user, *codenames):
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))


def test_only_staff_with_the_permission_add_sources(client, staff):
    add = reverse("admin:sources_source_add")
    data = {"url": "https://example.org/feed.xml", "kind": "feed", "every": 30, "active": "on"}
    assert client.post(add, data).status_code == 403
    assert not Source.objects.exists()
    _grant(staff, "add_source", "view_source")
    response = client.post(add, data)
    assert response.status_code == 302
    source = Source.objects.get()
    assert (source.url, source.kind, source.every) == ("https://example.org/feed.xml", "feed", 30)
    assert Source.objects.due().filter(pk=source.pk).exists()  # polled at the next round


def test_poll_now_and_pause_and_the_source_page_shows_recent_work(client, staff):
    _grant(staff, "change_source", "view_source")
    source = source_create(url="https://example.org/rss", kind="feed")
    Fetch.objects.create(
        source=source, url="https://example.org/a", status="gone", error="HTTP 404 <NOT FOUND>"
    )
    changelist = reverse("admin:sources_source_changelist")

    response = client.post(changelist, {"action": "poll_now", "_selected_action": [source.pk]})
    assert response.status_code == 302
    assert [(j["task_name"], j["args"]) for j in jobs()] == [
        ("sources.poll_source", {"source_id": source.pk})
    ]
    # a second "poll now" while one waits queues nothing more
    client.post(changelist, {"action": "poll_now", "_selected_action": [source.pk]})
    assert len(jobs()) == 1

    client.post(changelist, {"action": "pause", "_selected_action": [source.pk]})
    source.refresh_from_db()
    assert not source.active and not Source.objects.due().exists()

    page = client.get(reverse("admin:sources_source_change", args=[source.pk])).content.decode()
    assert "https://example.org/a" in page and "Gone (404/410)" in page
    assert "HTTP 404 &lt;NOT FOUND&gt;" in page  # escaped
    assert "sources.poll_source" in page and "todo" in page


def test_the_kind_is_detected_when_staff_leave_it_blank(client, staff, site):
    from tests.sources.conftest import rss

    _grant(staff, "add_source", "view_source")
    site.expect_request("/rss").respond_with_data(
        rss([("One", "http://example.org/1")]), content_type="application/rss+xml"
    )
    add = reverse("admin:sources_source_add")
    response = client.post(add, {"url": site.url_for("/rss"), "kind": "", "every": 60})
    assert response.status_code == 302
    assert Source.objects.get().kind == "feed"

    site.expect_request("/missing").respond_with_data("", status=404)
    response = client.post(add, {"url": site.url_for("/missing"), "kind": "", "every": 60})
    assert response.status_code == 200
    assert (
        "Cannot tell what" in response.content.decode() and "HTTP 404" in response.content.decode()
    )
    assert Source.objects.count() == 1
