import re

import pytest

from tests.factories import quote, small_corpus

pytestmark = pytest.mark.django_db


@pytest.fixture
def corpus():
    return small_corpus()


def test_article_marks_every_quote_in_place(client, corpus, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):
        response = client.get(f"/articles/{corpus.a.pk}/")
    html = response.content.decode()
    for q, kind in [(corpus.qa1, "direct"), (corpus.qa2, "partial"), (corpus.qa3, "indirect")]:
        assert re.search(rf'<mark id="q{q.pk}" class="quote quote--{kind}" data-speaker="', html)
    assert 'data-speaker="Sergey Lavrov"' in html
    # Text is escaped, the quote in the list links to its place.
    assert "baseless &lt;b&gt;nonsense&lt;/b&gt;" in html
    assert "<b>nonsense" not in html
    assert f'href="#q{corpus.qa1.pk}"' in html
    # Two paragraphs, each a <p>.
    assert html.count("<p>") >= 2 and "<p>In a second paragraph" in html


def test_nested_and_overlapping_quotes_keep_html_balanced(client, corpus):
    nested = quote(corpus.a, "wave of suspicions", corpus.lavrov, kind="partial")
    html = client.get(f"/articles/{corpus.a.pk}/").content.decode()
    body = html[html.index('class="article-body"') :]
    assert body.count("<mark") == body.count("</mark>")
    # The partial quote is marked inside the quote that contains it, so its link lands on it.
    outer = body.index(f'id="q{corpus.qa1.pk}"')
    inner = body.index(f'id="q{nested.pk}"')
    assert outer < inner < body.index("</mark>", outer) + len("</mark>")
    assert f'href="#q{nested.pk}"' in html
    assert html.count(f'id="q{corpus.qa1.pk}"') == 1


def test_crossing_quotes_mark_only_the_first():
    from apps.quotes.rendering import marked_paragraphs

    class Span:
        kind, speaker_id, speaker = "partial", None, None

        def __init__(self, pk, start, end):
            self.pk, self.start, self.end = pk, start, end

        def get_kind_display(self):
            return "Partial"

    text = "He said the talks were very good today."
    html = str(marked_paragraphs(text, [Span(1, 8, 28), Span(2, 23, 38)]))
    assert html.count("<mark") == html.count("</mark>") == 1
    assert 'id="q1"' in html and 'id="q2"' not in html


def test_quote_across_paragraphs_is_split_per_paragraph(client, corpus):
    q = quote(corpus.a, "would stay.\n\nIn a second", corpus.qa3.speaker, kind="indirect")
    html = client.get(f"/articles/{corpus.a.pk}/").content.decode()
    body = html[html.index('class="article-body"') :]
    assert body.count("<mark") == body.count("</mark>")
    assert html.count(f'id="q{q.pk}"') <= 1


def test_missing_article_404(client, db):
    assert client.get("/articles/999999/").status_code == 404
