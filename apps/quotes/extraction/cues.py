"""Speech cues: the words that report speech ("said", "noted", "according to", a colon after a
clause or a name) outside quotes, each with its subject read off the parse, and what kind of
mention that subject is (a name, a pronoun, a role descriptor, a group, an organisation ...).

Input: the parsed ``Article``. Output: ``Cues`` (the cues, and the authors of statements and
letters, who have spoken for a later 'he').
"""

import re
import sys
from dataclasses import dataclass, field

from apps.quotes.extraction import marks, mentions
from apps.quotes.extraction.document import Article, Unit
from apps.quotes.extraction.lexicon import (
    DOCUMENT_NOUNS,
    ISSUING_VERBS,
    RELATIVES,
    ROLE_TITLES,
    SPEAKER_SUBJECT_LEMMAS,
    SPEECH_NOUNS,
    TITLES,
)
from apps.quotes.extraction.mentions import strip_det
from apps.quotes.extraction.names import first_name_gender
from apps.quotes.extraction.speakers import PRONOUNS, looks_like_org
from apps.quotes.extraction.speech import (
    LEXICAL_TAIL,
    after_quote,
    made_clear,
    speech_verb,
)
from apps.quotes.extraction.subjects import (
    is_age,
    is_reported,
    mistagged_name,
    nearest_subject,
    source_noun,
    speaker_like,
    verb_subject,
)

# Words opening a clause that sets the scene of the sentence's speech ('after the senator won',
# 'when Ms. Warren railed'); not 'as', whose clause may name the speaker ('As Amar put it').
SCENE_MARKS = {"when", "whenever", "after", "before", "while", "although", "though"}
SCENE_MARKS |= {"because", "since", "until", "once", "if", "whereas"}
# Mentions that can make a claim or introduce a quote after a colon.
CLAIMANTS = {"name", "surname", "pronoun", "descriptor", "group", "org"}
MENTION_TYPES = ("name", "surname", "pronoun", "descriptor", "group", "it", "org", "thing", "none")
# Mentions that stay a quote's source when no one person is known: 'officials', 'a spokesman'.
NAMED_ONLY = {"group", "descriptor", "it"}


@dataclass(slots=True)  # one per speech verb: 200,000 in a long article
class Cue:
    token: object
    start: int  # absolute offsets of the cue word(s)
    end: int
    text: str
    subject: object | None  # spacy Token
    mention: tuple[int, int] | None
    mention_type: str  # one of MENTION_TYPES
    name: str = ""
    role: str = ""
    speaker: str | None = None
    confidence: float = 0.0
    used: bool = False
    colon: bool = False  # not a speech verb: 'X addressed the crowd:' before the quote
    weak: bool = False  # no speech verb: the verb a quote hangs on ('X offered himself as "..."')
    lemma: str = field(init=False, default="")  # the cue word's, kept when its parse is let go

    def __post_init__(self):
        self.lemma = sys.intern(self.token.lemma_.lower())  # a few hundred words in all

    def release(self) -> None:
        """Let go of the parse (the unit is released): what was read off it stays."""
        self.token = self.subject = None


@dataclass
class Cues:
    cues: list[Cue] = field(default_factory=list)
    authors: list[Cue] = field(default_factory=list)  # named as authors of statements, letters
    weak: list[Cue] = field(default_factory=list)  # verbs quotes hang on that report no speech


def find_cues(art: Article) -> Cues:
    found = Cues()
    for unit in art.units:
        unit_cues(art, unit, found)
    return found


def unit_cues(art: Article, unit: Unit, found: Cues) -> None:
    """The cues of one parsed unit, added to ``found`` in text order."""
    cues, authors = found.cues, found.authors
    for token in unit.doc:
        pos = unit.start + token.idx
        if art.in_quote(pos):
            continue
        if token.lower_ == "according" and token.i + 1 < len(unit.doc):
            to = unit.doc[token.i + 1]
            if to.lower_ == "to":
                objects = [c for c in to.children if c.dep_ == "pobj"]
                subject = objects[0] if objects else None
                cue = make_cue(art, unit, token, subject, end_token=to)
                if cue:
                    cues.append(cue)
            continue
        if token.lower_ == "words" and token.head.lower_ == "in":
            # 'in the words of a senior adviser, "the torchbearer"': like 'according to'
            of = next((c for c in token.children if c.dep_ == "prep" and c.lower_ == "of"), None)
            objects = [c for c in of.children if c.dep_ == "pobj"] if of is not None else []
            if objects:
                cue = make_cue(art, unit, token, objects[0], end_token=of)
                if cue and cue.mention_type in CLAIMANTS:
                    cues.append(cue)
            continue
        if token.text == ":":
            cue = colon_cue(art, unit, token)
            if cue:
                cues.append(cue)
            continue
        owner = _speech_owner(art, token)
        if owner is not None:  # 'her remark that "there's a special place in hell ..."'
            cue = make_cue(art, unit, token, owner)
            if cue and cue.mention_type in CLAIMANTS:
                cues.append(cue)
        if token.pos_ == "NOUN" and token.lemma_.lower() in DOCUMENT_NOUNS:
            # 'statements by the US Secretary of State': he has spoken, for 'he' later
            cue = make_cue(art, unit, token, token)
            if cue and cue.mention_type not in {"thing", "none"}:
                authors.append(cue)
            continue
        if not speech_verb(token) and not _issues_statement(token):
            continue
        if any(c.dep_ == "neg" for c in token.children):
            continue  # 'Pompeo did not say whether ...'
        subject = verb_subject(token, quoted=art.in_quote_token)
        cue = make_cue(art, unit, token, subject, end_token=made_clear(token))
        if (
            cue
            and cue.mention_type == "thing"
            and token.lemma_.lower() in SPEAKER_SUBJECT_LEMMAS
            and not after_quote(token)
        ):
            continue  # 'the data revealed a "gap"': no one spoke
        if cue and cue.mention_type == "thing" and _reported_by_speaker(token):
            continue  # 'a source said the areas hacked suggested ... "economic intelligence"'
        if cue:
            cues.append(cue)


def _reported_by_speaker(verb) -> bool:
    """The verb's clause is what someone said ('a source said the areas hacked suggested
    that ...'): a thing it has for subject speaks for no one, the reporter does."""
    node = verb
    while node.dep_ in {"conj", "xcomp"} and node.head.i != node.i:
        node = node.head
    return (
        node.dep_ == "ccomp" and speech_verb(node.head) and speaker_like(nearest_subject(node.head))
    )


def _speech_owner(art: Article, noun):
    """Whose remark, promise or claim a noun is, where the words quoted are in it ('his calls
    to end the "rigged economy"', "Albright's remark that \"...\""): the possessor."""
    if noun.pos_ != "NOUN" or noun.lemma_.lower() not in SPEECH_NOUNS:
        return None
    owner = next((c for c in noun.children if c.dep_ == "poss"), None) or _agent_of(noun)
    if owner is None or art.in_quote_token(owner):
        return None
    if any(art.in_quote_token(t) for clause in _content(noun) for t in clause.subtree):
        return owner  # "Trump's claim that Obama \"founded ISIS\"", 'her claim is that ...'
    if any(speech_verb(t) for t in noun.ancestors):
        return None  # 'Fitton called Clinton's assertion "significant"': the outer speaker's
    quoted = any(art.in_quote_token(t) for t in noun.subtree if t.i > noun.i and not t.is_punct)
    return owner if quoted else None


def _agent_of(noun):
    """'the suggestion by a potential president that someone "ought to look into" the judge':
    the one a remark is by."""
    by = next((c for c in noun.children if c.dep_ == "prep" and c.lower_ == "by"), None)
    return next((c for c in by.children if c.dep_ == "pobj"), None) if by is not None else None


def _content(noun) -> list:
    """The clauses that say what a remark or claim was: 'the claim that ...', 'her claim is
    that ...'."""
    clauses = [c for c in noun.children if c.dep_ in {"acl", "ccomp"} and c.i > noun.i]
    if noun.dep_ == "nsubj" and noun.head.lemma_ == "be":
        clauses += [c for c in noun.head.children if c.dep_ == "ccomp" and c.i > noun.i]
    return clauses + _content_hung_elsewhere(noun)


def _content_hung_elsewhere(noun) -> list:
    """The clause right after the noun, opened by 'that', which the parser hung on another
    word: 'challenged over his statement on Wednesday that "..."', 'after her comment that,
    "..."' (the clause is what the statement said, not what the challenge or the verb did)."""
    doc, after = noun.doc, noun.right_edge.i + 1
    if after < len(doc) and doc[after].dep_ == "prep":  # 'on Wednesday', hung elsewhere too
        after = doc[after].right_edge.i + 1
    if after >= len(doc):
        return []
    that = doc[after]
    clause = that.head
    if that.lower_ != "that" or that.dep_ != "mark" or clause.i <= that.i:
        return []
    if clause.head == noun or clause.dep_ not in {"ccomp", "advcl"} or speech_verb(clause.head):
        return []  # 'said in her remarks that ...': the clause is what 'said' reports
    return [clause]


def _issues_statement(verb) -> bool:
    """'Trump issued a statement, "..."', 'the ministry released a letter': speech."""
    return (
        verb.pos_ == "VERB"
        and verb.lemma_.lower() in ISSUING_VERBS
        and any(c.dep_ == "dobj" and c.lemma_.lower() in DOCUMENT_NOUNS for c in verb.children)
    )


def weak_cues(art: Article, unit: Unit, found: Cues) -> None:
    """The verb each quote of the unit hangs on, where it is no speech verb ('Trump offered
    himself as a "law and order" candidate', 'the campaign rejected the idea as "ludicrous"'),
    with its subject: a candidate speaker the rules do not propose, for the chooser to weigh."""
    doc, end = unit.doc, unit.start + len(unit.doc.text)
    seen = {c.token.i for c in found.cues if c.token is not None and c.token.doc is doc}
    for seg in art.segments:
        if not unit.start <= seg.start < end or seg.single:
            continue
        span = doc.char_span(
            seg.start - unit.start, seg.start - unit.start + 1, alignment_mode="expand"
        )
        if span is None or not len(span):
            continue
        token = span[0]
        while art.in_quote_token(token) or token.pos_ not in {"VERB", "AUX"}:
            if token.head.i == token.i:
                break
            token = token.head
        else:
            if token.i in seen or speech_verb(token):
                continue
            seen.add(token.i)
            subject = verb_subject(token, quoted=art.in_quote_token)
            if subject is None or subject.i > token.i:
                continue
            cue = make_cue(art, unit, token, subject)
            if cue is not None and cue.mention and cue.mention_type in CLAIMANTS | {"it"}:
                cue.weak = True
                found.weak.append(cue)


def colon_cue(art: Article, unit: Unit, colon) -> Cue | None:
    """'She then addressed the supporters:' or 'Philip Bump:' before a quote: whoever
    the clause before the colon is about introduces the quoted words."""
    after = unit.start + colon.idx + 1
    nxt = art.text[after : after + 3].lstrip()
    if nxt and nxt[0] not in marks.DOUBLES:
        return None
    doc = colon.doc
    signed = _signed(art, unit, colon)
    if signed is not None:
        return signed
    verb = colon.head
    while verb.pos_ not in {"VERB", "AUX"} and verb.head.i != verb.i:
        verb = verb.head
    if verb.pos_ in {"VERB", "AUX"} and verb.i < colon.i:
        reporting = verb
        while reporting.head.i != reporting.i and (
            reporting.dep_ == "ccomp"
            # 'Reid said ..., but he gave the Texan a compliment:' has a subject of its own
            or (reporting.dep_ == "conj" and nearest_subject(reporting) is None)
        ):
            reporting = reporting.head  # 'He adds that Muslims have two choices: "..."'
        if speech_verb(verb) or speech_verb(reporting) or _reported_conj(reporting):
            return None  # a speech cue of its own
        subject = verb_subject(verb, quoted=art.in_quote_token)
        if subject is not None and subject.i < verb.i:
            cue = make_cue(art, unit, verb, subject)
            if cue and cue.mention_type in CLAIMANTS:
                cue.colon = True
                return cue
        return None
    before = doc[colon.i - 1] if colon.i else None
    if before is not None and before.lemma_.lower() in DOCUMENT_NOUNS:
        owner = next((c for c in before.children if c.dep_ == "poss"), None)
        if owner is not None:  # "From Bush's Facebook post:"
            cue = make_cue(art, unit, before, owner)
            if cue and cue.mention_type in CLAIMANTS:
                cue.colon = True
                return cue
    newline = art.text.find("\n", after)
    line_ends = not art.text[after : newline if newline != -1 else None].strip()
    heading = _document_heading(colon) if line_ends else None
    if heading is not None:  # 'Partial transcript as follows:' on a line of its own
        cue = make_cue(art, unit, heading, heading)
        if cue and cue.mention:
            cue.colon = True
            return cue
    names = [e for e in doc.ents if e.label_ in {"PERSON", "ORG"} and e.end == colon.i]
    if not names or _venue(names[-1]):
        return None
    ent = names[-1]
    start = unit.start + ent.start_char
    cue = Cue(ent.root, start, after, ":", None, (start, unit.start + ent.end_char), "name")
    cue.name, cue.colon = ent.text, True
    if ent.label_ == "ORG" and looks_like_org(ent.text):
        cue.mention_type = "org"
    return cue


# 'Pollsters agree - Carl Bialik: "..."': a digest's heading, a dash, the name it quotes
SIGNED = re.compile(r"\s[-–—]\s+((?:[A-Z][\w.’'-]*\s+){0,3}[A-Z][\w.’'-]*)\s*$")


def _signed(art: Article, unit: Unit, colon) -> Cue | None:
    """The name between a dash and the colon before a quote speaks, whatever the words
    before the dash say ('But polls did predict the race - HuffPollster: "..."')."""
    end = unit.start + colon.idx
    line_start = art.text.rfind("\n", 0, end) + 1
    m = SIGNED.search(art.text, max(line_start, end - 200), end)
    if m is None or art.in_quote(m.start(1)):
        return None
    rel = m.start(1) - unit.start
    span = colon.doc.char_span(rel, rel + 1, alignment_mode="expand") if rel >= 0 else None
    if not span:
        return None
    token, name = span[0], m.group(1)
    cue = Cue(token, m.start(1), end + 1, ":", None, m.span(1), "name")
    cue.name, cue.colon = name, True
    if looks_like_org(name):
        cue.mention_type = "org"
    return cue


def _document_heading(colon):
    """'Partial transcript as follows:', 'Full text:': a line naming a document and nothing
    else before a quote; the document speaks (its author, where the article names one)."""
    if not colon.doc.has_annotation("DEP"):
        return None
    head = colon.head
    sent = colon.sent
    if head.i > colon.i or head.lemma_.lower() not in DOCUMENT_NOUNS or head.dep_ != "ROOT":
        return None
    rest = [t for t in sent if t.i < colon.i and t.i != head.i and not t.is_punct]
    allowed = {"as", "follows", "follow", "the", "a", "full", "partial", "text", "of", "below"}
    return head if all(t.lower_ in allowed or t.dep_ == "amod" for t in rest) else None


def _venue(ent) -> bool:
    """'later that month on CNN:', 'in the Times:': where the words were said, not who."""
    prep = ent.root.head
    return (
        ent.root.dep_ == "pobj"
        and prep.text in {"on", "in", "at", "during", "via"}
        and prep.i >= ent.start - 2
    )


def _reported_conj(verb) -> bool:
    """A clause joined to one a speech verb reports, with 'that' of its own: reported too
    ('Axelrod said this was a "fatal miscalculation" and that she has learned her lesson:')."""
    return (
        verb.dep_ == "conj"
        and is_reported(verb.head)
        and any(c.dep_ == "mark" and c.lower_ == "that" for c in verb.children)
    )


def make_cue(art: Article, unit: Unit, token, subject, end_token=None) -> Cue | None:
    start = unit.start + token.idx
    last = end_token or token
    end = unit.start + last.idx + len(last.text)
    cue = Cue(token, start, end, sys.intern(art.text[start:end]), subject, None, "none")
    if subject is None:
        return cue
    if art.in_quote(unit.start + subject.idx):
        cue.subject = None
        return cue
    relative, antecedent = None, mentions.antecedent(subject)
    if antecedent is not None:  # 'Lavrov, who said': 'who' is the mention, Lavrov speaks
        relative, subject = subject, antecedent
        if art.in_quote(unit.start + subject.idx):
            cue.subject = None  # 'a "chief trade prosecutor" who reports to the president'
            return cue
    if mentions.is_share(subject):
        # 'In a Post-ABC poll, 75 percent of Republicans said': the poll's
        subject = mentions.poll_before(art, subject) or subject
    if subject.lemma_.lower() in DOCUMENT_NOUNS:
        # 'the State Department statement said', "Lavrov's letter says": its author speaks
        subject = mentions.author(subject) or subject
    first = subject.left_edge
    while first.i < subject.i and (
        first.is_punct
        or first.is_quote
        or first.dep_ == "preconj"
        or first.lower_ in RELATIVES  # 'who Beck ... called', the name parsed as the verb
        or art.in_quote(unit.start + first.idx)
    ):
        first = unit.doc[first.i + 1]
    mstart = unit.start + first.idx
    mend = unit.start + subject.idx + len(subject.text)
    # a name written after the head: "the head of the State Department, Rex Tillerson"
    appos = [c for c in subject.children if c.dep_ == "appos" and c.pos_ == "PROPN"]
    named = [
        e
        for e in subject.doc.ents
        if e.label_ == "PERSON"
        and subject.left_edge.i <= e.start
        and e.end <= subject.right_edge.i + 1
        and e.start > subject.i
        and not art.in_quote(unit.start + e.start_char)
    ]
    if subject.lower_ in TITLES and named:
        # 'Head of the ... Department Andrei Sidorov agrees': the name closes the phrase
        cue.name, cue.role = named[0].text, unit.doc[first.i : named[0].start].text
        cue.mention_type = "name"
        cue.mention = (mstart, unit.start + named[0].end_char)
        return cue
    if subject.lower_ in TITLES and appos and mentions.person_named(appos[0]):
        # 'Their spokeswoman, Amara Diallo, put it': the name in apposition, whatever the
        # named-entity tagger took it for ('The grid operator, Merrow Energy,' is not one)
        name_tokens = mentions.name_tokens(appos[0])
        cue.name = mentions.name_text(name_tokens)
        cue.role = unit.doc[first.i : subject.i + 1].text
        cue.mention_type = "name"
        cue.mention = (mstart, unit.start + appos[0].idx + len(appos[0].text))
        return cue
    if subject.lower_ in PRONOUNS:
        if subject.lower_ == "it":
            if subject.dep_ != "nsubj" or token.i < subject.i:
                cue.subject = None  # 'it was stated that', 'so is it said'
                return cue
            cue.mention_type = "it"  # '"...," it said': a statement, a letter, a group
        else:
            cue.mention_type = "pronoun"
    elif (subject.lower_ in ROLE_TITLES and subject.ent_type_ != "PERSON") or (
        subject.lower_ in TITLES
        and not any(c.dep_ in {"compound", "flat"} for c in subject.children)
    ):
        # 'the Russian Foreign Minister', 'the US Secretary', a headline's 'Mayor concedes'
        cue.mention_type = "descriptor"
    elif (
        (subject.pos_ == "PROPN" or subject.ent_type_ in {"PERSON", "ORG", "GPE", "NORP"})
        and subject.text[:1].isupper()  # 'the mayor-elect' is no name
        and not (subject.lemma_.lower() in DOCUMENT_NOUNS and not subject.ent_type_)
    ):  # 'Transcript as follows:' is a document
        name_tokens = mentions.name_tokens(subject)
        cue.name = mentions.name_text(name_tokens)
        cue.role = unit.doc[first.i : name_tokens[0].i].text if first.i < name_tokens[0].i else ""
        org = (
            subject.ent_type_ in {"GPE", "NORP"}
            or looks_like_org(cue.name)
            or (subject.ent_type_ == "ORG" and (len(name_tokens) > 1 or subject.text.isupper()))
        )
        if subject.ent_type_ == "PERSON" or (
            # 'Councillor Amara Diallo' tagged as an organisation: a title, then a first name
            len(name_tokens) > 1
            and first.i < name_tokens[0].i
            and unit.doc[name_tokens[0].i - 1].lower_ in TITLES
            and first_name_gender(name_tokens[0].text) is not None
        ):
            org = False
        cue.mention_type = "org" if org else "name"
        if org:
            cue.name = strip_det(unit.doc[first.i : subject.i + 1].text)
    elif appos:
        name_tokens = mentions.name_tokens(appos[0])
        cue.name = mentions.name_text(name_tokens)
        cue.role = unit.doc[first.i : subject.i + 1].text
        # 'The grid operator, Merrow Energy, says': an organisation, not a person
        cue.mention_type = (
            "name" if mentions.person_named(appos[0]) or appos[0].ent_type_ != "ORG" else "org"
        )
        mend = unit.start + appos[0].idx + len(appos[0].text)
    elif looks_like_org(art.text[mstart:mend]):
        cue.mention_type = "org"
        cue.name = strip_det(art.text[mstart:mend])
    elif subject.pos_ in {"NOUN", "PROPN"} or is_age(subject) or mistagged_name(subject):
        if subject.is_title and not source_noun(subject):
            cue.name = subject.text  # 'Sanders added', with the name tagged as a noun
            cue.mention_type = "surname"
        else:
            # 'the senator', 'officials' and 'the statement' are sources the article
            # may name; 'the negotiations' and 'the results' are not
            cue.mention_type = "descriptor" if source_noun(subject) else "thing"
            if (
                cue.mention_type == "descriptor"
                and subject.tag_ == "NNS"
                and subject.lemma_.lower() not in DOCUMENT_NOUNS
            ):
                cue.mention_type = "group"  # 'officials', 'the leaders': no one person
    elif mentions.one_of_them(token, subject) or mentions.some_of_them(token, subject):
        cue.mention_type = "group"  # 'Another said he hoped ...': someone left unnamed
    else:
        cue.subject = None
        return cue
    employer = mentions.employer(subject) if cue.mention_type in {"descriptor", "group"} else None
    if employer is not None:  # 'a spokesman for the developer, Baltic Quay Holdings,'
        cue.mention_type, cue.name = "org", strip_det(employer.text)
    elif cue.mention_type == "descriptor" and any(
        c.dep_ == "det" and c.lower_ in {"a", "an", "another"} for c in subject.children
    ):
        cue.mention_type = "group"  # 'a spokesman said': someone the article does not name
    if cue.mention_type == "group":  # all the words there are: 'a person close to the Clintons'
        tail = subject.doc[subject.i + 1 : subject.right_edge.i + 1]
        if 0 < len(tail) <= 8 and not any(t.is_punct or t.pos_ in {"VERB", "AUX"} for t in tail):
            mend = unit.start + tail[-1].idx + len(tail[-1])
    cue.mention = (mstart, mend)
    if relative is not None:
        if cue.mention_type == "descriptor":
            cue.name = art.text[mstart:mend]  # what 'who' stands for: 'the senator'
        cue.mention = (unit.start + relative.idx, unit.start + relative.idx + len(relative))
    return cue


def lexical_tail(art: Article, seg, after: int, nxt: int) -> Cue | None:
    """'..., “Lavrov said.' in a passage too mangled for the parser: read it off the text."""
    if seg.close_mark is None:
        return None
    m = LEXICAL_TAIL.match(art.text, after, nxt)
    if not m:
        return None
    who, verb = ("who", "verb") if m.group("who") else ("who2", "verb2")
    cue_tok = art.token_at(m.start(verb))
    if cue_tok is None or _subject_before(art, cue_tok, seg.start):
        return None
    mstart, mend = m.span(who)
    cue = Cue(cue_tok, m.start(verb), m.end(verb), m.group(verb), None, (mstart, mend), "name")
    mention = m.group(who)
    words = mention.lower().split()
    if mention.lower() in PRONOUNS:
        cue.mention_type = "pronoun"
    elif words[0] in {"the", "a", "an"} or words[-1] in ROLE_TITLES:
        cue.mention_type = "org" if looks_like_org(mention) else "descriptor"
        cue.name = strip_det(mention)
    else:
        cue.name = mention
    return cue


def _subject_before(art: Article, verb, start: int) -> bool:
    """The parse gives the verb a subject before the quote: 'Roffman, who estimates that his
    costs were "in the seven figures," described the impact as' (no 'described the impact')."""
    return any(
        c.dep_ == "nsubj" and art.abs(c) < start and not art.in_quote_token(c)
        for c in verb.children
    )
