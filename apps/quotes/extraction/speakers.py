"""Who is who in one article: names, variants, roles, and the most recent speaker."""

import re
from dataclasses import dataclass, field

from apps.quotes.extraction.lexicon import CAPITALS, GENDERED, GENERIC_ORGS, ROLE_MODIFIERS
from apps.quotes.extraction.names import (
    first_name_gender,
    fold,
    name_parts,
    normalise_name,
    surname,
    without_postnominals,
)
from apps.quotes.extraction.types import SpeakerHint

PRONOUNS = {"he", "she", "they", "i", "we", "him", "her", "it", "his"}
HONORIFICS = {"mr", "ms", "mrs", "dr", "prof", "sir", "dame"}
ROLE_STOP = {
    "the", "a", "an", "of", "for", "and", "in", "on", "at", "its", "his", "her", "their",
    "himself", "herself", "themselves", "itself", "who", "which", "that", "also", "then",
}  # fmt: skip
# A descriptor's head noun also matches roles that use these words.
ROLE_SYNONYMS = {
    "minister": {"minister", "fm", "diplomat", "chief"},
    "diplomat": {"minister", "ambassador", "secretary", "diplomat", "envoy"},
    "leader": {"president", "leader", "premier", "chancellor", "prime"},
    "aide": {"aide", "adviser", "advisor", "assistant"},
    "expert": {"expert", "analyst", "scientist", "researcher", "professor"},
    "scientist": {"scientist", "expert", "analyst", "researcher", "professor"},
    "analyst": {"analyst", "expert", "scientist", "researcher"},
    "secretary": {"secretary"},
    "spokesman": {"spokesman", "spokeswoman", "spokesperson", "representative", "press"},
    "spokeswoman": {"spokesman", "spokeswoman", "spokesperson", "representative", "press"},
    "president": {"president"},
    "official": {"official", "officer", "spokesman", "spokeswoman", "secretary", "minister"},
}
GOVERNMENT_WORDS = re.compile(
    r"\b(department|ministry|government|administration|office|embassy|mission|kremlin)\b"
)
ORG_WORDS = re.compile(
    r"\b(department|ministry|kremlin|white house|office|agency|committee|council|government|"
    r"administration|embassy|commission|party|campaign|company|corporation|union|nations|"
    r"pentagon|congress|senate|court|police|army|military|bank|foundation|institute|"
    r"organi[sz]ation|group|spokesman|spokeswoman)\b",
    re.IGNORECASE,
)


@dataclass
class Person:
    name: str  # canonical
    kind: str = "person"
    role_words: set[str] = field(default_factory=set)
    role: str = ""
    last_seen: int = -1
    last_spoke: int = -1
    last_subject: int = -1  # last made the subject of a main clause: 'Pompeo assessed ...'
    gender: str | None = None  # 'm' or 'f': from 'Mr.'/'Ms.', a first name, a pronoun used
    guessed: bool = False  # the gender is only the first name's usual one (Rand Paul's is not)

    def excludes(self, gender: str | None) -> bool:
        """Of another gender than a pronoun's, known or guessed."""
        return bool(gender and self.gender and self.gender != gender)


class Cast:
    """The speakers of one article, seeded with the caller's known speakers."""

    def __init__(self, hints: tuple[SpeakerHint, ...] = ()):
        self.people: dict[str, Person] = {}
        self._by_key: dict[str, str] = {}
        self._hint_surnames: dict[str, set[str]] = {}
        self._hints: dict[str, SpeakerHint] = {}
        self.last_speaker: str | None = None
        self._full_names: dict[str, dict[str, list]] = {}
        for hint in hints:
            self._hints[hint.name] = hint
            for variant in (hint.name, *hint.aliases):
                self._by_key.setdefault(normalise_name(variant), hint.name)
                if len(variant.split()) > 1:
                    self._hint_surnames.setdefault(surname(variant), set()).add(hint.name)

    def expect(self, names: list[str]) -> None:
        """Full names the article uses anywhere: 'Lavrov' in the lead means the 'Sergey Lavrov'
        of the second paragraph."""
        for name in names:
            name = without_postnominals(name)
            key = normalise_name(name)
            if len([w for w in key.split() if w.rstrip(".") not in HONORIFICS]) >= 2:
                seen = self._full_names.setdefault(surname(name), {})
                seen.setdefault(key, [0, name])[0] += 1

    def known(self, name: str) -> bool:
        """Whether the article or the registry has named this person: 'Sanders' after
        'Bernie Sanders'."""
        key = normalise_name(name)
        last = surname(name)
        return (
            key in self._by_key
            or last in self._hint_surnames
            or last in self._full_names
            or any(surname(p.name) == last for p in self.people.values())
        )

    def _person(self, name: str, kind: str = "person") -> Person:
        person = self.people.get(name)
        if person is None:
            person = self.people[name] = Person(name=name, kind=kind)
            words = name.split()
            if kind == "person" and len(words) > 1:  # the first name says, before any pronoun
                person.gender = first_name_gender(words[0])
                person.guessed = person.gender is not None
            hint = self._hints.get(name)
            if hint:
                person.kind = hint.kind
                person.role = hint.role
                person.role_words |= role_words(f"{hint.role} {hint.organisation}")
        return person

    def canonical(self, name: str, gender: str | None = None) -> str:
        """The canonical form of a written name: a known variant, or an earlier full name.
        Letters after a name are not part of it ('Leonard Asante KC'). A surname alone with
        a ``gender`` ('Mrs. Clinton') is not someone known to be of the other."""
        name = without_postnominals(name)
        key = normalise_name(name)
        if key in self._by_key and not (gender and self._excluded(self._by_key[key], gender)):
            return self._by_key[key]
        last = surname(name)
        words = [fold(w) for w in name.split()]  # 'Holtz-Eakin' is one surname
        if len(words) == 1 or (len(words) == 2 and words[0].rstrip(".") in HONORIFICS):
            # A surname alone: the person of that surname met earlier, or a known speaker.
            same = [
                p
                for p in sorted(self.people.values(), key=lambda p: -p.last_seen)
                if p.kind == "person" and surname(p.name) == last
            ]
            # of the other gender only by a first name's guess ('Mr. Tribe' is Laurence Tribe)
            fits = [p for p in same if not p.excludes(gender)] or [p for p in same if p.guessed]
            if fits:
                return fits[0].name
            known = self._hint_surnames.get(last, set())
            if len(known) == 1:
                return next(iter(known))
            full = {
                k: v
                for k, v in self._full_names.get(last, {}).items()
                if not (gender and first_name_gender(k.split()[0]) not in {None, gender})
            }
            if full:  # the full name the article uses most often for this surname
                _count, name_ = max(full.values(), key=lambda v: v[0])
                if normalise_name(name_) != key:  # never 'Mr. Osei' for 'Mr. Osei'
                    return self.canonical(name_)
            if gender and key in self._by_key:
                return name  # 'Mrs. Clinton' where only Bill Clinton is known: someone else
        else:
            # A full name whose surname matches a known speaker with a compatible first name.
            for candidate in self._hint_surnames.get(last, ()):
                if normalise_name(candidate).split()[0][:3] == words[0][:3]:
                    return candidate
        self._by_key[key] = name
        return name

    def introduce(self, name: str, *, position: int, role: str = "", kind: str = "person") -> str:
        first = ""
        if kind == "person":  # 'Senator Jane Roe' is Jane Roe, with the role 'Senator'
            title, first, rest = name_parts(name)
            if title and rest:
                name, role = rest, f"{role} {title}".strip()
        canonical = self.canonical(name, _gender_of(role) if kind == "person" else None)
        if kind == "organisation" and canonical not in self.people:
            canonical = self._same_organisation(canonical)
        person = self._person(canonical, kind)
        if kind == "person" and canonical not in self._hints:
            person.kind = "person"  # a name spaCy once took for an organisation
        person.last_seen = max(person.last_seen, position)
        if role:
            person.role_words |= role_words(role)
            person.role = person.role or role.strip()
        if person.kind == "person" and (person.gender is None or person.guessed):
            known = _gender_of(role)  # 'Ms.', 'Mrs.', 'congresswoman'
            if known:
                person.gender, person.guessed = known, False
            elif person.gender is None and first:
                person.gender = first_name_gender(first)
                person.guessed = person.gender is not None
        return canonical

    def _excluded(self, name: str, gender: str) -> bool:
        person = self.people.get(name)
        return person is not None and person.excludes(gender)

    def learn_gender(self, name: str | None, pronoun: str) -> None:
        """'Jane Roe said ... She added': Roe is a woman, for the next 'he' or 'she'."""
        person = self.people.get(name or "")
        gender = GENDERED.get(pronoun.lower())
        if person is None or person.kind != "person" or not gender:
            return
        if person.gender is None or person.guessed:  # the article's word over the name's guess
            person.gender, person.guessed = gender, False

    def _same_organisation(self, name: str) -> str:
        """'State Department' after 'US State Department' (or before it) is one organisation."""
        key = _without_article(normalise_name(name))
        for person in self.people.values():
            if person.kind != "organisation":
                continue
            other = _without_article(normalise_name(person.name))
            short, long_ = sorted((key, other), key=len)
            if len(short.split()) >= 2 and long_.endswith(" " + short):
                self._by_key[key] = person.name
                return person.name
        country = tuple(f"{c} " for c in (key, *CAPITALS.get(key, ())))
        for person in sorted(self.people.values(), key=lambda p: -p.last_spoke):
            # 'the US said' or 'Washington said', after the 'US State Department' spoke: the
            # country's office
            other = _without_article(normalise_name(person.name))
            if (
                person.kind == "organisation"
                and person.last_spoke > -1
                and other.startswith(country)
                and GOVERNMENT_WORDS.search(other)
            ):
                return person.name
        return name

    def spoke(self, name: str, position: int) -> None:
        person = self._person(name)
        person.last_spoke = max(person.last_spoke, position)
        person.last_seen = max(person.last_seen, position)
        self.last_speaker = name

    def subject(self, name: str, position: int) -> None:
        person = self.people.get(name)
        if person is not None and person.kind == "person":
            person.last_subject = max(person.last_subject, position)

    def referent(self, position: int, pronoun: str = "he") -> str | None:
        """Whom 'he' means: the last person of that gender (or of none known) who spoke or was
        the subject of a sentence; 'they' may also be an organisation that spoke."""
        gender = GENDERED.get(pronoun.lower())
        plural = pronoun.lower() in {"they", "we", "them", "their"}
        people = [
            p
            for p in self.people.values()
            if (p.kind == "person" or (plural and p.last_spoke > -1))
            and -1 < max(p.last_spoke, p.last_subject) <= position
            and not p.excludes(gender)
        ]
        if gender and any(p.gender == gender for p in people):
            # 'she' means someone known to be a woman before a name of no known gender (often
            # an organisation the tagger took for a person: 'The operator, Vessberg Verkehr,')
            people = [p for p in people if p.gender == gender]
        if people:
            return max(people, key=lambda p: max(p.last_spoke, p.last_subject)).name
        found = self.recent_speaker(position, gender=gender)
        if found is None and gender:
            # no one else it can be: a person whose first name only suggested otherwise
            # ('Rand Paul ... he said')
            guessed = [
                p
                for p in self.people.values()
                if p.kind == "person" and p.guessed and -1 < p.last_seen <= position
            ]
            if guessed:
                last = max(guessed, key=lambda p: max(p.last_spoke, p.last_subject, p.last_seen))
                found = last.name
        return found

    def recent_speaker(
        self, position: int, kind: str | None = "person", gender: str | None = None
    ) -> str | None:
        spoken = [
            p
            for p in self.people.values()
            if -1 < p.last_spoke < position
            and (not kind or p.kind == kind)
            and not p.excludes(gender)
        ]
        if spoken:
            return max(spoken, key=lambda p: p.last_spoke).name
        return self.recent_person(position, gender)

    def recent_person(self, position: int, gender: str | None = None) -> str | None:
        seen = [
            p
            for p in self.people.values()
            if -1 < p.last_seen < position and p.kind == "person" and not p.excludes(gender)
        ]
        return max(seen, key=lambda p: p.last_seen).name if seen else None

    def organisation(self, noun: str, position: int) -> str | None:
        """Whom 'the company' or 'the ministry' means: the latest organisation the article
        named with that word, or (for 'the company', 'the firm') the latest one it named."""
        seen = [
            p
            for p in self.people.values()
            if p.kind == "organisation" and -1 < p.last_seen < position and p.name.lower() != noun
        ]
        named = [p for p in seen if noun in fold(p.name).split()]
        if not named and noun in {"company", "firm", "group", "corporation"}:
            named = seen
        return max(named, key=lambda p: p.last_seen).name if named else None

    def recent_organisation(self, position: int, within: int) -> str | None:
        """Whom '"...," it said' means: the organisation named or heard last, if no more than
        ``within`` characters before (further back, 'it' is as likely a report or a poll)."""
        near = [
            (when, p.name)
            for p in self.people.values()
            if p.kind == "organisation"
            for when in [max(p.last_seen, p.last_spoke, p.last_subject)]
            if -1 < when < position and position - when <= within
        ]
        return max(near)[1] if near else None

    def by_description(self, descriptor: str, position: int) -> tuple[str | None, float]:
        """'the Russian Foreign Minister' -> the person introduced with that role."""
        words = role_words(descriptor)
        if not words:
            return self.recent_speaker(position), 0.5
        head = sorted(words, key=descriptor.lower().rfind)[-1]
        heads = ROLE_SYNONYMS.get(head, {head})
        modifiers = words & ROLE_MODIFIERS
        best, best_score = None, 0.0
        for person in self.people.values():
            if person.last_seen < 0 or person.kind != "person":
                continue
            if not (heads & person.role_words):
                continue
            if modifiers != person.role_words & ROLE_MODIFIERS and not (
                # 'the Deputy Foreign Minister Ana Ruiz ... the deputy minister': whole roles;
                # 'Vice President Pence ... the vice president' but not '... the president'
                modifiers and modifiers <= person.role_words
            ):
                continue
            score = 2 + len(words & person.role_words) + 0.001 * max(person.last_spoke, 0)
            if score > best_score:
                best, best_score = person.name, score
        if best:
            return best, 0.9
        return self.recent_speaker(position), 0.6


PRONOUN_WORDS = {"he", "him", "his", "himself", "she", "her", "hers", "herself"}


def _gender_of(text: str) -> str | None:
    """'m' or 'f' where a role says so: 'Mr.', 'Ms.', 'spokeswoman', 'her husband' (not a
    pronoun in it: 'His campaign manager, Lorna Ibsen' is his, not a man)."""
    found = {GENDERED[w] for w in text.lower().split() if w in GENDERED and w not in PRONOUN_WORDS}
    return found.pop() if len(found) == 1 else None


def is_generic_org(name: str) -> bool:
    """'company', 'the ministry': a word for an organisation, not its name."""
    return fold(name) in GENERIC_ORGS


def _without_article(key: str) -> str:
    return key[4:] if key.startswith("the ") else key


# Titles written short before a name: 'Sen. Marisol Quintero-Hayes' is 'the senator'.
ROLE_ABBREVIATIONS = {
    "sen": "senator", "rep": "representative", "gov": "governor", "gen": "general",
    "prof": "professor", "cllr": "councillor", "supt": "superintendent", "insp": "inspector",
    "amb": "ambassador", "sec": "secretary", "pres": "president", "lt": "lieutenant",
    "col": "colonel", "capt": "captain", "sgt": "sergeant", "adm": "admiral",
}  # fmt: skip


def role_words(text: str) -> set[str]:
    words = (ROLE_ABBREVIATIONS.get(w.rstrip("."), w) for w in fold(text).split())
    return {w for w in words if w not in ROLE_STOP and len(w) > 1 and not w.isdigit()}


def looks_like_org(text: str) -> bool:
    return bool(ORG_WORDS.search(text))
