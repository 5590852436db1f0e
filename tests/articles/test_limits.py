"""Limits: storing stays linear in the article's length, and the per-article budget refuses an
article whole, with its reason, while the others land."""

import io
import re
import time

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction

from apps.articles import shapes
from apps.articles.models import Article
from apps.articles.services import ArticleRefused, article_ingest
from apps.quotes.extraction import ExtractedQuote
from apps.quotes.models import Quote
from apps.quotes.services import TopicMatcher

pytestmark = pytest.mark.django_db

QUOTED = re.compile(r"“([^”]+)”")


def machine_quotes(text: str) -> list[ExtractedQuote]:
    """What the engine would find in a synthetic article, without running it (fast)."""
    found = []
    for n, m in enumerate(QUOTED.finditer(text)):
        found.append(
            ExtractedQuote(
                start=m.start(1),
                end=m.end(1),
                text=m.group(1),
                kind="direct",
                speaker=shapes.SPEAKERS[n % len(shapes.SPEAKERS)],
                confidence=0.9,
            )
        )
    return found


def without_topics(text: str) -> str:
    """The article with no word any topic is matched on, so each quote's topics are looked for
    in its whole paragraph: the step that was quadratic on a one-paragraph article."""
    for word in (*shapes.TOPICS, "talks", "meeting"):
        text = text.replace(word, "zorblax")
    return text


@pytest.mark.parametrize("shape", ["paragraph", "quotes"])
def test_storing_a_long_article_is_linear_not_quadratic(shape):
    """Storing was quadratic: 128 KB in one paragraph took 22 s, 512 KB 358 s. Every step of
    storing (provenance check, statements, topics) now reads the text a bounded number of
    times, so 512 KB with thousands of quotes stores in seconds."""
    text = without_topics(shapes.article(shape, 512 * 1024))
    assert not TopicMatcher().match(text[:20_000])  # the paragraph fallback is what is timed
    quotes = machine_quotes(text)
    assert len(quotes) > 2000
    started = time.perf_counter()
    result = article_ingest(text=text, source=f"limits/{shape}", extracted=quotes)
    elapsed = time.perf_counter() - started
    assert result.quotes == len(quotes) == Quote.objects.filter(article=result.article).count()
    assert elapsed < 40, f"storing took {elapsed:.1f} s"


def test_an_article_over_the_quote_budget_is_refused_whole_and_the_others_land(tmp_path, settings):
    settings.ARTICLE_MAX_QUOTES = 3
    many = "Many\n\n" + "\n\n".join(f"“Point {n} stands,” Lavrov said." for n in range(6))
    (tmp_path / "a_many.txt").write_text(many, encoding="utf-8")
    (tmp_path / "b_good.txt").write_text(
        "Talks ended\n\n“We will talk again,” Sergey Lavrov said on Friday.\n", encoding="utf-8"
    )
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError):
        call_command("ingest", str(tmp_path), "--no-progress", stdout=out, stderr=err)
    assert "stored 1, unchanged 0, updated 0, failed 1" in out.getvalue()
    assert re.search(
        r"a_many.txt: refused: 6 quoted passages, more than the per-article budget of 3",
        err.getvalue(),
    )
    assert list(Article.objects.values_list("title", flat=True)) == ["Talks ended"]


def test_the_budget_is_checked_before_anything_is_stored(settings):
    settings.ARTICLE_MAX_QUOTES = 1
    text = "“One,” he said. “Two,” she said."
    with pytest.raises(ArticleRefused):
        article_ingest(text=text, extracted=machine_quotes(text))
    assert not Article.objects.exists()


def test_provenance_is_still_enforced_far_into_a_long_multibyte_article():
    text = shapes.article("quotes", 300 * 1024)  # curly quotes: several bytes a character
    article = article_ingest(text=text, extracted=machine_quotes(text)).article
    last = Quote.objects.filter(article=article).order_by("-start").first()
    assert last.start > 200_000
    shifted = {"article": article, "kind": "direct", "confidence": 0.5}
    shifted.update(start=last.start + 1, end=last.end + 1)
    with pytest.raises(IntegrityError, match="quote text is not article"), transaction.atomic():
        Quote.objects.create(text=last.text, **shifted)  # one character off
    right = text[last.start + 1 : last.end + 1]
    assert Quote.objects.create(text=right, **shifted).pk


def test_an_article_over_the_time_budget_is_refused_whole_and_the_others_land(tmp_path, settings):
    """A huge article stops within one parser batch of the budget (it used to hold ingestion
    for hours); a short one is parsed in one batch, which always starts, so it lands."""
    settings.ARTICLE_MAX_SECONDS = 0.5
    (tmp_path / "a_huge.txt").write_text(shapes.article("paragraph", 512 * 1024), encoding="utf-8")
    (tmp_path / "b_good.txt").write_text(
        "Talks ended\n\n“We will talk again,” Sergey Lavrov said on Friday.\n", encoding="utf-8"
    )
    out, err = io.StringIO(), io.StringIO()
    started = time.perf_counter()
    with pytest.raises(CommandError):
        call_command("ingest", str(tmp_path), "--no-progress", stdout=out, stderr=err)
    assert time.perf_counter() - started < 60  # the whole 512 KB takes minutes to parse
    assert "stored 1, unchanged 0, updated 0, failed 1" in out.getvalue()
    assert re.search(
        r"a_huge.txt: extraction failed: refused: over the time budget of 0.5 s per article "
        r"\(QT_ARTICLE_MAX_SECONDS\); nothing of it was stored",
        err.getvalue(),
    )
    assert list(Article.objects.values_list("title", flat=True)) == ["Talks ended"]
