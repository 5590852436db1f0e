"""Editorial decisions on quotes: confirm, reject, reassign, fix the span, bulk."""

import pytest
from django.core.exceptions import ValidationError

from apps.quotes.models import Quote, Report, Statement
from apps.quotes.review import (
    confidence_band,
    quote_confirm,
    quote_edit,
    quote_reassign,
    quote_reject,
    quote_span_fix,
    quotes_bulk_confirm,
    quotes_bulk_reassign,
)
from tests.editorial import make_article, make_quote, make_speaker, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def article():
    return make_article()


@pytest.fixture
def editor():
    return make_user("edith", groups=["editors"])


def test_confirm_keeps_the_speaker_records_the_editor_and_resolves_reports(article, editor):
    ivana = make_speaker("Ivana Testerova")
    quote = make_quote(article, "We are not going to give up,", speaker=ivana)
    Report.objects.create(quote=quote, message="Wrong person?")

    quote_confirm(quote=quote, user=editor)

    quote.refresh_from_db()
    assert quote.status == Quote.Status.CONFIRMED
    assert quote.speaker == ivana
    latest = quote.history.first()
    assert latest.history_user == editor
    assert latest.history_change_reason == "Confirmed"
    assert latest.history_type == "~"
    assert not Report.objects.filter(quote=quote, resolved=False).exists()


def test_reject_marks_the_quote_rejected_and_hides_it_from_public_reads(article, editor):
    quote = make_quote(article, "Talks in Geneva ended without a deal")
    quote_reject(quote=quote, user=editor)
    quote.refresh_from_db()
    assert quote.status == Quote.Status.REJECTED
    assert quote.history.first().history_user == editor
    assert quote not in Quote.objects.public()


def test_reassign_moves_the_quote_and_marks_it_corrected(article, editor):
    ivana = make_speaker("Ivana Testerova")
    marco = make_speaker("Marco Examplo")
    quote = make_quote(
        article, "Nothing is agreed until everything is agreed,", speaker=ivana, confidence=0.3
    )

    quote_reassign(quote=quote, speaker=marco, user=editor)

    quote.refresh_from_db()
    assert quote.speaker == marco
    assert quote.status == Quote.Status.CORRECTED
    before, after = quote.history.all()[1], quote.history.all()[0]
    assert before.speaker_id == ivana.pk and after.speaker_id == marco.pk
    assert after.history_user == editor
    assert "Marco Examplo" in after.history_change_reason
    assert list(marco.quotes.all()) == [quote]
    assert not ivana.quotes.exists()


def test_reassign_to_the_same_speaker_is_a_confirmation(article):
    ivana = make_speaker("Ivana Testerova")
    quote = make_quote(article, "We are not going to give up,", speaker=ivana)
    quote_reassign(quote=quote, speaker=ivana)
    quote.refresh_from_db()
    assert quote.status == Quote.Status.CONFIRMED


def test_reassign_updates_the_statement_conflict_flag(editor):
    ivana = make_speaker("Ivana Testerova")
    marco = make_speaker("Marco Examplo")
    statement = Statement.objects.create(text="We are not going to give up", speaker=ivana)
    first = make_quote(
        make_article(), "We are not going to give up,", speaker=ivana, statement=statement
    )
    second = make_quote(
        make_article(outlet="Other Post"),
        "We are not going to give up,",
        speaker=marco,
        statement=statement,
    )
    quote_reassign(quote=first, speaker=marco, user=editor)
    statement.refresh_from_db()
    assert statement.has_conflict is False
    quote_reassign(quote=second, speaker=ivana, user=editor)
    statement.refresh_from_db()
    assert statement.has_conflict is True


def test_span_fix_reslices_the_text_from_the_article(article, editor):
    quote = make_quote(article, "hindered by a wave")
    start = article.text.index("hindered by a wave of suspicion")
    end = start + len("hindered by a wave of suspicion")

    quote_span_fix(quote=quote, start=start, end=end, user=editor)

    quote.refresh_from_db()
    assert quote.text == "hindered by a wave of suspicion"
    assert quote.text == article.text[quote.start : quote.end]
    assert quote.status == Quote.Status.CORRECTED
    assert quote.history.first().history_user == editor


@pytest.mark.parametrize(
    "span",
    [(-1, 5), (10, 10), (20, 10), (0, 10_000)],
    ids=["negative", "empty", "reversed", "past-the-end"],
)
def test_span_fix_refuses_spans_outside_the_article(article, span):
    quote = make_quote(article, "hindered by a wave")
    with pytest.raises(ValidationError):
        quote_span_fix(quote=quote, start=span[0], end=span[1])
    quote.refresh_from_db()
    assert quote.text == "hindered by a wave"
    assert quote.status == Quote.Status.MACHINE


def test_span_fix_refuses_a_span_another_quote_has(article):
    taken = make_quote(article, "We are not going to give up,")
    quote = make_quote(article, "hindered by a wave")
    with pytest.raises(ValidationError):
        quote_span_fix(quote=quote, start=taken.start, end=taken.end)


def test_edit_changing_the_kind_makes_a_machine_quote_corrected(article, editor):
    quote = make_quote(article, "hindered by a wave of suspicion")
    quote_edit(
        quote=quote,
        speaker=None,
        kind=Quote.Kind.PARTIAL,
        start=quote.start,
        end=quote.end,
        status=Quote.Status.MACHINE,
        user=editor,
    )
    quote.refresh_from_db()
    assert (quote.kind, quote.status) == (Quote.Kind.PARTIAL, Quote.Status.CORRECTED)


def test_bulk_actions_record_a_history_row_per_quote(article, editor):
    marco = make_speaker("Marco Examplo")
    quotes = [
        make_quote(article, "We are not going to give up,"),
        make_quote(article, "Nothing is agreed until everything is agreed,"),
    ]
    assert quotes_bulk_reassign(quotes=Quote.objects.all(), speaker=marco, user=editor) == 2
    assert set(Quote.objects.values_list("speaker", flat=True)) == {marco.pk}
    assert quotes_bulk_confirm(quotes=Quote.objects.all(), user=editor) == 2
    assert set(Quote.objects.values_list("status", flat=True)) == {Quote.Status.CONFIRMED}
    for quote in quotes:
        assert [h.history_user for h in quote.history.all()[:2]] == [editor, editor]


@pytest.mark.parametrize(
    ("value", "band"), [(0.0, "low"), (0.49, "low"), (0.5, "medium"), (0.8, "high"), (1.0, "high")]
)
def test_confidence_bands(value, band):
    assert confidence_band(value) == band
