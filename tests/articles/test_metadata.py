"""Bylines, datelines and publication lines fill what no manifest or page metadata gave."""

import datetime as dt

import pytest

from apps.articles.metadata import TextMetadata, metadata_from_text
from apps.articles.services import article_ingest


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Grain deal talks stall\nBy Elena Marsh, Reuters / Vienna, 14 March 2024\n\nBody.",
            TextMetadata("Elena Marsh", "Reuters", "Vienna", dt.date(2024, 3, 14)),
        ),
        (
            "Bridge reopens\n\nPRAGUE, 4 April 2024 — The mayor said the bridge was safe.",
            TextMetadata(place="Prague", published=dt.date(2024, 4, 4)),
        ),
        (
            "Pompeo to visit Sochi\n\n10 May, 2019 12:08 / Updated 6 years ago\n\nBody.",
            TextMetadata(published=dt.date(2019, 5, 10)),
        ),
        (
            "Ports\nBy Jan Novak and Eva Svobodova\nMOSCOW (Reuters) - The ministry said on Monday",
            TextMetadata("Jan Novak and Eva Svobodova", "Reuters", "Moscow"),
        ),
        (
            "Budget\nBy Ann Lee, Staff Writer\nWASHINGTON, May 3, 2024 (AP) — Officials said",
            TextMetadata("Ann Lee", "AP", "Washington", dt.date(2024, 5, 3)),
        ),
        (
            "Rates\nBy Jane Doe, Associated Press\nPublished: 2024-05-03 10:00\nBody.",
            TextMetadata("Jane Doe", "Associated Press", "", dt.date(2024, 5, 3)),
        ),
    ],
)
def test_bylines_datelines_and_publication_lines(text, expected):
    assert metadata_from_text(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "US — Russia relations: a new start?\nBy and large, nothing changed, he said.",
        "Why by-elections matter\nThe May 4, 2020 meeting was held in Paris.",
        "Calendar\nPublished: 31 February 2020\nNo such day.",
        "Notes\nBy the end of May, 2019 prices had fallen.",
    ],
)
def test_nothing_is_guessed_from_ordinary_sentences(text):
    assert metadata_from_text(text) == TextMetadata()


@pytest.mark.django_db
def test_ingest_fills_only_what_the_caller_left_blank():
    text = "Grain deal talks stall\nBy Elena Marsh, Reuters / Vienna, 14 March 2024\n\nBody.\n"
    article = article_ingest(text=text, extracted=[]).article
    assert (article.outlet.name, article.author, article.place, article.published) == (
        "Reuters",
        "Elena Marsh",
        "Vienna",
        dt.date(2024, 3, 14),
    )
    other = text.replace("Body.", "Another body.")
    given = article_ingest(
        text=other, outlet="Daily Courier", published=dt.date(2024, 3, 15), extracted=[]
    ).article
    assert (given.outlet.name, given.published, given.author) == (
        "Daily Courier",
        dt.date(2024, 3, 15),
        "Elena Marsh",
    )


@pytest.mark.django_db
def test_an_undated_article_says_date_unknown(client):
    article = article_ingest(text="No date here\n\nJust words.\n", extracted=[]).article
    assert article.published is None
    html = client.get(f"/articles/{article.pk}/").content.decode()
    assert "date unknown" in html
