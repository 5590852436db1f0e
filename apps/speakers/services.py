"""Writes to the speaker registry. Name variants are matched by their normalised form."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.text import slugify

from apps.core.history import insert_with_history
from apps.quotes.extraction import SpeakerHint
from apps.quotes.extraction.names import fold, normalise_name, surname
from apps.speakers.identity import (
    fuller,
    government_of_capital,
    name_parts,
    role_clean,
    role_from_name,
    same_person,
    surname_key,
)
from apps.speakers.models import Speaker, SpeakerAlias, SpeakerRedirect

# The same names come back article after article, and folding them is not free.
_normalised = functools.lru_cache(maxsize=4096)(normalise_name)

_PRONOUNS = {"he", "she", "they", "it", "we", "i", "you", "him", "her", "them", "his", "its"}


def speaker_find(*, name: str) -> Speaker | None:
    key = normalise_name(name)
    if not key:
        return None
    alias = SpeakerAlias.objects.select_related("speaker").filter(normalised=key).first()
    return alias.speaker if alias else None


def speaker_named(q: str) -> Speaker | None:
    """The speaker a search for ``q`` names ('Sergei Lavrov', 'lavrov', 'US'), or None; a
    pronoun is nobody ('us' in lower case is not the United States)."""
    words = fold(q)
    if not words or (words in _PRONOUNS | {"us", "our"} and not q.strip().isupper()):
        return None
    return speaker_find(name=q)


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
    stated_on: dt.date | None = None  # the article's date: when the role was stated


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


def _canonical(spec: SpeakerName) -> SpeakerName:
    """The name to file ``spec`` under: a capital's government ('Moscow' -> 'Government of
    Russia'), the role cleaned (or read off a title before the name)."""
    name, kind = spec.name, spec.kind
    if kind == Speaker.Kind.ORGANISATION and (government := government_of_capital(name)):
        name = government
    role = role_clean(spec.role) or (role_from_name(name) if kind == Speaker.Kind.PERSON else "")
    return SpeakerName(name, role, kind, spec.organisation, spec.stated_on)


def _join_known_person(
    specs: dict[str, SpeakerName], known: dict[str, Speaker]
) -> tuple[dict[str, Speaker], dict[str, str]]:
    """Which new names of people are a person already known or named in this batch.

    A name joins the one candidate with its surname whose given names agree ('Putin' and
    'Vladimir Putin'; 'V. Putin'); with two or more candidates it joins none (ambiguous: the
    admin lists them as possible duplicates). Returns (name key -> known speaker, name key ->
    the key of another new name it is the same person as).
    """
    people = {k: s for k, s in specs.items() if s.kind == Speaker.Kind.PERSON}
    surnames = {surname_key(s.name) for s in people.values()} - {""}
    if not surnames:
        return {}, {}
    registry: dict[str, list[Speaker]] = {}
    for speaker in Speaker.objects.filter(kind=Speaker.Kind.PERSON, surname__in=surnames):
        registry.setdefault(speaker.surname, []).append(speaker)
    joined: dict[str, Speaker] = {}
    same: dict[str, str] = {}
    planned: dict[str, list[str]] = {}
    # Fullest names first: 'Vladimir Putin' is planned before 'Putin' looks for it.
    for key in sorted(people, key=lambda k: (-len(name_parts(people[k].name).given), k)):
        name = people[key].name
        sur = surname_key(name)
        if not sur:
            continue
        known_ones = [s for s in registry.get(sur, []) if same_person(name, s.name)]
        new_ones = [k for k in planned.get(sur, []) if same_person(name, people[k].name)]
        if len(known_ones) + len(new_ones) == 1:
            if known_ones:
                joined[key] = known_ones[0]
            else:
                same[key] = new_ones[0]
            continue
        planned.setdefault(sur, []).append(key)
    return joined, same


def _speaker_rename(speaker: Speaker, name: str) -> None:
    """A fuller name learnt for a speaker known by a surname alone: its page moves, the old
    address redirects."""
    old_slug = speaker.slug
    speaker.name = name[:200]
    speaker.slug = _free_slugs([name])[0]
    speaker._change_reason = f"Fuller name learnt: {name}"
    speaker.save(update_fields=["name", "slug"])
    SpeakerRedirect.objects.bulk_create(  # an upsert without a savepoint
        [SpeakerRedirect(old_slug=old_slug, speaker=speaker)],
        update_conflicts=True,
        unique_fields=["old_slug"],
        update_fields=["speaker"],
    )


def _role_learnt(speaker: Speaker, spec: SpeakerName) -> bool:
    """Whether ``spec`` tells a role to record: none yet, or a newer dated one."""
    if not spec.role or spec.role == speaker.role:
        return False
    if not speaker.role:
        return True
    return bool(
        spec.stated_on and speaker.role_stated_on and spec.stated_on > speaker.role_stated_on
    )


@transaction.atomic(savepoint=False)
def speakers_resolve(
    *, names: Iterable[SpeakerName], mentions: Iterable[tuple[str, str]] = ()
) -> dict[str, Speaker]:
    """The speakers of many names at once, keyed by normalised name; unknown ones created.

    A name is found by its spellings (aliases); failing that, a person's name joins the one
    known person it can be (``_join_known_person``: a surname alone, a fuller name), and a
    capital joins its government. ``mentions`` are (speaker name, spelling) pairs, "Lavrov"
    for "Sergey Lavrov": a spelling that is a variant of its speaker's name and is new becomes
    an alias of that speaker. A few queries whatever the number of names: the known spellings
    are read in one, new speakers and aliases are inserted in bulk. Concurrent resolvers of one
    new name cannot both create it: the alias's unique normalised form lets only one commit,
    and the other gets an ``IntegrityError`` (``article_ingest`` then tries again).
    """
    names = [n for n in names if _normalised(n.name)]
    mentions = [(s, m) for s, m in mentions if _normalised(s) and _normalised(m)]
    canonical = {_normalised(n.name): _canonical(n) for n in names}
    keys = (
        set(canonical)
        | {_normalised(c.name) for c in canonical.values()}
        | {_normalised(m) for _, m in mentions}
    )
    known = {  # (a raw query: the ORM took longer to build this one than to run it)
        speaker.key: speaker
        for speaker in Speaker.objects.raw(
            """SELECT s.*, a.normalised AS key
               FROM speakers_speaker s JOIN speakers_speakeralias a ON a.speaker_id = s.id
               WHERE a.normalised = ANY(%s)""",
            [list(keys)],
        )
    }
    rows: list[tuple[Speaker, str, str]] = []
    capitals: list[tuple[str, str]] = []  # (capital's key, its government's key)
    for key, spec in canonical.items():
        ckey = _normalised(spec.name)
        if ckey != key and spec.kind == Speaker.Kind.ORGANISATION:
            capitals.append((key, ckey))
    new: dict[str, SpeakerName] = {}
    for spec in canonical.values():
        ckey = _normalised(spec.name)
        if ckey in known:
            speaker = known[ckey]
            if _role_learnt(speaker, spec):
                speaker.role, speaker.role_stated_on = spec.role[:300], spec.stated_on
                speaker.save(update_fields=["role", "role_stated_on"])
        elif ckey not in new:
            new[ckey] = spec
    joined, same = _join_known_person(new, known)
    for key, speaker in joined.items():
        spec = new.pop(key)
        if not name_parts(speaker.name).given and name_parts(spec.name).given:
            _speaker_rename(speaker, fuller(speaker.name, spec.name))
        if _role_learnt(speaker, spec):
            speaker.role, speaker.role_stated_on = spec.role[:300], spec.stated_on
            speaker.save(update_fields=["role", "role_stated_on"])
        known[key] = speaker
        rows.append((speaker, spec.name[:200], key))
    same_specs = {key: new.pop(key) for key in same}
    if new:
        speakers = [
            Speaker(
                name=spec.name[:200],
                slug=_slug_base(spec.name),
                role=spec.role[:300],
                role_stated_on=spec.stated_on if spec.role else None,
                organisation=spec.organisation[:300],
                kind=spec.kind if spec.kind in Speaker.Kind.values else Speaker.Kind.PERSON,
                surname=surname_key(spec.name, spec.kind),
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
    rows += [(known[key], new[key].name[:200], key) for key in new]
    for key, other in same.items():
        known[key] = known[other]
        rows.append((known[other], same_specs[key].name[:200], key))
    for key, ckey in capitals:
        known[key] = known[ckey]
    for speaker_name, mention in mentions:
        speaker, key = known.get(_normalised(speaker_name)), _normalised(mention)
        if speaker is not None and key not in known and is_name_variant(mention, speaker):
            rows.append((speaker, mention[:200], key))
            known[key] = speaker
    inserted = _aliases_insert(rows)
    _capital_aliases_record([(known[key], key) for key, _ in capitals], names)
    if set(new) - inserted:
        raise IntegrityError("a concurrent writer created one of these speakers first")
    return known


def _capital_aliases_record(pairs: list[tuple[Speaker, str]], names: list[SpeakerName]) -> None:
    """'Moscow' recorded as an alias of the Government of Russia, marked as a capital."""
    if not pairs:
        return
    spelled = {_normalised(n.name): n.name for n in names}
    aliases = [
        SpeakerAlias(speaker=s, name=spelled.get(key, key)[:200], normalised=key, is_capital=True)
        for s, key in pairs
    ]
    insert_with_history(aliases, skip_conflicts_on=["normalised"])


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
