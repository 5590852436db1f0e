"""Who a name is: its parts (``nameparser``), when two names are one person, what a role is.

Plain functions over strings, no database: ``speakers_resolve`` uses them to decide whether a
new name joins a known speaker, and the admin to offer possible duplicates.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from nameparser import HumanName

from apps.quotes.extraction.lexicon import CAPITALS, ROLE_TITLES
from apps.quotes.extraction.names import fold, normalise_name


@dataclass(frozen=True)
class NameParts:
    title: str  # 'Foreign Minister' in 'Foreign Minister Sergey Lavrov'
    given: tuple[str, ...]  # folded and normalised: ('sergey',), ('michael', 'r')
    surname: str  # folded: 'lavrov'


@lru_cache(maxsize=4096)
def name_parts(name: str) -> NameParts:
    """The parts of a person's name. A single word is a surname ('Putin', 'Lavrov')."""
    human = HumanName(" ".join(name.split()))
    words = normalise_name(" ".join(p for p in (human.first, human.middle, human.last) if p))
    words = words.split()
    if not words:
        return NameParts(human.title, (), "")
    if len(words) == 1 or not human.last:
        return NameParts(human.title, (), words[-1])
    surname = normalise_name(human.last).split()
    given = tuple(words[: len(words) - len(surname)])
    return NameParts(human.title, given, surname[-1] if surname else words[-1])


def surname_key(name: str, kind: str = "person") -> str:
    """What a surname alone is matched on: the folded family name, for people only."""
    return name_parts(name).surname[:100] if kind == "person" else ""


# Common English short forms of given names: 'Mike Pompeo' is 'Michael Pompeo'.
_NICKNAMES = {
    "mike": "michael",
    "mick": "michael",
    "bill": "william",
    "will": "william",
    "bob": "robert",
    "rob": "robert",
    "jim": "james",
    "jimmy": "james",
    "joe": "joseph",
    "tom": "thomas",
    "dick": "richard",
    "rick": "richard",
    "ted": "edward",
    "ed": "edward",
    "chuck": "charles",
    "charlie": "charles",
    "dan": "daniel",
    "dave": "david",
    "steve": "steven",
    "stephen": "steven",
    "tony": "anthony",
    "alex": "alexander",
    "sasha": "alexander",
    "nick": "nicholas",
    "ben": "benjamin",
    "sam": "samuel",
    "matt": "matthew",
    "pat": "patrick",
    "andy": "andrew",
    "greg": "gregory",
    "jeff": "jeffrey",
    "ken": "kenneth",
    "larry": "lawrence",
    "liz": "elizabeth",
    "beth": "elizabeth",
    "kate": "katherine",
    "katie": "katherine",
    "catherine": "katherine",
    "jen": "jennifer",
    "jenny": "jennifer",
    "sue": "susan",
    "vova": "vladimir",
}


def _given_compatible(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Whether two people's given names can be one person's: the same (or a short form of it:
    'Mike' ~ 'Michael'), an initial of it ('V' ~ 'Vladimir'), or one side naming none;
    'Joe' !~ 'Hunter'."""
    if not a or not b:
        return True
    x, y = a[0], b[0]
    if len(x) == 1 or len(y) == 1:
        return x[0] == y[0]
    return _NICKNAMES.get(x, x) == _NICKNAMES.get(y, y)


def same_person(a: str, b: str) -> bool:
    """Whether two names of people can be one person: same surname, given names that agree."""
    pa, pb = name_parts(a), name_parts(b)
    return bool(pa.surname) and pa.surname == pb.surname and _given_compatible(pa.given, pb.given)


def fuller(a: str, b: str) -> str:
    """Of two names of one person, the one that says more ('Vladimir Putin' over 'Putin')."""
    return max((a, b), key=lambda n: (len(name_parts(n).given), len(n)))


# --- roles ----------------------------------------------------------------------------------

_ARTICLE = re.compile(r"^(?:a|an|the|one)\s+", re.IGNORECASE)
_EDGE = " \t\n,;:.—–-\"'“”‘’()"
# A title that says nothing alone: 'the head' of what? 'a member' of what?
_NEEDS_COMPLEMENT = {"head", "chief", "member", "part", "leader", "director", "deputy", "one"}
_PLACES = set(CAPITALS) | {c for names in CAPITALS.values() for c in names}
_TITLE_WORDS = ROLE_TITLES | {
    "commissioner",
    "mayor",
    "ceo",
    "chair",
    "chairperson",
    "judge",
    "prosecutor",
    "general",
    "commander",
    "king",
    "queen",
    "pope",
    "founder",
    "editor",
    "lawmaker",
    "researcher",
    "economist",
    "correspondent",
    "negotiator",
    "attorney",
    "counsel",
    "coordinator",
}


def role_clean(role: str) -> str:
    """The role as stated, tidied ('A spokeswoman for the Commission,' -> 'Spokeswoman for the
    Commission'), or '' when it is no role: a place ('Osaka'), a fragment ('the head'), or words
    with no title in them. Roles come from appositions and titles; anything else is dropped."""
    role = " ".join((role or "").split()).strip(_EDGE)
    role = _ARTICLE.sub("", role).strip(_EDGE)
    if not role or len(role) > 300:
        return ""
    words = fold(role).split()
    if not words or fold(role) in _PLACES:
        return ""
    if len(words) == 1 and words[0] in _NEEDS_COMPLEMENT:
        return ""
    if not any(w in _TITLE_WORDS or w.rstrip("s") in _TITLE_WORDS for w in words):
        return ""  # 'Osaka', 'in Washington', 'who was there': no title
    return role[0].upper() + role[1:]


def role_from_name(name: str) -> str:
    """The title written before a name ('Foreign Minister' in 'Foreign Minister Sergey
    Lavrov'), as a role, or ''."""
    return role_clean(name_parts(name).title)


# --- organisations --------------------------------------------------------------------------


def _country_name(country: str) -> str:
    words = country.split()
    if len(country.replace(" ", "")) <= 3:  # 'us', 'uk', 'eu', 'u s'
        return "the " + "".join(words).upper()
    return " ".join(w.capitalize() for w in words)


def government_of_capital(name: str) -> str:
    """'Government of Russia' for 'Moscow' (a capital speaking for its government), else ''."""
    countries = CAPITALS.get(normalise_name(name))
    return f"Government of {_country_name(countries[0])}" if countries else ""
