"""Writes to the speaker registry. Name variants are matched by their normalised form."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.text import slugify

from apps.core.history import insert_with_history
from apps.quotes.extraction import SpeakerHint
from apps.quotes.extraction.names import fold, normalise_name, surname
from apps.speakers.models import Speaker, SpeakerAlias

# The same names come back article after article, and folding them is not free.
_normalised = functools.lru_cache(maxsize=4096)(normalise_name)

_PRONOUNS = {"he", "she", "they", "it", "we", "i", "you", "him", "her", "them", "his", "its"}


def speaker_find(*, name: str) -> Speaker | None:
    key = normalise_name(name)
    if not key:
        return None
    alias = SpeakerAlias.objects.select_related("speaker").filter(normalised=key).first()
    return alias.speaker if alias else None


def speaker_resolve(
    *, name: str, role: str = "", organisation: str = "", kind: str = Speaker.Kind.PERSON
) -> Speaker:
    """The speaker any alias of ``name`` points to, created (with the alias) when unknown.

    Safe under concurrency: when another writer creates the same speaker first, the
    ``IntegrityError`` rolls this attempt back and the next one finds theirs.
    """
    if not normalise_name(name):
        raise ValueError("a speaker needs a name")
    spec = SpeakerName(name=name, role=role, organisation=organisation, kind=kind)
    for _ in range(5):
        try:
            with transaction.atomic():
                return speakers_resolve(names=[spec])[normalise_name(name)]
        except IntegrityError:
            continue
    raise IntegrityError(f"could not resolve the speaker {name!r}")


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


@dataclass(frozen=True)
class SpeakerName:
    """A name the engine attributed a quote to, with what it said about the speaker."""

    name: str
    role: str = ""
    kind: str = Speaker.Kind.PERSON
    organisation: str = ""


def _slug_base(name: str) -> str:
    return slugify(name)[:200] or "speaker"


def _free_slugs(names: list[str]) -> list[str]:
    """One unused slug per name (``name``, ``name-2``, ...), taken slugs read in one query."""
    bases = [_slug_base(name) for name in names]
    wanted = Q()
    for base in set(bases):
        wanted |= Q(slug=base) | Q(slug__startswith=f"{base}-")
    taken = set(Speaker.objects.filter(wanted).values_list("slug", flat=True))
    slugs = []
    for base in bases:
        slug, n = base, 2
        while slug in taken:
            slug, n = f"{base}-{n}", n + 1
        taken.add(slug)
        slugs.append(slug)
    return slugs


def _aliases_insert(rows: list[tuple[Speaker, str, str]]) -> set[str]:
    """Insert (speaker, name, normalised) aliases whose spelling is new, with their history.

    ``ON CONFLICT DO NOTHING`` on the unique normalised form: a spelling another ingest recorded
    meanwhile (committed or not: PostgreSQL waits for it) is left to that one. Returns the
    normalised forms inserted.
    """
    aliases = [SpeakerAlias(speaker=s, name=name, normalised=key) for s, name, key in rows]
    return {a.normalised for a in insert_with_history(aliases, skip_conflicts_on=["normalised"])}


@transaction.atomic(savepoint=False)
def speakers_resolve(
    *, names: Iterable[SpeakerName], mentions: Iterable[tuple[str, str]] = ()
) -> dict[str, Speaker]:
    """The speakers of many names at once, keyed by normalised name; unknown ones created.

    ``mentions`` are (speaker name, spelling) pairs, "Lavrov" for "Sergey Lavrov": a spelling
    that is a variant of its speaker's name and is new becomes an alias of that speaker.
    A few queries whatever the number of names: the known spellings are read in one, new
    speakers and aliases are inserted in bulk. Concurrent resolvers of one new name cannot
    both create it: the alias's unique normalised form lets only one commit, and the other gets
    an ``IntegrityError`` (``article_ingest`` then tries again).
    """
    names = [n for n in names if _normalised(n.name)]
    mentions = [(s, m) for s, m in mentions if _normalised(s) and _normalised(m)]
    keys = {_normalised(n.name) for n in names} | {_normalised(m) for _, m in mentions}
    known = {  # (a raw query: the ORM took longer to build this one than to run it)
        speaker.key: speaker
        for speaker in Speaker.objects.raw(
            """SELECT s.*, a.normalised AS key
               FROM speakers_speaker s JOIN speakers_speakeralias a ON a.speaker_id = s.id
               WHERE a.normalised = ANY(%s)""",
            [list(keys)],
        )
    }
    new: dict[str, SpeakerName] = {}
    for n in names:
        key = _normalised(n.name)
        if key not in known and key not in new:
            new[key] = n
        elif key in known and n.role and not known[key].role:  # a role learnt at last
            known[key].role = n.role[:300]
            known[key].save(update_fields=["role"])
    if new:
        speakers = [
            Speaker(
                name=spec.name[:200],
                slug=_slug_base(spec.name),
                role=spec.role[:300],
                organisation=spec.organisation[:300],
                kind=spec.kind if spec.kind in Speaker.Kind.values else Speaker.Kind.PERSON,
            )
            for spec in new.values()
        ]
        # Most new names have their slug free: try it, and only for those whose slug is taken
        # read the taken ones and number theirs (``name-2``, ...).
        insert_with_history(speakers, skip_conflicts_on=["slug"])
        clashed = [speaker for speaker in speakers if speaker.pk is None]
        if clashed:
            for speaker, slug in zip(clashed, _free_slugs([s.name for s in clashed]), strict=True):
                speaker.slug = slug
            insert_with_history(clashed)
        known.update(zip(new, speakers, strict=True))
    rows = [(known[key], new[key].name[:200], key) for key in new]
    for speaker_name, mention in mentions:
        speaker, key = known.get(_normalised(speaker_name)), _normalised(mention)
        if speaker is not None and key not in known and is_name_variant(mention, speaker):
            rows.append((speaker, mention[:200], key))
            known[key] = speaker
    inserted = _aliases_insert(rows)
    if set(new) - inserted:
        raise IntegrityError("a concurrent writer created one of these speakers first")
    return known


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
