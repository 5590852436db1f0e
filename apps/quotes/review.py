"""Editorial decisions on quotes: confirm, reject, reassign, fix the span.

Every decision is a service (HackSoft style) so the admin, its actions and the review queue stay
thin. Each records who made it in the quote's history (django-simple-history) with a reason, and
resolves the readers' open reports on that quote: an editor has now looked at it.

A decision sets the review status to confirmed, corrected or rejected; ingestion keeps quotes in
those states when an article is re-extracted, so the decision survives.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction

from apps.quotes.models import Quote, Report, Statement

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

    from apps.speakers.models import Speaker

# Confidence bands shown in the admin and used by its filter: (key, label, low, high).
CONFIDENCE_BANDS = (
    ("low", "Low (< 0.5)", 0.0, 0.5),
    ("medium", "Medium (0.5–0.8)", 0.5, 0.8),
    ("high", "High (≥ 0.8)", 0.8, 1.01),
)


def confidence_band(confidence: float) -> str:
    for key, _label, low, high in CONFIDENCE_BANDS:
        if low <= confidence < high:
            return key
    return "high"


def _save(quote: Quote, *, user: AbstractBaseUser | None, reason: str) -> None:
    """Save with the editor and the reason recorded in the historical row."""
    if user is not None:
        quote._history_user = user
    quote._change_reason = reason
    quote.needs_another_look = False  # an editor has looked again
    quote.full_clean(exclude=["article", "speaker", "statement", "topics"])
    quote.save()


def _resolve_reports(quote: Quote) -> None:
    Report.objects.filter(quote=quote, resolved=False).update(resolved=True)


def statement_refresh_conflict(*, statement: Statement | None) -> None:
    """Recompute the statement's speaker and conflict flag after an attribution changed."""
    if statement is not None:
        # Imported here: the ingestion services pull in the extraction engine's modules.
        from apps.quotes.services import statement_refresh

        statement_refresh(statement=statement)


def _statement_relink(quote: Quote) -> None:
    """After an editor changed the quote's speaker or words: link it to the versions that match
    it now, and refresh the statement it left (pruned if fewer than two articles remain)."""
    # Imported here: the ingestion services pull in the extraction engine's modules.
    from apps.quotes.services import statement_link, statements_prune

    old_id = quote.statement_id
    if old_id is not None:
        Quote.objects.filter(pk=quote.pk).update(statement=None)
        quote.statement = None
    statement = statement_link(quote=quote)
    if old_id is not None and (statement is None or statement.pk != old_id):
        statement_refresh_conflict(statement=Statement.objects.filter(pk=old_id).first())
        statements_prune(ids=[old_id])


def _parts_relink(quote: Quote) -> None:
    """The quotes of its article re-learn which claim they stand inside: a rejected claim no
    longer holds its partials (they are listed alone again), a moved span holds others."""
    from apps.quotes.services import quotes_link_parts

    quotes_link_parts(article_ids=[quote.article_id])


def _locked(quote: Quote) -> Quote:
    return Quote.objects.select_for_update().select_related("article").get(pk=quote.pk)


@transaction.atomic
def quote_confirm(*, quote: Quote, user: AbstractBaseUser | None = None) -> Quote:
    """The machine's attribution is right: keep it as it is."""
    quote = _locked(quote)
    quote.status = Quote.Status.CONFIRMED
    _save(quote, user=user, reason="Confirmed")
    _resolve_reports(quote)
    return quote


@transaction.atomic
def quote_reject(*, quote: Quote, user: AbstractBaseUser | None = None) -> Quote:
    """Not a quote at all: public pages hide it and re-extraction will not bring it back."""
    quote = _locked(quote)
    quote.status = Quote.Status.REJECTED
    _save(quote, user=user, reason="Rejected as not a quote")
    _resolve_reports(quote)
    statement_refresh_conflict(statement=quote.statement)
    _parts_relink(quote)
    return quote


@transaction.atomic
def quote_reassign(
    *, quote: Quote, speaker: Speaker | None, user: AbstractBaseUser | None = None
) -> Quote:
    """Attribute the quote to another speaker (or to nobody). Same speaker counts as a confirm."""
    quote = _locked(quote)
    reassigned = quote.speaker_id != (speaker.pk if speaker else None)
    if not reassigned:
        quote.status = Quote.Status.CONFIRMED
        reason = "Confirmed"
    else:
        quote.speaker = speaker
        quote.status = Quote.Status.CORRECTED
        reason = f"Reassigned to {speaker}" if speaker else "Speaker removed"
    _save(quote, user=user, reason=reason)
    _resolve_reports(quote)
    if reassigned:
        _statement_relink(quote)
    else:
        statement_refresh_conflict(statement=quote.statement)
    return quote


def quote_span_validate(*, quote: Quote, start: int, end: int) -> None:
    """Raise ValidationError unless ``start:end`` is a fresh, non-blank span of the article."""
    length = len(quote.article.text)
    if not (0 <= start < end <= length):
        raise ValidationError(
            f"The span must satisfy 0 ≤ start < end ≤ {length} (the article's length).",
            code="invalid_span",
        )
    if not quote.article.text[start:end].strip():
        raise ValidationError("The span holds only white space.", code="blank_span")
    clash = Quote.objects.filter(article_id=quote.article_id, start=start, end=end).exclude(
        pk=quote.pk
    )
    if clash.exists():
        raise ValidationError("Another quote already has exactly this span.", code="span_taken")


@transaction.atomic
def quote_span_fix(
    *, quote: Quote, start: int, end: int, user: AbstractBaseUser | None = None
) -> Quote:
    """Move the quote's span; its text is re-sliced so it stays the article's exact characters."""
    quote = _locked(quote)
    quote_span_validate(quote=quote, start=start, end=end)
    if (quote.start, quote.end) == (start, end):
        return quote
    quote.start, quote.end = start, end
    quote.text = quote.article.text[start:end]
    quote.status = Quote.Status.CORRECTED
    _save(quote, user=user, reason=f"Span fixed to {start}:{end}")
    _resolve_reports(quote)
    _statement_relink(quote)
    _parts_relink(quote)
    return quote


@transaction.atomic
def quote_edit(
    *,
    quote: Quote,
    speaker: Speaker | None,
    kind: str,
    start: int,
    end: int,
    status: str,
    user: AbstractBaseUser | None = None,
) -> Quote:
    """Apply an editor's change form in one go.

    The text is always re-sliced from the article. Changing the speaker, the kind or the span makes
    the quote corrected unless the editor chose rejected (or corrected) explicitly.
    """
    quote = _locked(quote)
    quote_span_validate(quote=quote, start=start, end=end)
    if kind not in Quote.Kind.values:
        raise ValidationError(f"Unknown kind {kind!r}.", code="invalid_kind")
    if status not in Quote.Status.values:
        raise ValidationError(f"Unknown status {status!r}.", code="invalid_status")
    new_speaker = quote.speaker_id != (speaker.pk if speaker else None)
    new_span = (quote.start, quote.end) != (start, end)
    changed = []
    if new_speaker:
        changed.append(f"speaker → {speaker or 'nobody'}")
    if quote.kind != kind:
        changed.append(f"kind → {kind}")
    if new_span:
        changed.append(f"span → {start}:{end}")
    status_changed = quote.status != status
    if not changed and not status_changed:
        return quote
    quote.speaker, quote.kind = speaker, kind
    quote.start, quote.end = start, end
    quote.text = quote.article.text[start:end]
    if changed and status in (Quote.Status.MACHINE, Quote.Status.CONFIRMED):
        status = Quote.Status.CORRECTED
    quote.status = status
    reason = "; ".join(changed + ([f"status → {status}"] if status_changed or changed else []))
    _save(quote, user=user, reason=f"Edited: {reason}")
    if quote.status != Quote.Status.MACHINE:
        _resolve_reports(quote)
    if new_speaker or new_span:  # other words or another speaker: maybe another statement
        _statement_relink(quote)
    else:
        statement_refresh_conflict(statement=quote.statement)
    if new_span or status_changed:
        _parts_relink(quote)
    return quote


@transaction.atomic
def quotes_bulk_confirm(*, quotes: Iterable[Quote], user: AbstractBaseUser | None = None) -> int:
    count = 0
    for quote in quotes:
        quote_confirm(quote=quote, user=user)
        count += 1
    return count


@transaction.atomic
def quotes_bulk_reject(*, quotes: Iterable[Quote], user: AbstractBaseUser | None = None) -> int:
    count = 0
    for quote in quotes:
        quote_reject(quote=quote, user=user)
        count += 1
    return count


@transaction.atomic
def quotes_bulk_reassign(
    *, quotes: Iterable[Quote], speaker: Speaker | None, user: AbstractBaseUser | None = None
) -> int:
    count = 0
    for quote in quotes:
        quote_reassign(quote=quote, speaker=speaker, user=user)
        count += 1
    return count


@transaction.atomic
def reports_resolve(*, reports: Iterable[Report]) -> int:
    ids = [report.pk for report in reports]
    return Report.objects.filter(pk__in=ids, resolved=False).update(resolved=True)
