"""Editorial services on speakers: learn an alias, merge two speakers into one."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction

from apps.quotes.extraction.names import normalise_name
from apps.speakers.identity import surname_key
from apps.speakers.models import Speaker, SpeakerAlias, SpeakerRedirect

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

# Fields copied from the merged speaker when the surviving one has them blank.
_PROFILE_FIELDS = ("role", "organisation", "country", "description")


def _record(obj, *, user: AbstractBaseUser | None, reason: str) -> None:
    if user is not None:
        obj._history_user = user
    obj._change_reason = reason


@transaction.atomic
def speaker_alias_add(
    *, speaker: Speaker, name: str, user: AbstractBaseUser | None = None
) -> SpeakerAlias:
    """Teach the registry a spelling; the next extraction resolves it to this speaker.

    Idempotent for the same speaker; refuses a spelling that already names someone else.
    """
    name = " ".join(name.split())
    normalised = normalise_name(name)
    if not normalised:
        raise ValidationError("An alias needs at least one letter or digit.", code="blank")
    existing = SpeakerAlias.objects.select_related("speaker").filter(normalised=normalised).first()
    if existing is not None:
        if existing.speaker_id == speaker.pk:
            return existing
        raise ValidationError(
            f"“{name}” is already an alias of {existing.speaker}.", code="alias_taken"
        )
    alias = SpeakerAlias(speaker=speaker, name=name, normalised=normalised)
    _record(alias, user=user, reason=f"Alias added to {speaker}")
    alias.save()
    return alias


@transaction.atomic
def speaker_merge(
    *, source: Speaker, target: Speaker, user: AbstractBaseUser | None = None
) -> Speaker:
    """Merge ``source`` into ``target`` and delete ``source``.

    Its quotes, aliases and statements move to ``target``; its name becomes an alias of
    ``target``; blank profile fields of ``target`` are filled from ``source``; its address
    redirects to ``target``'s. Every moved row is saved one by one so the history records who
    merged what, and ``target``'s own history records the merge.
    """
    if source.pk == target.pk:
        raise ValidationError("A speaker cannot be merged into itself.", code="same_speaker")
    # Lock both rows in a stable order so two merges cannot interleave.
    locked = {
        s.pk: s for s in Speaker.objects.select_for_update().filter(pk__in=[source.pk, target.pk])
    }
    if len(locked) != 2:
        raise ValidationError("One of the speakers no longer exists.", code="missing")
    source, target = locked[source.pk], locked[target.pk]
    reason = f"Merged {source} (#{source.pk}) into {target} (#{target.pk})"

    # Imported here: apps.quotes depends on apps.speakers, not the other way round.
    from apps.quotes.models import Quote, Statement
    from apps.quotes.review import statement_refresh_conflict

    for quote in Quote.objects.select_for_update().filter(speaker=source):
        quote.speaker = target
        _record(quote, user=user, reason=reason)
        quote.save(update_fields=["speaker", "updated_at"])

    for alias in SpeakerAlias.objects.select_for_update().filter(speaker=source):
        alias.speaker = target
        _record(alias, user=user, reason=reason)
        alias.save(update_fields=["speaker"])

    statements = list(Statement.objects.select_for_update().filter(speaker=source))
    for statement in statements:
        statement.speaker = target
        statement.save(update_fields=["speaker", "updated_at"])
    for statement in Statement.objects.filter(quotes__speaker=target).distinct():
        statement_refresh_conflict(statement=statement)

    for field in _PROFILE_FIELDS:
        if not getattr(target, field) and getattr(source, field):
            setattr(target, field, getattr(source, field))
    if not target.role_stated_on and target.role == source.role:
        target.role_stated_on = source.role_stated_on
    if not target.wikidata_id and source.wikidata_id:
        target.wikidata_id, source.wikidata_id = source.wikidata_id, ""
        source.save(update_fields=["wikidata_id"])  # the unique QID moves with the merge
    target.surname = surname_key(target.name, target.kind)
    _record(target, user=user, reason=reason)
    target.save()  # always: the kept speaker's history shows the merge

    SpeakerRedirect.objects.filter(speaker=source).update(speaker=target)
    SpeakerRedirect.objects.update_or_create(old_slug=source.slug, defaults={"speaker": target})
    SpeakerRedirect.objects.filter(old_slug=target.slug).delete()

    source_name = source.name
    _record(source, user=user, reason=reason)
    source.delete()
    # After the delete, so the alias cannot clash with one of the source's own.
    if not SpeakerAlias.objects.filter(normalised=normalise_name(source_name)).exists():
        speaker_alias_add(speaker=target, name=source_name, user=user)
    return target


def speaker_to_keep(speakers: list[Speaker]) -> Speaker:
    """Of speakers about to be merged, the one to keep: the most quoted (``quote_count``
    annotated, else counted), the oldest on a tie."""

    def quotes(speaker: Speaker) -> int:
        n = getattr(speaker, "quote_count", None)
        return speaker.quotes.count() if n is None else n

    return max(speakers, key=lambda s: (quotes(s), -s.pk))
