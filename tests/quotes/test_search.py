import pytest
from django.db import connection

from apps.quotes.models import Quote
from tests.factories import small_corpus

pytestmark = pytest.mark.django_db


@pytest.fixture
def corpus():
    return small_corpus()


def test_search_ranks_more_matches_first(corpus):
    found = list(Quote.objects.public().search("sanctions"))
    assert found == [corpus.qb2, corpus.qa3]


def test_search_uses_english_config_whatever_the_server_default(corpus):
    with connection.cursor() as cursor:
        cursor.execute("SET default_text_search_config = 'pg_catalog.simple'")
    # "sanction" only matches "sanctions" through english stemming.
    assert set(Quote.objects.search("sanction")) == {corpus.qa3, corpus.qb2}


def test_websearch_syntax_phrase_and_exclusion(corpus):
    assert list(Quote.objects.search('"wave of suspicions" -Washington')) == []
    assert set(Quote.objects.search('"overcome Washington"')) == {corpus.qa1, corpus.qb1}
    assert set(Quote.objects.search("suspicion -relations")) == {corpus.qa1, corpus.qb1}


def test_search_page_highlights_and_escapes(client, corpus):
    response = client.get("/search/", {"q": "nonsense"})
    html = response.content.decode()
    assert "baseless &lt;b&gt;<mark>nonsense</mark>&lt;/b&gt;" in html
    assert "<b>nonsense" not in html


def test_search_page_ranked_order_and_marks(client, corpus):
    html = client.get("/search/", {"q": "sanctions"}).content.decode()
    assert "2 quotes matching" in html
    first = html.index("new <mark>sanctions</mark> and more <mark>sanctions</mark>")
    second = html.index("<mark>sanctions</mark> would stay")
    assert first < second


@pytest.mark.parametrize(
    ("q", "expected"),
    [("sanktions", {"qa3", "qb2"}), ("Lavorv", {"qa1", "qa2", "qb1"})],
)
def test_trigram_fallback_finds_misspellings(client, corpus, q, expected):
    assert not Quote.objects.search(q).exists()
    found, fuzzy = Quote.objects.public().find_with_fallback({"q": q})
    assert fuzzy
    assert {q.pk for q in found} >= {getattr(corpus, name).pk for name in expected}
    html = client.get("/search/", {"q": q}).content.decode()
    assert "No exact match for" in html
    if q == "sanktions":
        assert "<mark>sanctions</mark>" in html


def test_filters_combine(client, corpus):
    def ids(**params):
        response = client.get("/search/", params)
        return {q.pk for q in response.context["page"]}

    assert ids(speaker="sergey-lavrov") == {corpus.qa1.pk, corpus.qa2.pk, corpus.qb1.pk}
    assert ids(speaker="sergey-lavrov", kind="partial") == {corpus.qa2.pk}
    assert ids(topic="sanctions", outlet=corpus.b.outlet_id) == {corpus.qb2.pk}
    assert ids(q="suspicion", **{"from": "2019-06-01"}) == {corpus.qb1.pk}
    assert ids(q="suspicion", to="2019-05-31") == {corpus.qa1.pk}
    Quote.objects.filter(pk=corpus.qa3.pk).update(status="confirmed")
    assert ids(status="confirmed") == {corpus.qa3.pk}
    Quote.objects.filter(pk=corpus.qb2.pk).update(status="rejected")
    assert ids(q="sanctions") == {corpus.qa3.pk}


def test_invalid_filters_are_ignored_not_fatal(client, corpus):
    response = client.get("/search/", {"q": "sanctions", "speaker": "nobody", "from": "junk"})
    assert response.status_code == 200
    assert len(response.context["page"]) == 2


def test_htmx_request_gets_only_the_results_partial(client, corpus):
    response = client.get("/search/", {"q": "sanctions"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<html" not in html and "<form" not in html
    assert "2 quotes matching" in html


def test_pagination_links_keep_the_search(client, corpus):
    from tests.factories import article, quote

    text = " ".join(f"Sentence {i} says Washington talks." for i in range(25))
    art = article(text, outlet_name="Daily Courier")
    for i in range(25):
        quote(art, f"Sentence {i} says Washington talks.", corpus.lavrov)
    response = client.get("/search/", {"q": "Washington", "speaker": "sergey-lavrov"})
    html = response.content.decode()
    assert response.context["page"].paginator.num_pages == 2
    assert 'href="?q=Washington&amp;speaker=sergey-lavrov&amp;page=2"' in html
    assert 'value="Washington"' in html
    page2 = client.get("/search/", {"q": "Washington", "speaker": "sergey-lavrov", "page": 2})
    assert len(page2.context["page"]) == 7


def test_empty_state_helps(client, corpus):
    html = client.get("/search/", {"q": "zzzzqqq"}).content.decode()
    assert "Nothing found" in html
    assert "Check the spelling" in html


def test_misspelt_words_are_corrected_from_the_words_of_quotes(client, corpus):
    from apps.quotes.models import SearchWord

    assert (
        SearchWord.objects.filter(word__in=["sanctions", "suspicions", "washington"]).count() == 3
    )
    found, correction = Quote.objects.public().find_with_fallback({"q": "sanktions"})
    assert correction.q == "sanctions"
    assert list(found) == [corpus.qb2, corpus.qa3]  # ranked, as a search for "sanctions"
    html = client.get("/search/", {"q": "sanktions"}).content.decode()
    assert "No exact match for “sanktions”; showing 2 quotes matching “sanctions”." in html


def test_a_misspelt_name_becomes_a_speaker_filter(client, corpus):
    found, correction = Quote.objects.public().find_with_fallback({"q": "Lavorv suspicion"})
    assert correction.speaker_names == ("Sergey Lavrov",)
    assert correction.q == "suspicion"
    assert set(found) == {corpus.qa1, corpus.qb1}
    html = client.get("/search/", {"q": "Lavorv"}).content.decode()
    assert "showing 3 quotes by Sergey Lavrov." in html


def test_words_like_nothing_known_find_nothing(corpus):
    found, correction = Quote.objects.public().find_with_fallback({"q": "zzzzqqq"})
    assert correction is None
    assert not found


def test_words_of_new_and_edited_quotes_become_known(corpus):
    from apps.quotes.models import SearchWord
    from tests.factories import article, quote

    art = article("Moscow denounced the ultimatum again.")
    q = quote(art, "denounced the ultimatum", corpus.lavrov)
    assert SearchWord.objects.filter(word__in=["denounced", "ultimatum"]).count() == 2
    Quote.objects.filter(pk=q.pk).update(text="Moscow denounced", start=0, end=16)
    assert SearchWord.objects.filter(word="moscow").exists()


def test_searching_within_the_newest_quotes_finds_the_same(corpus):
    public = Quote.objects.public()
    for q in ["sanctions", '"overcome Washington"', "suspicion -relations", "Minsk"]:
        assert public.ranked_ids(q, window=2) == public.ranked_ids(q), q
        assert public.ranked_ids(q, window=50) == public.ranked_ids(q), q
    assert public.ranked_ids("sanctions", 1, window=50) == [corpus.qb2.pk]


def test_result_counts_are_capped(client, corpus):
    from apps.core.paging import CappedPaginator

    paginator = CappedPaginator(Quote.objects.public().newest_first(), 2, cap=3)
    assert (paginator.count, paginator.capped, paginator.count_label) == (3, True, "3+")
    assert paginator.num_pages == 2
    exact = CappedPaginator(Quote.objects.public(), 2, cap=10)
    assert (exact.count, exact.capped, exact.count_label) == (6, False, "6")
    assert "6 quotes." in client.get("/search/").content.decode()


def test_quotes_carry_their_articles_date(corpus):
    from datetime import date

    from apps.articles.models import Article

    assert Quote.objects.get(pk=corpus.qa1.pk).published == date(2019, 5, 10)
    assert list(Quote.objects.public().newest_first())[0].article_id == corpus.b.pk
    Article.objects.filter(pk=corpus.a.pk).update(published=date(2020, 1, 1))
    moved = Quote.objects.filter(published=date(2020, 1, 1))
    assert set(moved) == {corpus.qa1, corpus.qa2, corpus.qa3, corpus.qa4}
    assert list(Quote.objects.public().newest_first())[0] == corpus.qa1
    assert list(Quote.objects.published_between(start=date(2019, 12, 1))) == list(moved)


def test_quotes_carry_their_articles_outlet(corpus):
    from apps.articles.models import Article

    assert set(Quote.objects.by_outlet(corpus.b.outlet)) == {corpus.qb1, corpus.qb2}
    Article.objects.filter(pk=corpus.a.pk).update(outlet=corpus.b.outlet)
    assert Quote.objects.by_outlet(corpus.b.outlet).count() == 6
    assert not Quote.objects.by_outlet(corpus.a.outlet).exists()


def test_a_name_or_alias_shows_the_speaker_first_then_quotes_mentioning_them(client, corpus):
    from tests.factories import article, quote

    mention = quote(
        article('Pompeo said: "Lavrov and I agreed on almost nothing today."'),
        "Lavrov and I agreed on almost nothing today.",
        corpus.pompeo,
    )
    for q in ("Sergei Lavrov", "lavrov"):
        response = client.get("/search/", {"q": q})
        assert response.context["named"] == corpus.lavrov
        found = list(response.context["page"])
        assert found[:3] == [corpus.qb1, corpus.qa1, corpus.qa2]  # his own, newest first
        assert found[3:] == [mention]  # others' quotes naming him, by any of his names
        assert "by or mentioning Sergey Lavrov" in response.content.decode()
    assert client.get("/search/", {"q": "us"}).context["named"] is None
