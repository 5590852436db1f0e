import pytest

from tests.factories import article, quote, small_corpus, speaker, statement

pytestmark = pytest.mark.django_db


@pytest.fixture
def corpus():
    return small_corpus()


def test_home_shows_counts_speakers_latest_and_topics(
    client, corpus, django_assert_max_num_queries
):
    with django_assert_max_num_queries(9):
        response = client.get("/")
    html = response.content.decode()
    assert response.context["counts"] == {"articles": 2, "outlets": 2, "speakers": 2, "quotes": 6}
    assert [s.name for s in response.context["top_speakers"]] == ["Mike Pompeo", "Sergey Lavrov"]
    assert 'href="/speakers/sergey-lavrov/"' in html
    assert 'href="/topics/sanctions/"' in html
    assert 'action="/search/"' in html


def test_compare_shows_versions_side_by_side_with_word_diff(client, corpus):
    html = client.get("/compare/").content.decode()
    assert "Example Times" in html and "Daily Courier" in html
    # The later version drops "suspicions that have" and adds "suspicion that has".
    assert ">suspicions</del> <ins" in html and ">suspicion</ins> that <del" in html
    assert ">have</del> <ins" in html and ">has</ins> overcome Washington" in html


def test_compare_puts_conflicts_first_and_flags_them(client, corpus):
    other = speaker("Yury Ushakov")
    c = article("Ushakov said sanctions would stay, he said.", outlet_name="Third Post")
    conflict = statement(corpus.qa3, quote(c, "sanctions would stay", other), has_conflict=True)
    response = client.get("/compare/")
    statements = list(response.context["page"])
    assert statements[0] == conflict
    assert statements[1] == corpus.wave
    html = response.content.decode()
    assert "Conflicting attribution" in html
    assert html.index("Yury Ushakov") < html.index("overcome Washington")


def test_compare_filter_by_speaker(client, corpus):
    response = client.get("/compare/", {"speaker": "mike-pompeo"})
    assert list(response.context["page"]) == []
    response = client.get("/compare/", {"speaker": "sergey-lavrov"})
    assert list(response.context["page"]) == [corpus.wave]


def test_compare_query_count_does_not_grow(client, corpus, django_assert_max_num_queries):
    for i in range(5):
        a = article(f"Words number {i} here. Again words number {i} here.", outlet_name=f"O{i}")
        b = article(f"Echo of words number {i} here.", outlet_name=f"P{i}")
        statement(
            quote(a, f"words number {i} here", corpus.lavrov),
            quote(b, f"words number {i} here", corpus.lavrov),
        )
    with django_assert_max_num_queries(4):
        response = client.get("/compare/")
    assert len(response.context["page"]) == 6
