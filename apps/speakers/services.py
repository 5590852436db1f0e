"""Writes to the speaker registry. Name variants are matched by their normalised form."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.text import slugify

from apps.quotes.extraction import SpeakerHint
from apps.quotes.extraction.names import fold, normalise_name, surname
from apps.speakers.models import Speaker, SpeakerAlias

_PRONOUNS = {"he", "she", "they", "it", "we", "i", "you", "him", "her", "them", "his", "its"}


def speaker_find(*, name: str) -> Speaker | None:
    key = normalise_name(name)
    if not key:
        return None
    alias = SpeakerAlias.objects.select_related("speaker").filter(normalised=key).first()
    return alias.speaker if alias else None


def _unique_slug(name: str) -> str:
    base = slugify(name)[:200] or "speaker"
    slug, n = base, 2
    while Speaker.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def speaker_create(
    *, name: str, role: str = "", organisation: str = "", kind: str = Speaker.Kind.PERSON
) -> Speaker:
    """A new speaker with its name as first alias. Raises IntegrityError if the name is taken."""
    kind = kind if kind in Speaker.Kind.values else Speaker.Kind.PERSON
    for _ in range(5):
        try:
            with transaction.atomic():
                speaker = Speaker.objects.create(
                    name=name[:200],
                    slug=_unique_slug(name),
                    role=role[:300],
                    organisation=organisation[:300],
                    kind=kind,
                )
                break
        except IntegrityError:  # a concurrent writer took the slug: try the next one
            continue
    else:
        raise IntegrityError(f"could not find a free slug for {name!r}")
    SpeakerAlias.objects.create(speaker=speaker, name=name[:200], normalised=normalise_name(name))
    return speaker


@transaction.atomic
def speaker_resolve(
    *, name: str, role: str = "", organisation: str = "", kind: str = Speaker.Kind.PERSON
) -> Speaker:
    """The speaker any alias of ``name`` points to, created (with the alias) when unknown.

    Safe under concurrency: the alias's unique normalised form decides who creates it.
    """
    found = speaker_find(name=name)
    if found is not None:
        if role and not found.role:
            found.role = role[:300]
            found.save(update_fields=["role"])
        return found
    try:
        with transaction.atomic():
            return speaker_create(name=name, role=role, organisation=organisation, kind=kind)
    except IntegrityError:
        found = speaker_find(name=name)
        if found is None:
            raise
        return found


def is_name_variant(mention: str, speaker: Speaker) -> bool:
    """Whether a mention ("Sergei Lavrov", "Lavrov") is a spelling of the speaker's name,
    rather than a pronoun or a description ("he", "the minister")."""
    words = mention.split()
    if not words or fold(mention) in _PRONOUNS:
        return False
    if not all(w[:1].isupper() for w in words if w.isalpha() and len(w) > 2):
        return False
    return bool(surname(mention)) and surname(mention) == surname(speaker.name)


@transaction.atomic
def speaker_alias_record(*, speaker: Speaker, name: str) -> SpeakerAlias | None:
    """Record ``name`` as an alias of ``speaker`` unless that spelling is known already."""
    key = normalise_name(name)
    if not key:
        return None
    try:
        with transaction.atomic():
            alias, _ = SpeakerAlias.objects.get_or_create(
                normalised=key, defaults={"speaker": speaker, "name": name[:200]}
            )
    except IntegrityError:
        alias = SpeakerAlias.objects.filter(normalised=key).first()
    return alias


def speaker_hints() -> list[SpeakerHint]:
    """Every known speaker with all its aliases, as the extraction engine takes them."""
    aliases: dict[int, list[str]] = {}
    for speaker_id, name in SpeakerAlias.objects.values_list("speaker_id", "name"):
        aliases.setdefault(speaker_id, []).append(name)
    return [
        SpeakerHint(
            name=s.name,
            aliases=tuple(a for a in aliases.get(s.pk, []) if a != s.name),
            role=s.role,
            organisation=s.organisation,
            kind=s.kind,
        )
        for s in Speaker.objects.order_by("pk")
    ]
