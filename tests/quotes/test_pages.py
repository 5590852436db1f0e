import json
import re

import pytest
from django.core.cache import cache

from apps.quotes.models import Report
from tests.factories import small_corpus

pytestmark = pytest.mark.django_db


@pytest.fixture
def corpus():
    cache.clear()
    return small_corpus()


def json_ld(html):
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return json.loads(match.group(1))


def test_quote_page(client, corpus, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        response = client.get(f"/quotes/{corpus.qa1.pk}/")
    html = response.content.decode()
    assert "Sergey Lavrov" in html and "Direct" in html and "said" in html
    assert "Found by machine, not yet checked" in html
    # Its paragraph in context with the quote marked; the other outlet's version with a diff.
    assert f'<mark id="q{corpus.qa1.pk}"' in html
    assert "In a second paragraph" not in html
    assert "Daily Courier" in html and ">suspicion</ins>" in html
    data = json_ld(html)
    assert data["@type"] == "Quotation"
    assert data["text"] == corpus.qa1.text
    assert data["creator"] == {
        "@type": "Person",
        "name": "Sergey Lavrov",
        "jobTitle": "Russian Foreign Minister",
    }
    assert data["isPartOf"]["publisher"]["name"] == "Example Times"
    assert data["isPartOf"]["datePublished"] == "2019-05-10"


def test_quote_json_ld_cannot_break_out_of_script(client, corpus):
    html = client.get(f"/quotes/{corpus.qa2.pk}/").content.decode()
    script = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    assert "<b>" not in script and "</" not in script
    assert json_ld(html)["text"] == "baseless <b>nonsense</b> and lies"


def test_admin_link_only_for_staff(client, corpus, django_user_model):
    url = f"/quotes/{corpus.qa1.pk}/"
    assert "Edit in the admin" not in client.get(url).content.decode()
    staff = django_user_model.objects.create_user("ed", password="x", is_staff=True)
    client.force_login(staff)
    html = client.get(url).content.decode()
    from django.urls import NoReverseMatch, reverse

    try:
        admin_url = reverse("admin:quotes_quote_change", args=[corpus.qa1.pk])
    except NoReverseMatch:
        pytest.skip("the quote admin is not registered yet")
    assert f'href="{admin_url}"' in html


def test_a_rejected_quote_answers_410_saying_it_was_rejected(client, corpus):
    corpus.qa1.status = "rejected"
    corpus.qa1.save()
    response = client.get(f"/quotes/{corpus.qa1.pk}/")
    assert response.status_code == 410
    page = response.content.decode()
    assert "rejected by an editor" in page and corpus.qa1.text not in page
    assert client.get("/quotes/999999999/").status_code == 404


def test_report_a_wrong_attribution(client, corpus):
    response = client.post(
        f"/quotes/{corpus.qa1.pk}/report/",
        {"message": "This was Ushakov", "suggested_speaker": "Yury Ushakov"},
        follow=True,
    )
    assert response.status_code == 200
    assert "Thank you" in response.content.decode()
    report = Report.objects.get()
    assert report.quote == corpus.qa1 and report.suggested_speaker == "Yury Ushakov"


def test_report_with_htmx_swaps_in_thanks(client, corpus):
    response = client.post(
        f"/quotes/{corpus.qa1.pk}/report/", {"message": "wrong"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert "<html" not in html and "Thank you" in html
    assert Report.objects.count() == 1


def test_report_needs_csrf_and_post(corpus):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert strict.post(f"/quotes/{corpus.qa1.pk}/report/", {"message": "x"}).status_code == 403
    assert strict.get(f"/quotes/{corpus.qa1.pk}/report/").status_code == 405
    assert Report.objects.count() == 0


def test_report_requires_a_message(client, corpus):
    response = client.post(f"/quotes/{corpus.qa1.pk}/report/", {"message": ""})
    assert response.status_code == 400
    assert Report.objects.count() == 0


def test_report_is_rate_limited_per_ip(client, corpus):
    url = f"/quotes/{corpus.qa1.pk}/report/"
    for _ in range(5):
        assert client.post(url, {"message": "wrong"}).status_code == 302
    response = client.post(url, {"message": "wrong"})
    assert response.status_code == 429
    assert "try again later" in response.content.decode()
    assert Report.objects.count() == 5
    other = client.post(url, {"message": "wrong"}, REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 302


def test_topic_page_groups_by_speaker(client, corpus, django_assert_max_num_queries):
    with django_assert_max_num_queries(10):
        response = client.get("/topics/sanctions/")
    html = response.content.decode()
    [group] = response.context["page"]  # both by Pompeo
    assert group.speaker == corpus.pompeo
    assert group.count == 2
    assert set(group.quotes) == {corpus.qa3, corpus.qb2}
    assert html.count('<section class="speaker-group">') == 1
    assert "Most quoted on this:" in html
    response = client.get("/topics/bilateral-relations/", {"outlet": corpus.a.outlet_id})
    assert [q for group in response.context["page"] for q in group.quotes] == [corpus.qa1]
    html = client.get("/topics/sanctions/", {"q": "place"}, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in html and "in <mark>place</mark>" in html


def test_topic_page_404(client, db):
    assert client.get("/topics/no-such-topic/").status_code == 404


def test_a_quote_whose_source_is_named_but_no_one_person_shows_the_mention(client):
    from tests.factories import article, quote

    art = article("Budget talks\n“There is no deal yet,” officials said on Monday.\n")
    q = quote(art, "There is no deal yet,", None, speaker_mention="officials")
    cache.clear()
    for url in (f"/quotes/{q.pk}/", f"/articles/{art.pk}/", "/search/?q=deal", "/"):
        html = client.get(url).content.decode()
        assert "nnamed: “officials”" in html, url
