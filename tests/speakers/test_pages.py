import pytest

from tests.factories import article, quote, small_corpus

pytestmark = pytest.mark.django_db


@pytest.fixture
def corpus():
    return small_corpus()


def test_speaker_list_with_counts_and_name_filter(client, corpus, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        response = client.get("/speakers/")
    rows = {s.name: s.n_quotes for s in response.context["page"]}
    assert rows["Sergey Lavrov"] == 3 and rows["Mike Pompeo"] == 3
    response = client.get("/speakers/", {"name": "lavr"})
    assert [s.name for s in response.context["page"]] == ["Sergey Lavrov"]


def test_speaker_list_filter_by_alias(client, corpus):
    from apps.speakers.models import SpeakerAlias

    SpeakerAlias.objects.create(
        speaker=corpus.lavrov, name="Sergei Lavroff", normalised="sergei lavroff x"
    )
    response = client.get("/speakers/", {"name": "lavroff"})
    assert [s.name for s in response.context["page"]] == ["Sergey Lavrov"]


def test_speaker_list_htmx_partial(client, corpus):
    html = client.get("/speakers/", {"name": "pomp"}, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in html
    assert "Mike Pompeo" in html and "Sergey Lavrov" not in html


def test_speaker_page(client, corpus, django_assert_max_num_queries):
    with django_assert_max_num_queries(11):  # (the quotes inside each claim: one query)
        response = client.get("/speakers/sergey-lavrov/")
    html = response.content.decode()
    assert "Russian Foreign Minister" in html
    quotes = list(response.context["page"])
    # Newest first: the June article's quote before May's.
    assert quotes[0] == corpus.qb1
    assert set(quotes) == {corpus.qa1, corpus.qa2, corpus.qb1}
    assert f'href="/articles/{corpus.a.pk}/#q{corpus.qa1.pk}"' in html
    assert '<svg class="timeline"' in html and "<title>May 2019: 2</title>" in html
    assert "<title>Jun 2019: 1</title>" in html
    assert [t.slug for t in response.context["top_topics"]][0] == "bilateral-relations"
    assert f"/compare/?speaker=sergey-lavrov#s{corpus.wave.pk}" in html
    assert "/quotes.csv?speaker=sergey-lavrov" in html


def test_speaker_page_filters(client, corpus):
    response = client.get("/speakers/sergey-lavrov/", {"kind": "partial"})
    assert list(response.context["page"]) == [corpus.qa2]
    response = client.get("/speakers/sergey-lavrov/", {"outlet": corpus.b.outlet_id})
    assert list(response.context["page"]) == [corpus.qb1]
    response = client.get("/speakers/sergey-lavrov/", {"topic": "election-interference"})
    assert list(response.context["page"]) == [corpus.qa2]
    response = client.get("/speakers/sergey-lavrov/", {"to": "2019-05-31"})
    assert set(response.context["page"]) == {corpus.qa1, corpus.qa2}


def test_speaker_page_query_count_is_bounded(client, corpus, django_assert_max_num_queries):
    for i in range(15):
        a = article(f"He said it was point {i} of many.", outlet_name=f"Outlet {i}")
        quote(a, f"point {i} of many", corpus.lavrov, topics=[corpus.relations, corpus.election])
    with django_assert_max_num_queries(11):  # (the quotes inside each claim: one query)
        response = client.get("/speakers/sergey-lavrov/")
    assert len(response.context["page"]) == 18 or response.context["page"].paginator.count == 18


def test_unknown_speaker_404(client, db):
    assert client.get("/speakers/nobody-at-all/").status_code == 404
