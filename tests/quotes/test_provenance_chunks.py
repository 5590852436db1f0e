"""The provenance trigger compares each quote with the chunks of 255 characters its span
stands in (migration 0026): right at, across and far from the chunks' edges."""

import hashlib

import pytest
from django.db import IntegrityError, transaction

from apps.articles.models import Article
from apps.quotes.models import Quote

pytestmark = pytest.mark.django_db


def test_spans_across_chunk_edges_are_checked_character_for_character():
    text = "".join(f"«Ünïcödé {n:04d}» — " for n in range(400))  # multibyte throughout
    article = Article.objects.create(
        text=text, title="Chunks", content_hash=hashlib.sha256(text.encode()).hexdigest()
    )
    spans = [
        (start, start + length)
        for start in (0, 1, 254, 255, 256, 509, 510, 511, 5000, len(text) - 600)
        for length in (1, 2, 254, 255, 256, 600)
    ]
    rows = [
        Quote(article=article, text=text[s:e], kind="direct", start=s, end=e, confidence=0.5)
        for s, e in dict.fromkeys(spans)
    ]
    Quote.objects.bulk_create(rows)  # one statement: every span checked at once, all right
    assert Quote.objects.count() == len(rows)
    for s, e in [(253, 258), (250, 770), (len(text) - 299, len(text))]:
        wrong = text[s + 1 : e + 1] if e < len(text) else "x" * (e - s)
        with (
            pytest.raises(IntegrityError, match="quote text is not article"),
            transaction.atomic(),
        ):
            Quote.objects.create(
                article=article, text=wrong, kind="direct", start=s, end=e, confidence=0.5
            )
