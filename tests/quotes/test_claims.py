"""Claims as the unit: a partial quote is shown inside its claim, fragments do not stand alone."""

import datetime as dt

import pytest

from apps.articles.services import article_ingest
from apps.quotes.extraction import ExtractedQuote
from apps.quotes.models import Topic
from apps.quotes.review import quote_edit, quote_reject
from apps.quotes.services import ArticleParagraphs, TopicMatcher, topics_for_span

pytestmark = pytest.mark.django_db

TEXT = (
    "Talks in Sochi\n\n"
    'Lavrov said the talks were a "step forward" in relations and that all speculation about '
    'interference in the election was "baseless," adding it was "like an adult" to talk.\n\n'
    'Pompeo said: "Prices will fall," and left.\n'
)


def _q(text, needle, kind, speaker):
    start = text.index(needle)
    return ExtractedQuote(
        start=start, end=start + len(needle), text=needle, kind=kind, speaker=speaker
    )


@pytest.fixture
def article():
    claim = (
        'the talks were a "step forward" in relations and that all speculation about '
        'interference in the election was "baseless,"'
    )
    extracted = [
        _q(TEXT, claim, "indirect", "Sergey Lavrov"),
        _q(TEXT, "step forward", "partial", "Sergey Lavrov"),
        _q(TEXT, "baseless,", "partial", "Sergey Lavrov"),
        _q(TEXT, "like an adult", "partial", "Sergey Lavrov"),
        _q(TEXT, "Prices will fall,", "direct", "Mike Pompeo"),
    ]
    return article_ingest(
        text=TEXT, title="Talks", published=dt.date(2019, 5, 14), extracted=extracted
    ).article


def test_every_quote_knows_the_claim_it_stands_inside(article):
    claim = article.quotes.get(kind="indirect")
    parts = article.quotes.filter(part_of=claim)
    assert set(parts.values_list("text", flat=True)) == {"step forward", "baseless,"}
    assert article.quotes.get(text="like an adult").part_of is None
    assert claim.part_of is None


def test_a_speaker_page_lists_the_claim_once_with_its_quoted_words_marked(client, article):
    response = client.get("/speakers/sergey-lavrov/")
    listed = list(response.context["page"])
    claim = article.quotes.get(kind="indirect")
    assert listed == [claim]  # not its partials again, not the lone fragment
    html = response.content.decode()
    assert '<mark class="quote-part">step forward</mark>' in html
    assert '<mark class="quote-part">baseless</mark>' in html
    assert "like an adult" not in html
    assert "<title>May 2019: 1</title>" in html  # counts claims, not fragments
    # The article page still shows every quote, the fragment too.
    page = client.get(f"/articles/{article.pk}/").content.decode()
    assert "like an adult" in page


def test_a_partial_is_listed_alone_only_when_no_public_claim_encloses_it(client):
    text = 'Visit\n\nLavrov said the visit was "a real step forward for both sides" overall.\n'
    claim_text = 'the visit was "a real step forward for both sides" overall'
    article = article_ingest(
        text=text,
        title="Visit",
        extracted=[
            _q(text, claim_text, "indirect", "Sergey Lavrov"),
            _q(text, "a real step forward for both sides", "partial", "Sergey Lavrov"),
        ],
    ).article
    claim = article.quotes.get(kind="indirect")
    assert list(client.get("/speakers/sergey-lavrov/").context["page"]) == [claim]
    quote_reject(quote=claim)
    listed = list(client.get("/speakers/sergey-lavrov/").context["page"])
    assert [q.text for q in listed] == ["a real step forward for both sides"]
    claim.refresh_from_db()
    quote_edit(
        quote=claim,
        speaker=claim.speaker,
        kind=claim.kind,
        start=claim.start,
        end=claim.end,
        status="confirmed",
    )
    assert list(client.get("/speakers/sergey-lavrov/").context["page"]) == [claim]


def test_the_displayed_quote_drops_the_comma_inside_the_marks(client, article):
    direct = article.quotes.get(kind="direct")
    assert direct.text == "Prices will fall," and direct.display_text == "Prices will fall"
    html = client.get("/speakers/mike-pompeo/").content.decode()
    assert "<p>Prices will fall</p>" in html
    assert "Prices will fall,</p>" not in html
    detail = client.get(f"/quotes/{direct.pk}/").content.decode()
    assert "<p>Prices will fall</p>" in detail


def test_a_quote_inside_a_claim_links_to_it(client, article):
    part = article.quotes.get(text="step forward")
    html = client.get(f"/quotes/{part.pk}/").content.decode()
    assert f'href="/quotes/{part.part_of_id}/"' in html


def test_a_topic_page_puts_claims_naming_the_topic_first(client):
    election = Topic.objects.get(slug="election-interference")
    text = (
        "Meddling\n\n"
        'Lavrov said relations had suffered "because of the election" last year.\n\n'
        "Lavrov said all speculation about interference and meddling in the election was "
        "baseless.\n"
    )
    vague = '"because of the election" last year'
    strong = "all speculation about interference and meddling in the election was baseless"
    article_ingest(
        text=text,
        title="Meddling",
        published=dt.date(2019, 5, 14),
        extracted=[
            _q(text, "relations had suffered " + vague, "indirect", "Sergey Lavrov"),
            _q(text, strong, "indirect", "Sergey Lavrov"),
        ],
    )
    groups = client.get(f"/topics/{election.slug}/").context["page"]
    texts = [q.text for q in groups[0].quotes]
    assert texts[0] == strong  # names the topic three times, the other once


def test_topics_come_from_the_quotes_own_words_before_its_paragraph():
    matcher = TopicMatcher()
    text = (
        "Syria and sanctions\n\n"
        "On Syria, Lavrov said sanctions were pointless and that it was fine.\n"
    )
    own = text.index("sanctions were pointless")
    assert [t.slug for t in topics_for_span(matcher, text, own, own + 24)] == ["sanctions"]
    vague = text.index("it was fine")
    assert {t.slug for t in topics_for_span(matcher, text, vague, vague + 11)} == {
        "sanctions",
        "syria",
    }


def test_a_broad_topic_is_not_inherited_from_a_paragraph_naming_a_narrower_one():
    matcher = TopicMatcher()
    text = "Talks\n\nAt the summit on Syria, Lavrov said it was fine.\n"
    vague = text.index("it was fine")
    assert [t.slug for t in topics_for_span(matcher, text, vague, vague + 11)] == ["syria"]
    alone = "Talks\n\nAfter the summit, Lavrov said it was fine.\n"
    vague = alone.index("it was fine")
    assert [t.slug for t in topics_for_span(matcher, alone, vague, vague + 11)] == [
        "bilateral-relations"
    ]


def test_a_paragraph_is_matched_once_however_many_quotes_stand_in_it(monkeypatch):
    matcher = TopicMatcher()
    text = "Title\n" + " ".join(f"He said it was point {i}." for i in range(2000)) + " Syria.\n"
    lowered = []
    original = str.lower

    class Counting(str):
        def lower(self):
            lowered.append(len(self))
            return original(self)

    paragraphs = ArticleParagraphs(Counting(text))
    spans = [(m, m + 5) for m in range(10, len(text) - 20, 997)]
    for start, end in spans:
        topics_for_span(matcher, text, start, end, paragraphs=paragraphs)
    assert len(spans) > 50
    assert sum(n > 1000 for n in lowered) <= 1  # the long paragraph lowercased once


def test_head_is_answered_on_every_page(client, article):
    for url in [
        "/",
        "/search/?q=talks",
        "/speakers/",
        "/speakers/sergey-lavrov/",
        "/topics/",
        "/topics/bilateral-relations/",
        "/outlets/",
        "/articles/",
        f"/articles/{article.pk}/",
        f"/quotes/{article.quotes.first().pk}/",
        "/compare/",
    ]:
        assert client.head(url).status_code == 200, url
