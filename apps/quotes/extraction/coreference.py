"""Coreference: every mention resolves to a speaker, in text order, with the people and
organisations the article introduces along the way (``Cast``): names and their variants,
pronouns to the last person who spoke or was a sentence's subject, role descriptors to the
person introduced with that role; a group or someone unnamed ('officials', 'a spokesman',
'"...," it said') stays the quote's mention with no one speaker.

Input: the parsed ``Article`` and its ``Cues``. Output: each cue's ``speaker`` and
``confidence``; ``art.cast`` (who is who) and ``art.subject_names`` (whom each clause subject
names, for partial quotes inside what a person did).
"""

import sys
from collections.abc import Iterator
from dataclasses import dataclass

from apps.quotes.extraction.cues import Cue, Cues
from apps.quotes.extraction.document import Article, Unit
from apps.quotes.extraction.lexicon import DOCUMENT_NOUNS, GENDERED, ROLE_TITLES, TITLES
from apps.quotes.extraction.mentions import strip_det
from apps.quotes.extraction.names import first_name_gender, fold
from apps.quotes.extraction.speakers import is_generic_org


@dataclass(frozen=True, slots=True)
class Introduction:
    """A person or organisation named outside quotes."""

    position: int
    name: str
    role: str
    kind: str  # 'person' or 'organisation'


@dataclass(frozen=True, slots=True)
class Subject:
    """The subject of a main clause outside quotes, as read off the parse (which may be let
    go before mentions are resolved)."""

    position: int
    key: tuple[int, int]  # ``Article.key`` of its token
    lower: str  # only 'he', 'she' or a role title: nothing else is looked up
    text: str  # only when it is written as a title ('Ruiz', 'Item')
    is_title: bool
    person: str | None  # the name it stands in, when tagged as a person (None: not found)
    tagged_person: bool
    mention: str  # the words up to it ('the senator'), for a role title


def resolve_mentions(
    art: Article,
    cues: Cues,
    intros: list[Introduction] | None = None,
    subjects: list[Subject] | None = None,
) -> None:
    """Resolve every mention in text order, with people introduced along the way. The
    introductions and subjects are read off ``art.units`` unless given (``introductions``
    and ``subjects`` of each unit, in text order)."""
    if intros is None:
        intros = [i for unit in art.units for i in introductions(art, unit)]
    if subjects is None:
        subjects = [s for unit in art.units for s in unit_subjects(art, unit)]
    art.cast.expect(
        [i.name for i in intros if i.kind == "person"]
        + [c.name for c in cues.cues if c.mention_type == "name"]
    )
    events = [(i.position, 0, i) for i in intros]
    events += [(c.mention[0], 1, c) for c in cues.cues + cues.authors + cues.weak if c.mention]
    events += [(s.position, 2, s) for s in subjects]
    by_token = {art.key(c.token): c for c in cues.cues if c.token is not None}
    for pos, _order, event in sorted(events, key=lambda e: (e[0], e[1])):
        if isinstance(event, Introduction):
            art.cast.introduce(event.name, position=pos, role=event.role, kind=event.kind)
        elif isinstance(event, Cue):
            _resolve(art, event, by_token)
        else:
            _note_subject(art, event, pos)


def introductions(art: Article, unit: Unit) -> list[Introduction]:
    """People and organisations the unit names outside quotes: (position, name, role, kind)."""
    found = []
    for ent in unit.doc.ents:
        if ent.label_ not in {"PERSON", "ORG"}:
            continue
        pos = unit.start + ent.start_char
        if art.in_quote(pos):
            continue
        root = ent.root
        role = ""
        if unit.doc.has_annotation("DEP") and root.left_edge.i < ent.start:
            role = unit.doc[root.left_edge.i : ent.start].text
        if not role and ent.label_ == "PERSON":
            role = _title_before(unit.doc, ent.start)
        parsed = unit.doc.has_annotation("DEP")  # no tree on NER-only docs
        for child in root.children if parsed else ():
            if child.dep_ == "appos" and child.i > root.i:
                role += " " + unit.doc[child.left_edge.i : child.right_edge.i + 1].text
        if parsed and root.dep_ == "appos" and root.head.i < root.i:
            head = root.head
            role += " " + unit.doc[head.left_edge.i : head.i + 1].text
        name = ent.text
        titles = [t for t in ent if t.lower_ in ROLE_TITLES]
        if ent.label_ == "ORG" and titles and ent.end - titles[-1].i - 1 >= 2:
            # 'Russian FM Sergey Lavrov' tagged as one organisation
            title = titles[-1]
            name = unit.doc[title.i + 1 : ent.end].text
            role = unit.doc[ent.start : title.i + 1].text
            found.append(Introduction(unit.start + title.idx, name, role, "person"))
            continue
        if name.lower().endswith(("’s", "'s")):
            name = name[:-2]
        kind = "organisation" if ent.label_ == "ORG" else "person"
        if kind == "organisation":
            name = strip_det(name)
        found.append(Introduction(pos, name, role, kind))
    return found + _untagged_names(art, unit)


# what a name the tagger missed may be tagged as instead ('Ivanka' as a product)
UNTAGGED = {"", "PRODUCT", "WORK_OF_ART", "LAW"}


def _untagged_names(art: Article, unit: Unit) -> list[Introduction]:
    """People the named-entity tagger missed: a run of two or three capitalised proper nouns
    opening with a known first name ('Ivanka Trump strode across the stage')."""
    doc = unit.doc
    if not doc.has_annotation("TAG"):
        return []
    found = []
    k = 0
    while k < len(doc):
        token = doc[k]
        end = k
        while end < len(doc) and doc[end].tag_ == "NNP" and doc[end].is_title:
            end += 1
        if 2 <= end - k <= 3 and all(t.ent_type_ in UNTAGGED for t in doc[k:end]):
            pos = unit.start + token.idx
            if first_name_gender(token.text) and not art.in_quote(pos):
                found.append(Introduction(pos, doc[k:end].text, "", "person"))
        k = max(end, k + 1)
    return found


# A paragraph read for names only (no parse) is likely about the person it names first, when
# the name opens it: 'The hospital's director, Katarzyna Zielinska, did not dispute ...'
OPENING_NAME = 60  # characters


def unit_subjects(art: Article, unit: Unit) -> list[Subject]:
    """The subjects of the unit's main clauses outside quotes: whom a later 'he' is likely
    to mean."""
    return [_subject_record(art, token, pos) for pos, token in _subjects(art, unit)]


def _subjects(art: Article, unit: Unit) -> Iterator[tuple[int, object]]:
    if not unit.doc.has_annotation("DEP"):
        ents = unit.doc.ents
        if (
            ents
            and ents[0].label_ == "PERSON"
            and ents[0].start_char < OPENING_NAME
            and first_name_gender(ents[0][0].text) is not None  # a person's name
        ):
            pos = unit.start + ents[0].start_char
            if not art.in_quote(pos):
                yield pos, ents[0].root
        return
    for sent in unit.doc.sents:
        root = sent.root
        verbs = [root] + [c for c in root.children if c.dep_ == "conj"]
        for verb in verbs:
            for child in verb.children:
                if child.dep_ in {"nsubj", "nsubjpass"}:
                    # 'The department's director, Dr. Emmanuel Okoro, did not attend'
                    child = _named_in_apposition(child) or child
                    pos = unit.start + child.idx
                    if not art.in_quote(pos):
                        yield pos, child


LOOKED_UP = ROLE_TITLES | {"he", "she"}


def _subject_record(art: Article, token, position: int) -> Subject:
    tagged = token.ent_type_ == "PERSON"
    ent = next((e for e in token.doc.ents if e.start <= token.i < e.end), None) if tagged else None
    mention = ""
    if token.lower_ in ROLE_TITLES:
        mention = token.doc[token.left_edge.i : token.i + 1].text
    return Subject(
        position=position,
        key=art.key(token),
        lower=token.lower_ if token.lower_ in LOOKED_UP else "",
        text=sys.intern(token.text) if token.is_title else "",
        is_title=token.is_title,
        person=ent.text if ent is not None else None,
        tagged_person=tagged,
        mention=mention,
    )


def _note_subject(art: Article, subject: Subject, position: int) -> None:
    if subject.lower in {"he", "she"}:
        name = art.cast.referent(position, subject.lower)
        art.cast.learn_gender(name, subject.lower)
    elif subject.tagged_person:
        name = art.cast.canonical(subject.person) if subject.person is not None else None
    elif subject.is_title and art.cast.known(subject.text):
        name = art.cast.canonical(subject.text)
    elif subject.lower in ROLE_TITLES:
        name, sure = art.cast.by_description(subject.mention, position)
        name = name if sure > 0.8 else None
    else:
        return
    if name:
        art.cast.subject(name, position)
        art.subject_names[subject.key] = name


def _named_in_apposition(token):
    """The person a descriptor names in apposition: 'the director, Dr. Emmanuel Okoro,'."""
    if token.pos_ != "NOUN" or not token.doc.has_annotation("DEP"):
        return None
    for child in token.children:
        if child.dep_ == "appos" and child.ent_type_ == "PERSON":
            return child
    return None


IT_REACH = 600  # characters back to the organisation an 'it' that speaks can mean


def _reporter(art: Article, cue: Cue, by_token: dict) -> str | None:
    """Who reports the clause a pronoun speaks in: 'Erin Brockovich ..., saying she had not
    called for his resignation because she believed "..."' (she is Brockovich)."""
    node = cue.subject.head if cue.subject is not None else None
    while node is not None and node.dep_ in {"ccomp", "advcl", "conj", "xcomp"}:
        node = node.head
        outer = by_token.get(art.key(node))
        if outer is not None and outer is not cue and outer.speaker:
            person = art.cast.people.get(outer.speaker)
            return outer.speaker if person is not None and person.kind == "person" else None
    return None


def _possessor(art: Article, cue: Cue) -> str | None:
    """Whose 'his' a clause's object has: its subject's ('Sanders has pushed his promise of
    "free college"' is Sanders's promise)."""
    noun = cue.subject.head if cue.subject is not None and cue.subject.dep_ == "poss" else None
    node = noun
    while node is not None and node.dep_ in {"dobj", "pobj", "prep"}:
        node = node.head
    if node is None or node is noun or node.pos_ not in {"VERB", "AUX"}:
        return None
    subject = next((c for c in node.children if c.dep_ == "nsubj"), None)
    name = art.subject_names.get(art.key(subject)) if subject is not None else None
    person = art.cast.people.get(name or "")
    return name if person is not None and person.kind == "person" else None


def _resolve(art: Article, cue: Cue, by_token: dict | None = None) -> None:
    position = cue.mention[0]
    if cue.mention_type == "name":
        cue.speaker = art.cast.introduce(cue.name, position=position, role=cue.role)
        cue.confidence = 0.95
    elif cue.mention_type == "org" and is_generic_org(cue.name):
        # 'the company said': the organisation the article introduced, or that word alone
        cue.speaker = art.cast.organisation(fold(cue.name), position)
        if cue.speaker is None:
            cue.speaker = art.cast.introduce(cue.name, position=position, kind="organisation")
        cue.confidence = 0.8
    elif cue.mention_type == "org":
        cue.speaker = art.cast.introduce(cue.name, position=position, kind="organisation")
        cue.confidence = 0.85
    elif cue.mention_type == "pronoun" and _plural(art, cue):
        # 'they said', 'we said': an organisation that spoke, never one person; else the
        # mention alone, like 'officials said'
        if not _organisation_near(art, cue):
            cue.mention_type = "group"
            return
    elif cue.mention_type == "pronoun":
        pronoun = art.text[cue.mention[0] : cue.mention[1]].lower()
        cue.speaker = art.cast.referent(position, pronoun)
        reporter = None
        if pronoun in {"he", "she"}:
            reporter = _reporter(art, cue, by_token or {})
        elif pronoun in {"his", "her"}:
            reporter = _possessor(art, cue)
        if reporter and not art.cast.people[reporter].excludes(GENDERED[pronoun]):
            cue.speaker = reporter
        if not cue.weak:
            art.cast.learn_gender(cue.speaker, pronoun)
        cue.confidence = 0.8
    elif cue.mention_type == "descriptor" and _document(art, cue):
        if not _organisation_near(art, cue):
            return
    elif cue.mention_type == "descriptor":
        mention = cue.name or art.text[cue.mention[0] : cue.mention[1]]
        cue.speaker, cue.confidence = art.cast.by_description(mention, position)
    elif cue.mention_type == "it":
        # '"...," it said': the organisation just named (the ministry, the company), or the
        # mention alone where none is near
        if not _organisation_near(art, cue):
            return
    elif cue.mention_type == "group":
        cue.speaker, cue.confidence = None, 0.5  # named by the mention alone
        return
    elif cue.mention_type == "surname" and art.cast.known(cue.name):
        cue.speaker = art.cast.canonical(cue.name)
        cue.confidence = 0.9
    elif cue.mention_type == "surname":
        # 'Ruiz said', a name the tagger did not take for one: Ruiz, not the last speaker
        cue.speaker = art.cast.introduce(cue.name, position=position)
        cue.confidence = 0.6
    else:
        # 'the negotiations went on', or a misparse: at best the article's recent speaker
        cue.speaker = art.cast.recent_speaker(position)
        cue.confidence = 0.4
        return
    if cue.speaker and not cue.weak:  # a verb that reports no speech tells us no one spoke
        art.cast.spoke(cue.speaker, position)


def _organisation_near(art: Article, cue: Cue) -> bool:
    """Give the cue the organisation named or heard last, within IT_REACH characters before
    its mention ('it said', 'they said', 'the statement said'); False where there is none (the
    mention alone then stands for the speaker)."""
    cue.speaker = art.cast.recent_organisation(cue.mention[0], IT_REACH)
    cue.confidence = 0.6 if cue.speaker else 0.5
    return cue.speaker is not None


def _plural(art: Article, cue: Cue) -> bool:
    return art.text[cue.mention[0] : cue.mention[1]].lower() in {"they", "we"}


def _document(art: Article, cue: Cue) -> bool:
    """The mention names a document and no author ('the report', not 'statements by the US
    Secretary of State', whose mention is the secretary)."""
    words = art.text[cue.mention[0] : cue.mention[1]].lower().split()
    return bool(words) and words[-1].rstrip(".,") in DOCUMENT_NOUNS and not cue.name


def _title_before(doc, i: int) -> str:
    """'US Secretary of State' before 'Mike Pompeo', where the parse does not join them."""
    k = i
    while k > 0 and (
        doc[k - 1].is_title
        or doc[k - 1].is_upper
        or (doc[k - 1].lower_ in {"of", "for"} and k < i and doc[k].is_title)
    ):
        if doc[k - 1].ent_type_ == "PERSON":
            break
        k -= 1
    while k < i and doc[k].lower_ in {"of", "for"}:
        k += 1
    words = doc[k:i]
    return words.text if any(t.lower_ in TITLES for t in words) else ""
