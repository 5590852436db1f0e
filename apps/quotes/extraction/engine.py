"""Quotes, partial quotes and reported claims, each with its speaker.

The steps, each linear in the text's length:

1. paragraphs, boilerplate and quotation marks (``marks``), repaired per paragraph;
2. spaCy parses only the paragraphs that hold a quote or a speech verb;
3. speech cues ("said", "noted", "according to") and their subjects outside the quotes;
4. each quoted segment takes the cue that frames it: after it (``"...," Lavrov said``) or
   before it (``Arbatov said: "..."``); a quote with no cue follows the speaker of the quote
   next to it;
5. cues with a reported clause and no quote become indirect claims;
6. mentions resolve to speakers in text order (``Cast``): names and their variants, pronouns
   to the last speaker, role descriptors to the person introduced with that role; a group or
   someone unnamed ('officials', 'a spokesman', '"...," it said') stays the quote's mention with
   no one speaker, and 'a spokesman for the ministry' speaks for the ministry.
"""

import bisect
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from apps.quotes.extraction import layouts, lexicon, marks
from apps.quotes.extraction.lexicon import (
    ADDRESSEE_VERBS,
    DOCUMENT_NOUNS,
    FRAMING_LEMMAS,
    NAMING_VERBS,
    PERSON_NOUNS,
    ROLE_TITLES,
    TITLE_SMALL,
    TITLES,
)
from apps.quotes.extraction.names import fold
from apps.quotes.extraction.pipeline import load_pipeline
from apps.quotes.extraction.speakers import PRONOUNS, Cast, looks_like_org
from apps.quotes.extraction.types import ExtractedQuote, SpeakerHint

# Speech as a verb and particle: 'Hillary shot back', 'Trump went on'.
PARTICLE_CUES = {
    "shoot": "back",
    "fire": "back",
    "hit": "back",
    "go": "on",
    "point": "out",
    "put": "it",  # 'as Cornyn put it:'
}
CUE_LEMMAS = lexicon.CUE_LEMMAS | FRAMING_LEMMAS
# Cues that introduce a reported clause (indirect speech) as well as quotes.
INDIRECT_LEMMAS = (
    CUE_LEMMAS - FRAMING_LEMMAS - {"ask", "call", "describe", "continue", "echo", "urge", "post"}
) | {"worry", "fear", "boast", "brag", "lament", "charge", "pledge"}
_WHO = (
    r"(?:he|she|they|(?:the\s+)?(?:(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Gen|Prof)\.\s+)?"
    r"(?:[A-Z][\w’'-]+\s+){0,4}[A-Z][\w’'-]+|the(?:\s+[a-z][\w-]+){1,4})"
)
LEXICAL_TAIL = re.compile(
    rf"[\s,;:–—-]*(?:(?P<who>{_WHO})\s+(?P<verb>{marks.CUE_FORMS})|"
    rf"(?P<verb2>{marks.CUE_FORMS})\s+(?P<who2>{_WHO}))\b"
)
IRREGULAR = {
    "say": ["said"],
    "tell": ["told"],
    "write": ["wrote", "written"],
    "speak": ["spoke", "spoken"],
    "go": ["went"],
    "shoot": ["shot"],
}


def _inflections(lemma: str) -> list[str]:
    """'agree' -> agree, agrees, agreed, agreeing (enough to find paragraphs worth parsing)."""
    stem = lemma[:-1] if lemma.endswith("e") and not lemma.endswith("ee") else lemma
    forms = [lemma, lemma + "s", stem.removesuffix("e") + "ed", stem + "ing"]
    if lemma.endswith("y") and lemma[-2] not in "aeiou":
        forms += [lemma[:-1] + "ies", lemma[:-1] + "ied"]
    if lemma.endswith(("sh", "ch", "ss", "x")):
        forms.append(lemma + "es")
    if lemma[-1] in "pgtbm" and lemma[-2] in "aeiou":  # 'quip' -> 'quipped'
        forms += [lemma + lemma[-1] + "ed", lemma + lemma[-1] + "ing"]
    return forms + IRREGULAR.get(lemma, [])


# Paragraphs with none of these words (and no quote) are only scanned for names.
_SPEECH_FORMS = {f for lemma in CUE_LEMMAS | set(PARTICLE_CUES) for f in _inflections(lemma)}
SPEECH_HINT = re.compile(
    r"\b(?:according to|(?:make|makes|made|making)(?: it)? clear|"
    + "|".join(sorted(_SPEECH_FORMS))
    + r")\b",
    re.IGNORECASE,
)
NAMES_ONLY_MAX = 3_000  # longer paragraphs with no quote and no speech verb are not parsed
MAX_UNIT = 20_000  # characters parsed at once; longer paragraphs are cut at spaces
AUTHOR_ENTS = {"PERSON", "ORG", "GPE", "NORP"}
PERSON_SUFFIXES = ("ist", "man", "woman", "person", "ian", "eer")
NOUN_MODIFIERS = {"compound", "amod", "nmod", "poss", "appos"}
# Mentions that stay a quote's source when no one person is known: 'officials', 'a spokesman'.
NAMED_ONLY = {"group", "descriptor", "it"}
CLAIMANTS = {"name", "surname", "pronoun", "descriptor", "group", "org"}
HOW_SURE = {"tail": 1.0, "head": 0.95, "governs": 0.85}
CLAIM_OWN_WORDS = 4  # words of its own, outside quote marks, that make a reported clause a claim
SHORT = 4  # quotes of at most this many words need a cue that clearly frames them
RELATIVES = {"who", "which", "that"}  # a relative clause's subject stands for the noun before


@dataclass
class Unit:
    start: int
    doc: object  # spacy Doc of text[start:start+len(doc.text)]


@dataclass
class Cue:
    token: object
    start: int  # absolute offsets of the cue word(s)
    end: int
    text: str
    subject: object | None  # spacy Token
    mention: tuple[int, int] | None
    mention_type: str  # name | surname | pronoun | descriptor | group | it | org | thing | none
    name: str = ""
    role: str = ""
    speaker: str | None = None
    confidence: float = 0.0
    used: bool = False
    colon: bool = False  # not a speech verb: 'X addressed the crowd:' before the quote


def extract(text: str, *, speakers: Sequence[SpeakerHint] = ()) -> list[ExtractedQuote]:
    return next(extract_many([text], speakers=speakers))


def extract_many(
    texts: Iterable[str], *, speakers: Sequence[SpeakerHint] = ()
) -> Iterator[list[ExtractedQuote]]:
    nlp = load_pipeline()
    hints = tuple(speakers)
    for text in texts:
        if not isinstance(text, str):
            raise TypeError("extract() takes text (str); decode bytes as UTF-8 first")
        yield _Article(text, hints, nlp).run() if text.strip() else []


class _Article:
    def __init__(self, text: str, hints: tuple[SpeakerHint, ...], nlp):
        self.original = text
        # the same offsets, one kind of double mark, dash dialogue's dashes as marks
        self.text = layouts.normalise(marks.ascii_doubles(text))
        self.nlp = nlp
        self.cast = Cast(hints)
        self.paras = marks.paragraphs(self.text)
        self.segments = marks.segments(self.text, self.paras)
        self._seg_starts = [s.start for s in self.segments]
        self.units: list[Unit] = []
        self.authors: list[Cue] = []  # people named as the authors of statements, letters
        self.subject_names: dict[tuple[int, int], str] = {}  # whom each subject names

    # -- parsing ---------------------------------------------------------------------------

    def parse(self) -> None:
        """Full parse where speech is reported; names only (NER) elsewhere, in normal-sized
        paragraphs: a 5 MB paragraph with no quote and no speech verb is not parsed at all."""
        full, names = [], []
        seg_paras = {s.paragraph for s in self.segments}
        for para in self.paras:
            lo, hi = para.body_start, para.end
            if lo >= hi:
                continue
            letters = sum(ch.isalpha() for ch in self.text[lo : min(hi, lo + 2000)])
            if letters < 0.4 * min(hi - lo, 2000):
                continue  # not prose: runs of quote marks, tables of numbers, binary junk
            if para.index in seg_paras or SPEECH_HINT.search(self.text, lo, hi):
                full += list(_cut(self.text, lo, hi))
            elif hi - lo <= NAMES_ONLY_MAX:
                names.append((lo, hi))
        docs = list(self.nlp.pipe((self.text[a:b] for a, b in full), batch_size=64))
        only_ner = [p for p in self.nlp.pipe_names if p not in {"tok2vec", "ner"}]
        with self.nlp.select_pipes(disable=only_ner):
            docs += list(self.nlp.pipe((self.text[a:b] for a, b in names), batch_size=64))
        pieces = full + names
        units = sorted(
            (Unit(a, doc) for (a, _), doc in zip(pieces, docs, strict=True)),
            key=lambda u: u.start,
        )
        self.units = units
        self._unit_starts = [u.start for u in self.units]
        self._unit_by_doc = {id(u.doc): u for u in self.units}

    def token_at(self, pos: int):
        n = bisect.bisect_right(self._unit_starts, pos) - 1
        if n < 0:
            return None
        unit = self.units[n]
        rel = pos - unit.start
        if rel >= len(unit.doc.text):
            return None
        span = unit.doc.char_span(rel, rel + 1, alignment_mode="expand")
        return span[0] if span is not None and len(span) else None

    def in_quote(self, pos: int) -> bool:
        n = bisect.bisect_right(self._seg_starts, pos) - 1
        # segments may nest (single inside double): look back a little
        for seg in self.segments[max(0, n - 3) : n + 1]:
            if seg.start <= pos < seg.end and not seg.single:
                return True
        return False

    def in_quote_token(self, token) -> bool:
        return self.in_quote(self.abs(token))

    def abs(self, token) -> int:
        return self._unit_of(token).start + token.idx

    def _unit_of(self, token) -> Unit:
        return self._unit_by_doc[id(token.doc)]

    # -- cues ------------------------------------------------------------------------------

    def find_cues(self) -> list[Cue]:
        cues = []
        for unit in self.units:
            for token in unit.doc:
                pos = unit.start + token.idx
                if self.in_quote(pos):
                    continue
                if token.lower_ == "according" and token.i + 1 < len(unit.doc):
                    to = unit.doc[token.i + 1]
                    if to.lower_ == "to":
                        objects = [c for c in to.children if c.dep_ == "pobj"]
                        subject = objects[0] if objects else None
                        cue = self.cue(unit, token, subject, end_token=to)
                        if cue:
                            cues.append(cue)
                    continue
                if token.text == ":":
                    cue = self.colon_cue(unit, token)
                    if cue:
                        cues.append(cue)
                    continue
                if token.pos_ == "NOUN" and token.lemma_.lower() in DOCUMENT_NOUNS:
                    # 'statements by the US Secretary of State': he has spoken, for 'he' later
                    cue = self.cue(unit, token, token)
                    if cue and cue.mention_type not in {"thing", "none"}:
                        self.authors.append(cue)
                    continue
                if not _speech_verb(token):
                    continue
                if any(c.dep_ == "neg" for c in token.children):
                    continue  # 'Pompeo did not say whether ...'
                subject = _subject(token, quoted=self.in_quote_token)
                cue = self.cue(unit, token, subject, end_token=_made_clear(token))
                if cue:
                    cues.append(cue)
        return cues

    def colon_cue(self, unit: Unit, colon) -> Cue | None:
        """'She then addressed the supporters:' or 'Philip Bump:' before a quote: whoever
        the clause before the colon is about introduces the quoted words."""
        after = unit.start + colon.idx + 1
        nxt = self.text[after : after + 3].lstrip()
        if nxt and nxt[0] not in marks.DOUBLES:
            return None
        doc = colon.doc
        verb = colon.head
        while verb.pos_ not in {"VERB", "AUX"} and verb.head.i != verb.i:
            verb = verb.head
        if verb.pos_ in {"VERB", "AUX"} and verb.i < colon.i:
            reporting = verb
            while reporting.dep_ in {"ccomp", "conj"} and reporting.head.i != reporting.i:
                reporting = reporting.head  # 'He adds that Muslims have two choices: "..."'
            if _speech_verb(verb) or _speech_verb(reporting):
                return None  # a speech cue of its own
            subject = _subject(verb, quoted=self.in_quote_token)
            if subject is not None and subject.i < verb.i:
                cue = self.cue(unit, verb, subject)
                if cue and cue.mention_type in CLAIMANTS:
                    cue.colon = True
                    return cue
            return None
        names = [e for e in doc.ents if e.label_ in {"PERSON", "ORG"} and e.end == colon.i]
        if not names:
            return None
        ent = names[-1]
        start = unit.start + ent.start_char
        cue = Cue(ent.root, start, after, ":", None, (start, unit.start + ent.end_char), "name")
        cue.name, cue.colon = ent.text, True
        if ent.label_ == "ORG" and looks_like_org(ent.text):
            cue.mention_type = "org"
        return cue

    def cue(self, unit: Unit, token, subject, end_token=None) -> Cue | None:
        start = unit.start + token.idx
        last = end_token or token
        end = unit.start + last.idx + len(last.text)
        cue = Cue(token, start, end, self.text[start:end], subject, None, "none")
        if subject is None:
            return cue
        if self.in_quote(unit.start + subject.idx):
            cue.subject = None
            return cue
        relative, antecedent = None, _antecedent(subject)
        if antecedent is not None:  # 'Lavrov, who said': 'who' is the mention, Lavrov speaks
            relative, subject = subject, antecedent
        if subject.lemma_.lower() in DOCUMENT_NOUNS:
            # 'the State Department statement said', "Lavrov's letter says": its author speaks
            subject = _author(subject) or subject
        first = subject.left_edge
        while first.i < subject.i and (
            first.is_punct
            or first.is_quote
            or first.dep_ == "preconj"
            or self.in_quote(unit.start + first.idx)
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
            and not self.in_quote(unit.start + e.start_char)
        ]
        if subject.lower_ in ROLE_TITLES and named:
            # 'Head of the ... Department Andrei Sidorov agrees': the name closes the phrase
            cue.name, cue.role = named[0].text, unit.doc[first.i : named[0].start].text
            cue.mention_type = "name"
            cue.mention = (mstart, unit.start + named[0].end_char)
            return cue
        if subject.lower_ in PRONOUNS:
            if subject.lower_ == "it":
                if subject.dep_ != "nsubj" or token.i < subject.i:
                    cue.subject = None  # 'it was stated that', 'so is it said'
                    return cue
                cue.mention_type = "it"  # '"...," it said': a statement, a letter, a group
            else:
                cue.mention_type = "pronoun"
        elif subject.lower_ in ROLE_TITLES and subject.ent_type_ != "PERSON":
            cue.mention_type = "descriptor"  # 'the Russian Foreign Minister', 'the US Secretary'
        elif subject.pos_ == "PROPN" or subject.ent_type_ in {"PERSON", "ORG", "GPE", "NORP"}:
            name_tokens = _name_tokens(subject)
            cue.name = " ".join(t.text for t in name_tokens)
            cue.role = (
                unit.doc[first.i : name_tokens[0].i].text if first.i < name_tokens[0].i else ""
            )
            org = (
                subject.ent_type_ in {"GPE", "NORP"}
                or looks_like_org(cue.name)
                or (subject.ent_type_ == "ORG" and (len(name_tokens) > 1 or subject.text.isupper()))
            )
            if subject.ent_type_ == "PERSON":
                org = False
            cue.mention_type = "org" if org else "name"
            if org:
                cue.name = _strip_det(unit.doc[first.i : subject.i + 1].text)
        elif appos:
            name_tokens = _name_tokens(appos[0])
            cue.name = " ".join(t.text for t in name_tokens)
            cue.role = unit.doc[first.i : subject.i + 1].text
            cue.mention_type = "name"
            mend = unit.start + appos[0].idx + len(appos[0].text)
        elif looks_like_org(self.text[mstart:mend]):
            cue.mention_type = "org"
            cue.name = _strip_det(self.text[mstart:mend])
        elif subject.pos_ in {"NOUN", "PROPN"}:
            if subject.is_title and not _source_noun(subject):
                cue.name = subject.text  # 'Sanders added', with the name tagged as a noun
                cue.mention_type = "surname"
            else:
                # 'the senator', 'officials' and 'the statement' are sources the article
                # may name; 'the negotiations' and 'the results' are not
                cue.mention_type = "descriptor" if _source_noun(subject) else "thing"
                if (
                    cue.mention_type == "descriptor"
                    and subject.tag_ == "NNS"
                    and subject.lemma_.lower() not in DOCUMENT_NOUNS
                ):
                    cue.mention_type = "group"  # 'officials', 'the leaders': no one person
        else:
            cue.subject = None
            return cue
        employer = _employer(subject) if cue.mention_type in {"descriptor", "group"} else None
        if employer is not None:  # 'a spokesman for the developer, Baltic Quay Holdings,'
            cue.mention_type, cue.name = "org", _strip_det(employer.text)
        elif cue.mention_type == "descriptor" and any(
            c.dep_ == "det" and c.lower_ in {"a", "an", "another"} for c in subject.children
        ):
            cue.mention_type = "group"  # 'a spokesman said': someone the article does not name
        if cue.mention_type == "group":  # all the words there are: 'a person close to the Clintons'
            tail = subject.doc[subject.i + 1 : subject.right_edge.i + 1]
            if 0 < len(tail) <= 8 and not any(
                t.is_punct or t.pos_ in {"VERB", "AUX"} for t in tail
            ):
                mend = unit.start + tail[-1].idx + len(tail[-1])
        cue.mention = (mstart, mend)
        if relative is not None:
            if cue.mention_type == "descriptor":
                cue.name = self.text[mstart:mend]  # what 'who' stands for: 'the senator'
            cue.mention = (unit.start + relative.idx, unit.start + relative.idx + len(relative))
        return cue

    # -- quotes ----------------------------------------------------------------------------

    def attribute_segments(self, cues: list[Cue]) -> dict[int, tuple[Cue, str]]:
        """For each segment index: the cue that frames it and how ('tail' or 'head')."""
        chosen: dict[int, tuple[Cue, str]] = {}
        by_para: dict[int, list[Cue]] = {}
        by_token = {(id(c.token.doc), c.token.i): c for c in cues if c.mention is not None}
        for cue in cues:
            if cue.mention is not None:
                para = self._para_of(cue.start)
                by_para.setdefault(para, []).append(cue)
        for n, seg in enumerate(self.segments):
            para = self.paras[seg.paragraph]
            candidates = by_para.get(para.index, [])
            nxt = self._next_open(n, para)
            prev_close = self._prev_close(n, para)
            after = seg.close_mark + 1 if seg.close_mark is not None else seg.end
            tail = [
                c for c in candidates if after <= min(c.start, c.mention[0]) < nxt and not c.colon
            ]
            lexical = self.lexical_tail(seg, after, nxt)
            if lexical and not any(c.start == lexical.start for c in tail):
                tail.append(lexical)
                cues.append(lexical)
            if tail:
                cue = min(tail, key=lambda c: min(c.start, c.mention[0]))
                gap = self.text[after : min(cue.start, cue.mention[0])]
                ended = re.search(r"(?<![A-Z])\.\s*$", self.text[seg.start : seg.end])
                if re.fullmatch(r"[\s,;:–—-]*", gap) and not ended and self._tail_closes(cue, seg):
                    chosen[n] = (cue, "tail")
                    continue
            opening = seg.open_mark if seg.open_mark is not None else seg.start
            head = [c for c in candidates if prev_close <= c.end <= opening]
            head = [c for c in head if self._same_sentence(c, opening)]
            if len(head) > 1:  # 'the State Department said he will discuss "the full range"'
                head = [c for c in head if not _unrealised(c.token)] or head
            if head:
                cue = max(head, key=lambda c: c.start)
                chosen[n] = (cue, "head")
                continue
            cue = self.governing_cue(seg, by_token) or self._same_sentence_as_previous(n, chosen)
            if cue:
                chosen[n] = (cue, "governs")
        return chosen

    def _same_sentence_as_previous(self, n: int, chosen) -> Cue | None:
        """'According to Lavrov, relations are "not encouraging," and the causes "well known"':
        a partial quote in the same sentence as one the cue before them frames."""
        if n == 0 or n - 1 not in chosen or chosen[n - 1][1] == "tail":
            return None
        here, before = (
            self.token_at(self.segments[n].start),
            self.token_at(self.segments[n - 1].start),
        )
        if here is None or before is None or here.doc is not before.doc:
            return None
        return chosen[n - 1][0] if here.sent.start == before.sent.start else None

    def governing_cue(self, seg, by_token: dict[tuple[int, int], Cue]) -> Cue | None:
        """The speech verb the quoted words depend on: 'Bush tweeted that Trump is a "loser,"
        a "liar" and a "whiner."' -- all three are Bush's words."""
        for node in self._heads(seg):
            cue = by_token.get((id(node.doc), node.i))
            if cue is not None:
                return cue
        return None

    def _governing_verb(self, seg):
        return next((node for node in self._heads(seg) if node.pos_ in {"VERB", "AUX"}), None)

    def _heads(self, seg) -> Iterator:
        """The words quoted words depend on, nearest first; none where they only describe a
        noun ('the "Russian trace" allegations': words about, not words said)."""
        first, last = self.token_at(seg.start), self.token_at(seg.end - 1)
        if first is None or last is None or first.doc is not last.doc:
            return
        node = first.doc[first.i : last.i + 1].root
        for _ in range(8):
            if node.head.i == node.i or node.dep_ in NOUN_MODIFIERS:
                return
            if node.dep_ == "prep" and node.head.pos_ in {"NOUN", "PROPN"}:
                return  # 'Statements about the "Russian trace", he called ...'
            node = node.head
            if node.i < first.i or node.i > last.i:
                yield node

    def lexical_tail(self, seg, after: int, nxt: int) -> Cue | None:
        """'..., “Lavrov said.' in a passage too mangled for the parser: read it off the text."""
        if seg.close_mark is None:
            return None
        m = LEXICAL_TAIL.match(self.text, after, nxt)
        if not m:
            return None
        who, verb = ("who", "verb") if m.group("who") else ("who2", "verb2")
        cue_tok = self.token_at(m.start(verb))
        if cue_tok is None:
            return None
        mstart, mend = m.span(who)
        cue = Cue(cue_tok, m.start(verb), m.end(verb), m.group(verb), None, (mstart, mend), "name")
        mention = m.group(who)
        words = mention.lower().split()
        if mention.lower() in PRONOUNS:
            cue.mention_type = "pronoun"
        elif words[0] in {"the", "a", "an"} or words[-1] in ROLE_TITLES:
            cue.mention_type = "org" if looks_like_org(mention) else "descriptor"
            cue.name = _strip_det(mention)
        else:
            cue.name = mention
        return cue

    def _tail_closes(self, cue: Cue, seg) -> bool:
        """'"...," Lavrov said.' — not '"Hannity," Gingrich said if ...' (the cue's content
        follows it, so the quote before it is not what was said)."""
        starts_sentence = re.search(
            r"(^|[.!?:]\s*|[.!?]\s*[”\"]\s*)$",
            self.text[self.paras[seg.paragraph].body_start : seg.open_mark or seg.start].rstrip(),
        )
        content_after = any(
            c.dep_ in {"ccomp", "xcomp"} and c.i > cue.token.i for c in cue.token.children
        )
        return bool(starts_sentence) or not content_after

    def _same_sentence(self, cue: Cue, opening: int) -> bool:
        tok = self.token_at(opening) or self.token_at(opening + 1)
        if tok is None or tok.doc is not cue.token.doc:
            return False
        if tok.sent == cue.token.sent:
            return True
        # 'Arbatov said:' then the quote in what spaCy took for the next sentence
        between = self.text[cue.end : opening].strip()
        return between.endswith(":") and len(between) < (200 if cue.colon else 80)

    def _para_of(self, pos: int) -> int:
        starts = [p.start for p in self.paras]
        return self.paras[bisect.bisect_right(starts, pos) - 1].index

    def _next_open(self, n: int, para) -> int:
        for seg in self.segments[n + 1 :]:
            if seg.paragraph != para.index:
                break
            if not seg.single:
                return seg.open_mark if seg.open_mark is not None else seg.start
        return para.end

    def _prev_close(self, n: int, para) -> int:
        for seg in reversed(self.segments[:n]):
            if seg.paragraph != para.index:
                break
            if not seg.single:
                return (seg.close_mark if seg.close_mark is not None else seg.end) + 1
        return para.body_start

    # -- indirect speech -------------------------------------------------------------------

    def indirect(self, cues: list[Cue]) -> list[tuple[Cue, int, int]]:
        claims = []
        for cue in cues:
            agentless = cue.mention is None and not cue.colon  # 'it was stated that ...'
            if not agentless and cue.mention_type not in CLAIMANTS:
                continue  # 'the results show that ...' is no one's claim
            token = cue.token
            unit = self._unit_of(token)
            lemma = token.lemma_.lower()
            if token.lower_ == "according":
                span = _according_content(token)
            elif lemma in INDIRECT_LEMMAS or lemma == "make":
                span = _reported_clause(_made_clear(token) or token)
            elif lemma in lexicon.REQUEST_LEMMAS:
                span = _request(token)
            else:
                span = None
            if span is None:
                continue
            lo, hi = span
            doc = token.doc
            while lo < hi and (doc[lo].lower_ in {"that", ","} or doc[lo].is_punct):
                lo += 1
            while hi > lo and (doc[hi - 1].is_punct or doc[hi - 1].is_space):
                hi -= 1
            if hi - lo < 3:
                continue
            start, end = unit.start + doc[lo].idx, unit.start + doc[hi - 1].idx + len(doc[hi - 1])
            if sum(self.text.count(m, start, end) for m in marks.DOUBLES) % 2:
                # 'offered "every guarantee we can give,"': the claim keeps the closing mark
                for t in doc[hi : hi + 3]:
                    if t.is_quote:
                        end = unit.start + t.idx + len(t)
                        break
                    if not t.is_punct:
                        break
            if self.in_quote(start):
                continue
            # a claim in the reporter's words, which may hold partial quotes; 'he said "..."'
            # with next to nothing outside the marks is the quote alone
            own = [t for t in doc[lo:hi] if not t.is_punct and not self.in_quote_token(t)]
            if len(own) < CLAIM_OWN_WORDS:
                continue
            claims.append((cue, start, end))
        return claims

    # -- resolution ------------------------------------------------------------------------

    def introductions(self) -> list[tuple[int, str, str, str]]:
        """People and organisations named outside quotes: (position, name, role, kind)."""
        found = []
        for unit in self.units:
            for ent in unit.doc.ents:
                if ent.label_ not in {"PERSON", "ORG"}:
                    continue
                pos = unit.start + ent.start_char
                if self.in_quote(pos):
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
                    found.append((unit.start + title.idx, name, role, "person"))
                    continue
                if name.lower().endswith(("’s", "'s")):
                    name = name[:-2]
                kind = "organisation" if ent.label_ == "ORG" else "person"
                if kind == "organisation":
                    name = _strip_det(name)
                found.append((pos, name, role, kind))
        return found

    def subjects(self) -> Iterator[tuple[int, object]]:
        """The subjects of main clauses outside quotes: whom a later 'he' is likely to mean."""
        for unit in self.units:
            if not unit.doc.has_annotation("DEP"):
                continue
            for sent in unit.doc.sents:
                root = sent.root
                verbs = [root] + [c for c in root.children if c.dep_ == "conj"]
                for verb in verbs:
                    for child in verb.children:
                        if child.dep_ in {"nsubj", "nsubjpass"}:
                            pos = unit.start + child.idx
                            if not self.in_quote(pos):
                                yield pos, child

    def subject(self, token, position: int) -> None:
        if token.lower_ in {"he", "she"}:
            name = self.cast.referent(position)
        elif token.ent_type_ == "PERSON":
            ent = next((e for e in token.doc.ents if e.start <= token.i < e.end), None)
            name = self.cast.canonical(ent.text) if ent is not None else None
        elif token.is_title and self.cast.known(token.text):
            name = self.cast.canonical(token.text)
        elif token.lower_ in ROLE_TITLES:
            mention = token.doc[token.left_edge.i : token.i + 1].text
            name, sure = self.cast.by_description(mention, position)
            name = name if sure > 0.8 else None
        else:
            return
        if name:
            self.cast.subject(name, position)
            self.subject_names[(id(token.doc), token.i)] = name

    def resolve(self, cue: Cue) -> None:
        position = cue.mention[0]
        if cue.mention_type == "name":
            cue.speaker = self.cast.introduce(cue.name, position=position, role=cue.role)
            cue.confidence = 0.95
        elif cue.mention_type == "org":
            cue.speaker = self.cast.introduce(cue.name, position=position, kind="organisation")
            cue.confidence = 0.85
        elif cue.mention_type == "pronoun":
            cue.speaker = self.cast.referent(position)
            cue.confidence = 0.8
        elif cue.mention_type == "descriptor":
            mention = cue.name or self.text[cue.mention[0] : cue.mention[1]]
            cue.speaker, cue.confidence = self.cast.by_description(mention, position)
        elif cue.mention_type in {"group", "it"}:
            cue.speaker, cue.confidence = None, 0.5  # named by the mention alone
            return
        elif cue.mention_type == "surname" and self.cast.known(cue.name):
            cue.speaker = self.cast.canonical(cue.name)
            cue.confidence = 0.9
        else:
            # 'the negotiations went on', or a misparse: at best the article's recent speaker
            cue.speaker = self.cast.recent_speaker(position)
            cue.confidence = 0.4
            return
        if cue.speaker:
            self.cast.spoke(cue.speaker, position)

    # -- the whole article -----------------------------------------------------------------

    def run(self) -> list[ExtractedQuote]:
        self.parse()
        cues = self.find_cues()
        chosen = self.attribute_segments(cues)
        for cue, _how in chosen.values():
            cue.used = True
        claims = self.indirect(cues)

        # Resolve every mention in text order, with people introduced along the way.
        intros = self.introductions()
        self.cast.expect(
            [name for _, name, _, kind in intros if kind == "person"]
            + [c.name for c in cues if c.mention_type == "name"]
        )
        events = [(pos, 0, ("intro", name, role, kind)) for pos, name, role, kind in intros]
        events += [(c.mention[0], 1, ("cue", c)) for c in cues + self.authors if c.mention]
        events += [(pos, 2, ("subject", token)) for pos, token in self.subjects()]
        for pos, _order, event in sorted(events, key=lambda e: (e[0], e[1])):
            if event[0] == "intro":
                _, name, role, kind = event
                self.cast.introduce(name, position=pos, role=role, kind=kind)
            elif event[0] == "cue":
                self.resolve(event[1])
            else:
                self.subject(event[1], pos)

        quotes: list[ExtractedQuote] = []
        attributed: dict[int, ExtractedQuote] = {}
        for n, seg in enumerate(self.segments):
            quote = self.quote_for(seg)
            if n in chosen:
                cue, how = chosen[n]
                if cue.speaker or cue.mention_type in NAMED_ONLY:
                    _attach(quote, cue, self.text)
                    quote.confidence = cue.confidence * HOW_SURE[how]
                    attributed[n] = quote
            quotes.append(quote)
        last_cue: dict[int, int] = {}  # paragraph -> where its last speech verb stands
        for cue in cues:
            para = self._para_of(cue.start)
            last_cue[para] = max(last_cue.get(para, -1), cue.start)
        self.inherit(quotes, attributed, last_cue)
        self.introduced_by_previous(quotes, attributed, cues, last_cue)
        self.by_subject(quotes, attributed)
        self.echoes(quotes, attributed, cues)
        self.same_voice(quotes, attributed, cues)
        self.scare(quotes)

        echoed = [q for q in quotes if q.extra.get("via") == "echo"]
        for cue, start, end in claims:
            quote = ExtractedQuote(
                start=start,
                end=end,
                text=self.text[start:end],
                kind="indirect",
                paragraph=self._para_of(start),
            )
            if cue.mention is None:
                # 'it was stated that Moscow and Washington "can and should" ...': the claim is
                # theirs whose words it echoes
                echo = next((q for q in echoed if start <= q.start and q.end <= end), None)
                if echo is None:
                    continue
                _credit(quote, echo.speaker, cue.text, None, self.text)
                quote.confidence = 0.75 * echo.confidence
            elif cue.speaker or cue.mention_type in NAMED_ONLY:
                _attach(quote, cue, self.text)
                quote.confidence = 0.75 * cue.confidence
            else:
                continue
            quotes.append(quote)

        result = [
            q
            for q in quotes
            if (q.speaker or q.speaker_mention or len(q.text.split()) > SHORT)
            and not q.extra.get("title")
        ]
        for quote in result:
            person = self.cast.people.get(quote.speaker or "")
            if person:
                quote.speaker_kind = person.kind
                quote.speaker_role = person.role
            if not quote.speaker:
                quote.confidence = 0.1
            if self.text is not self.original:  # words as written, marks and all
                quote.text = self.original[quote.start : quote.end]
                if quote.speaker_start is not None:
                    quote.speaker_mention = self.original[quote.speaker_start : quote.speaker_end]
        result = layouts.apply(self.original, result)
        result.sort(key=lambda q: (q.start, q.end))
        return result

    def quote_for(self, seg) -> ExtractedQuote:
        para = self.paras[seg.paragraph]
        before = self.text[
            para.body_start : seg.open_mark if seg.open_mark is not None else seg.start
        ]
        before = before.rstrip()
        words_said = self.text[seg.start : seg.end]
        words = len(words_said.split())
        direct = (
            seg.flags & {"implied", "merged", "continued"}
            or not before
            or before.endswith(":")
            or (re.search(r"[.!?][”\"’]?$", before) and (words > SHORT or _sentence(words_said)))
        )
        return ExtractedQuote(
            start=seg.start,
            end=seg.end,
            text=self.text[seg.start : seg.end],
            kind="direct" if direct else "partial",
            paragraph=seg.paragraph,
            extra={"segment": seg},
        )

    def inherit(self, quotes, attributed: dict[int, ExtractedQuote], last_cue: dict[int, int]):
        """A quote with no cue of its own takes the speaker of the quote next to it (in an
        earlier paragraph only where its own paragraph has no speech verb: '"...," this Trump
        look-alike declared' names someone the parser could not)."""
        for n in range(len(quotes) - 2, -1, -1):  # a quote running over several paragraphs
            seg, nxt = self.segments[n], self.segments[n + 1]
            if (
                n not in attributed
                and "unclosed" in seg.flags
                and "continued" in nxt.flags
                and n + 1 in attributed
            ):
                donor = attributed[n + 1]
                _inherit(quotes[n], donor)
                quotes[n].confidence = 0.9 * donor.confidence
                attributed[n] = quotes[n]
        for n, quote in enumerate(quotes):
            if n in attributed or quote.kind != "direct":
                continue
            short = len(quote.text.split()) <= SHORT
            if short and not _sentence(quote.text):
                continue  # a short quote must be a sentence: '"A," he said. "It works."'
            seg = self.segments[n]
            donor = None
            for m in (n + 1, n - 1):  # the same paragraph: '"A." "B," he said.'
                if m in attributed and self.segments[m].paragraph == seg.paragraph:
                    donor = attributed[m]
                    break
            if donor is None and not short and seg.paragraph not in last_cue:
                for m in range(n - 1, -1, -1):  # the quote just before, within two paragraphs
                    if quotes[m].kind == "direct" or m in attributed:
                        if m in attributed and seg.paragraph - self.segments[m].paragraph <= 2:
                            donor = attributed[m]
                        break
            if donor:
                _inherit(quote, donor)
                quote.confidence = 0.6 * donor.confidence
                attributed[n] = quote

    def introduced_by_previous(self, quotes, attributed, cues: list[Cue], last_cue) -> None:
        """A paragraph that is a quote, after a paragraph whose last speech cue names someone
        ('Cruz said:' or 'Cruz said the questions were unfair.'): that person's words."""
        resolved = sorted((c for c in cues if c.speaker and c.mention), key=lambda c: c.start)
        starts = [c.start for c in resolved]
        for n, quote in enumerate(quotes):
            seg = self.segments[n]
            if n in attributed or quote.kind != "direct" or seg.paragraph == 0:
                continue
            para = self.paras[seg.paragraph]
            if self.text[para.body_start : seg.start].strip(" \t" + marks.DOUBLES):
                # 'Trump is no conservative, he said. "He's a liberal!"': the sentence just
                # before, in the same paragraph, ends with its speech cue
                k = bisect.bisect_left(starts, seg.start) - 1
                cue = resolved[k] if k >= 0 else None
                opening = seg.open_mark if seg.open_mark is not None else seg.start
                if (
                    cue is not None
                    and cue.start >= para.body_start
                    and re.fullmatch(r"[^.!?“”\"]*[.!?]\s*", self.text[cue.end : opening])
                ):
                    _attach(quote, cue, self.text)
                    quote.confidence = cue.confidence * 0.6
                    attributed[n] = quote
                continue
            prev = self.paras[seg.paragraph - 1]
            k = bisect.bisect_left(starts, prev.start)
            in_prev = [c for c in resolved[k:] if c.start < prev.end]
            if not in_prev:
                continue
            colon = self.text[prev.start : prev.end].rstrip().endswith(":")
            if not colon and last_cue.get(seg.paragraph, -1) > seg.start:
                continue  # '"...," this Trump look-alike declared': its own speaker, unresolved
            cue = in_prev[-1]
            _attach(quote, cue, self.text)
            quote.confidence = cue.confidence * (0.9 if colon else 0.6)
            attributed[n] = quote

    def by_subject(self, quotes, attributed) -> None:
        """A partial quote inside what a person did: 'Rubio also bemoaned the climate in which
        people "literally hate each other"' -- the subject of the verb it depends on or, where
        that verb has none, of the sentence's other main clause ('While there are "difficulties
        and differences," ..., and he invited Pompeo')."""
        for n, quote in enumerate(quotes):
            seg = self.segments[n]
            if n in attributed or quote.kind != "partial" or seg.single:
                continue
            if not quote.text[:1].islower():
                continue  # a slogan, a sign, a name: "Hispanics 4 Trump"
            verb = self._governing_verb(seg)
            if verb is None:
                continue
            subjects = [c for c in verb.children if c.dep_ in {"nsubj", "expl"}]
            if verb.pos_ == "AUX" and subjects and subjects[0].dep_ == "nsubj":
                continue  # 'Lavrov was "surprised"': a word about him, not his
            if not subjects or subjects[0].dep_ == "expl":
                root = verb.sent.root
                clauses = [root] + [c for c in root.children if c.dep_ == "conj"]
                subjects = [
                    c for v in clauses for c in v.children if c.dep_ == "nsubj" and v.i != verb.i
                ]
            named = [s for s in subjects if (id(s.doc), s.i) in self.subject_names]
            if len(named) != 1:
                continue
            subject = named[0]
            mention = (self.abs(subject.left_edge), self.abs(subject) + len(subject))
            speaker = self.subject_names[(id(subject.doc), subject.i)]
            _credit(quote, speaker, subject.head.text, mention, self.text)
            quote.confidence = 0.5
            quote.extra["via"] = "subject"
            attributed[n] = quote

    def echoes(self, quotes, attributed, cues: list[Cue]) -> None:
        """Words reported with no one named ('it was stated that Moscow and Washington "can and
        should" ...') are the words of the person the article quotes saying them elsewhere."""
        agentless = [
            c
            for c in cues
            if c.mention is None
            and not c.colon
            and all(k.lower_ == "it" for k in c.token.children if k.dep_ in {"nsubj", "nsubjpass"})
        ]
        if not agentless:
            return
        said = [(fold(q.text), q) for q in attributed.values()]
        for n, quote in enumerate(quotes):
            first = self.token_at(quote.start)
            if quote.speaker or first is None or n in attributed:
                continue
            framing = [
                c
                for c in agentless
                if c.token.doc is first.doc
                and c.token.sent.start == first.sent.start
                and c.start < quote.start
            ]
            words = fold(quote.text)
            if not framing or len(words.split()) < 2:
                continue
            donors = {q.speaker for text, q in said if re.search(rf"\b{re.escape(words)}\b", text)}
            if len(donors) == 1:
                quote.speaker, quote.cue = donors.pop(), framing[-1].text
                quote.confidence = 0.5
                quote.extra["via"] = "echo"

    def same_voice(self, quotes, attributed, cues: list[Cue]) -> None:
        """A partial quote with no cue, a sentence or two after a quote in the same paragraph,
        with no one else named and no speech verb between: the same speaker's words."""
        cue_starts = sorted(c.start for c in cues)
        for n, quote in enumerate(quotes):
            seg = self.segments[n]
            if quote.speaker or quote.kind != "partial" or seg.single or n in attributed:
                continue
            if not quote.text[:1].islower() or len(quote.text.split()) < 2:
                continue
            before = [m for m in attributed if m < n]
            if not before:
                continue
            m = max(before)
            donor = attributed[m]
            if self.segments[m].paragraph != seg.paragraph:
                continue
            first, last = self.token_at(quote.start), self.token_at(donor.end - 1)
            if first is None or last is None or first.doc is not last.doc:
                continue
            sents = [s.start for s in first.doc.sents]
            gap = bisect.bisect_right(sents, first.i) - bisect.bisect_right(sents, last.i)
            if not 1 <= gap <= 2:
                continue
            k = bisect.bisect_right(cue_starts, donor.end)
            if k < len(cue_starts) and cue_starts[k] < quote.start:
                continue  # someone else may speak between
            lo = last.sent.end
            between = first.doc[lo : first.i]
            if any(t.ent_type_ in {"PERSON", "ORG"} or t.lower_ in PRONOUNS for t in between):
                continue
            _inherit(quote, donor)
            quote.confidence = 0.4 * donor.confidence
            quote.extra["via"] = "same voice"
            attributed[n] = quote

    def scare(self, quotes: list[ExtractedQuote]) -> None:
        """Scare quotes and titles are nobody's claim: short quotes repeated unattributed
        elsewhere in the article, or used as a modifier inside a noun phrase."""
        unattributed = {fold(q.text) for q in quotes if not (q.speaker or q.speaker_mention)}
        for quote in quotes:
            if quote.kind == "partial" and _title(quote.text):
                _detach(quote)
                quote.extra["title"] = True  # 'told "Good Morning America"', "Frozen"
                continue
            if not (quote.speaker or quote.speaker_mention) or len(quote.text.split()) > SHORT:
                continue
            seg = quote.extra.get("segment")
            if (
                fold(quote.text) in unattributed
                or (seg and seg.single)
                or self._modifier(quote)
                or self._names_next(quote)
            ):
                _detach(quote)

    def _names_next(self, quote: ExtractedQuote) -> bool:
        """'"interim president" Juan Guaido': a label for the person named right after it."""
        if quote.kind != "partial" or quote.text.rstrip()[-1:] in {",", ".", "!", "?"}:
            return False  # '"Absolutely," Trump said'
        first = self.token_at(quote.start)
        if first is not None and first.pos_ == "VERB":
            return False  # 'trying to "protect" Clinton'
        m = re.match(rf"[{marks.DOUBLES}’']?\s+", self.text[quote.end : quote.end + 4])
        token = self.token_at(quote.end + m.end()) if m else None
        return token is not None and token.ent_type_ == "PERSON"

    def _modifier(self, quote: ExtractedQuote) -> bool:
        first = self.token_at(quote.start)
        if first is None:
            return False
        doc = first.doc
        unit = self._unit_of(first)
        lo = first.i
        hi = lo
        while hi < len(doc) and unit.start + doc[hi].idx < quote.end:
            hi += 1
        span = doc[lo:hi]
        if not len(span):
            return False
        root = span.root
        if root.dep_ in {"compound", "amod", "nmod", "poss"} and not (lo <= root.head.i < hi):
            verb = root.head.head
            # 'he called "nonsense" statements that ...': what he called them, shifted forward
            shifted = lo > 0 and verb.i == lo - 1 - doc[lo - 1].is_quote
            return not (verb.lemma_ in NAMING_VERBS and shifted)
        head = root
        for _ in range(3):  # the "tradition" of "according to the tradition"
            head = head.head
            if head.lower_ == "according":
                return True
        return False


def _attach(quote: ExtractedQuote, cue: Cue, text: str) -> None:
    _credit(quote, cue.speaker, cue.text, cue.mention, text)


def _credit(quote: ExtractedQuote, speaker, cue: str, mention, text: str) -> None:
    """Give the quote its speaker, cue and (where there is one) the mention naming them."""
    quote.speaker, quote.cue = speaker, cue
    if mention:
        quote.speaker_start, quote.speaker_end = mention
        quote.speaker_mention = text[mention[0] : mention[1]]


def _inherit(quote: ExtractedQuote, donor: ExtractedQuote) -> None:
    """The donor's speaker, cue and mention: '"A," he said. "B."' -- 'he' said B too."""
    quote.speaker, quote.cue = donor.speaker, donor.cue
    quote.speaker_mention = donor.speaker_mention
    quote.speaker_start, quote.speaker_end = donor.speaker_start, donor.speaker_end


def _sentence(text: str) -> bool:
    """'It draws people in.': a whole sentence, however short."""
    return bool(re.fullmatch(r"[A-Z].*[.!?]", text))


def _title(text: str) -> bool:
    """A title or name in Title Case ('This Week', 'Fox & Friends'), not quoted speech."""
    words = re.findall(r"[\w&’'-]+", text)
    if not words or len(words) > 6 or text.rstrip().endswith(("?", "!")):
        return False
    if len(words) > 1 and words[-1].lower() in TITLE_SMALL:
        return False
    return all(w[0].isupper() or w.lower() in TITLE_SMALL for w in words) and not all(
        w.isupper() for w in words
    )


def _detach(quote: ExtractedQuote) -> None:
    quote.speaker = quote.speaker_mention = quote.cue = None
    quote.speaker_start = quote.speaker_end = None
    quote.confidence = 0.1


def _speech_verb(token) -> bool:
    """'said', 'noted', 'shot back' -- not 'pointed at' or a noun."""
    if token.pos_ not in {"VERB", "AUX"} and not (
        token.pos_ == "NOUN" and any(c.dep_ == "ccomp" for c in token.children)
    ):  # 'could not help but state that ...', the verb tagged as a noun
        return False
    lemma = token.lemma_.lower()
    if lemma in PARTICLE_CUES:
        return any(c.lower_ == PARTICLE_CUES[lemma] for c in token.children)
    if lemma == "make":
        return _made_clear(token) is not None
    return lemma in CUE_LEMMAS


def _made_clear(verb):
    """'made it clear that ...', 'made clear that ...': the word 'clear'."""
    return next((c for c in verb.children if c.lower_ == "clear" and c.i <= verb.i + 2), None)


def _unrealised(verb) -> bool:
    """Speech still to come ('he will discuss', 'plans to talk') reports no words yet."""
    return verb.dep_ == "xcomp" or any(
        c.dep_ == "aux" and c.lower_ in {"will", "would", "shall", "'ll", "to"}
        for c in verb.children
    )


def _name_before(verb):
    """A person named just before a verb the parser left without a subject: 'stating that Rex
    Tillerson at a meeting with his counterpart said ...', or a name hung on the phrase before
    it: 'While Trump declares ... in Osaka, Japan, the Russian Foreign Ministry noted that'."""
    doc = verb.doc
    comma = verb.i - 1 > verb.sent.start and doc[verb.i - 1].text == ","
    k = verb.i - 1 - comma
    if k >= 0 and doc[k].dep_ == "appos" and doc[k].ent_type_ in {"PERSON", "ORG"}:
        return doc[k]  # '..., her adviser, Jake Sullivan, said:', '... Japan, the Ministry noted'
    if comma:
        # '”, Gene Sperling, a top Clinton adviser, said': a name, then a description of them
        for j in range(k, max(verb.sent.start, k - 10), -1):
            if doc[j].pos_ in {"VERB", "AUX"} or doc[j].is_quote:
                break
            if doc[j].text == ",":
                name = doc[j - 1] if j > verb.sent.start else None
                if name is not None and name.ent_type_ == "PERSON" and name.ent_iob_ != "O":
                    return name
                break
    for k in range(verb.i - 1, max(verb.sent.start, verb.i - 12) - 1, -1):
        token = verb.doc[k]
        if token.ent_type_ == "PERSON" and token.ent_iob_ in {"B", "I"}:
            return token if token.dep_ in {"pobj", "dobj", "compound"} else None
        if token.pos_ in {"VERB", "AUX"} or token.is_punct or token.is_quote:
            return None
    return None


def _author(noun):
    """The person or organisation a statement or letter is by: "Lavrov's", 'State Department'."""
    for child in noun.children:
        if child.dep_ == "poss" and (child.pos_ == "PROPN" or child.ent_type_):
            return child
    names = [c for c in noun.children if c.dep_ == "compound" and c.ent_type_ in AUTHOR_ENTS]
    if names:
        return names[-1]
    for child in noun.children:  # 'a statement by the ministry'
        if child.dep_ == "prep" and child.lower_ in {"by", "from"}:
            objects = [o for o in child.children if o.dep_ == "pobj"]
            if objects and (objects[0].ent_type_ in AUTHOR_ENTS or objects[0].pos_ == "PROPN"):
                return objects[0]
    return None


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


def _source_noun(token) -> bool:
    """A noun for a person, a group of people or a document: one that can say things."""
    lemma = token.lemma_.lower()
    return (
        lemma in TITLES
        or lemma in PERSON_NOUNS
        or lemma in DOCUMENT_NOUNS
        or lemma.endswith(PERSON_SUFFIXES)
        or token.ent_type_ in {"PERSON", "NORP"}
    )


def _antecedent(subject):
    """'Lavrov, who said ...': the noun a relative pronoun stands for."""
    if subject.lower_ in RELATIVES and subject.head.dep_ == "relcl":
        noun = subject.head.head
        if subject.lower_ == "who" and noun.pos_ in {"NOUN", "PROPN"}:
            return noun
        if noun.lemma_.lower() in DOCUMENT_NOUNS or noun.ent_type_ in AUTHOR_ENTS:
            return noun  # 'a letter, which says', 'the Associated Press, which notes'
    return None


def _subject(token, quoted=lambda token: False):
    for child in token.children:
        if child.dep_ == "nsubj":
            return child
        if child.dep_ == "nsubjpass":
            if token.lemma_.lower() in ADDRESSEE_VERBS:
                return None  # 'the minister was asked about ...': the one spoken to
            return child
    # 'McConnell deflected questions about Mr. Trump before saying, "..."': the one saying it
    # is the subject of the clause the participle hangs on, not the name just before it
    participle = token.tag_ == "VBG" and token.dep_ == "pcomp"
    named = None if participle else _name_before(token)
    if named is not None:
        return named
    if _speakers_own(token):
        return _subject(token.head.head, quoted)
    head = token
    for _ in range(4):  # 'noting that', 'adding that': the subject of the governing verb
        escaping = head is not token and quoted(head)
        if head.head.i == head.i or not (
            escaping
            or head.dep_ in {"advcl", "conj", "xcomp", "acomp"}
            or (participle and head.dep_ in {"pcomp", "prep"})
        ):
            break
        head = head.head
        if quoted(head):
            continue  # 'telling the crowd, "Some people get ..."' hung on the quote's verb
        for child in head.children:
            if child.dep_ == "nsubj":
                return child
    for child in token.children:  # 'said Lavrov' parsed with the name as object
        if (
            child.dep_ in {"dobj", "attr", "npadvmod"}
            and child.i > token.i
            and (
                child.pos_ == "PROPN"
                or (  # '"...," said a person close to the Clintons.'
                    child.pos_ == "NOUN"
                    and token.i > 0
                    and token.doc[token.i - 1].is_punct
                    and token.lemma_.lower() not in ADDRESSEE_VERBS
                    and _source_noun(child)
                )
            )
        ):
            return child
    return None


def _name_tokens(token):
    """The name a mention gives, without the titles before it ('Mayor Jane Okafor')."""
    tokens = [token]
    for child in sorted(token.children, key=lambda c: -c.i):
        if (
            child.dep_ in {"compound", "flat"}
            and child.i == tokens[0].i - 1
            and child.pos_ == "PROPN"
        ):
            tokens.insert(0, child)
    while len(tokens) > 1 and tokens[0].lower_ in TITLES:
        tokens.pop(0)
    return tokens


def _strip_det(text: str) -> str:
    return re.sub(r"^(?:the|a|an)\s+", "", text.strip(), flags=re.IGNORECASE)


def _reported_clause(verb):
    """'Lavrov said [Moscow had "many times" asked ...]': the clause a speech verb reports (the
    parser may split it into neighbouring clauses), without a further speech act of the
    speaker's own ('Moscow said [Tehran's reaction was understandable], and urged ...')."""
    if verb.dep_ == "parataxis" and verb.head.pos_ in {"VERB", "AUX"} and verb.head.i > verb.i:
        return _around(verb)
    if verb.lower_ == "clear":  # 'made it clear that ...'
        comps = [c for c in verb.children if c.dep_ in {"ccomp", "advcl"} and c.i > verb.i]
    else:
        comps = [c for c in verb.children if c.dep_ == "ccomp"]
    if not comps:
        return None
    first = last = comps[0]
    for comp in comps[1:]:
        between = verb.doc[last.right_edge.i + 1 : comp.left_edge.i]
        if all(t.is_punct or t.is_quote for t in between):
            last = comp
    lo, hi = first.left_edge.i, last.right_edge.i + 1
    for conj in verb.children:  # 'Moscow said it was ready for talks but it was the US who ...'
        if (
            conj.dep_ == "conj"
            and conj.i > last.i
            and not _speech_verb(conj)
            and any(c.dep_ == "nsubj" for c in conj.children)
        ):
            hi = max(hi, conj.right_edge.i + 1)
    for conj in last.children:
        if _speakers_own(conj):
            hi = min(hi, conj.left_edge.i)
            while hi > lo and verb.doc[hi - 1].dep_ in {"cc", "punct"}:
                hi -= 1
    return lo, hi


def _around(verb):
    """'The talks, he said, went well': the clause the speech verb interrupts; 'which, Lavrov
    confirmed, will be held in July' from after the interruption."""
    head = verb.head
    lo = head.left_edge.i
    if all(t.lower_ in RELATIVES or t.is_punct for t in verb.doc[lo : verb.left_edge.i]):
        lo = verb.right_edge.i + 1
    return lo, head.right_edge.i + 1


def _speakers_own(conj) -> bool:
    """', and urged ...' after a reported clause, with no subject of its own: the parser hangs it
    on the clause, but it is the speaker's next act ('Moscow said the reaction was
    understandable, and urged Tehran to ...')."""
    if conj.dep_ != "conj" or conj.head.dep_ != "ccomp" or not _speech_verb(conj.head.head):
        return False
    lemma = conj.lemma_.lower()
    if lemma not in CUE_LEMMAS and lemma not in lexicon.REQUEST_LEMMAS:
        return False
    if any(c.dep_ in {"nsubj", "nsubjpass"} for c in conj.children):
        return False
    before = conj.doc[max(conj.left_edge.i - 3, 0) : conj.left_edge.i]
    return any(t.text == "," for t in before)


def _request(verb):
    """'Pompeo asked Lavrov to support Guaido', 'urged Moscow to stay out': what the speaker
    asks of someone, the one asked and all."""
    asked = [c for c in verb.children if c.dep_ == "dobj"]
    for prep in verb.children:  # 'called on Moscow to ...'
        if prep.dep_ == "prep" and prep.lower_ == "on":
            asked += [c for c in prep.children if c.dep_ == "pobj"]
    wanted = [c for c in verb.children if c.dep_ == "xcomp" and c.i > verb.i]
    wanted += [c for a in asked for c in a.children if c.dep_ in {"xcomp", "acl"}]
    if not asked or not wanted or wanted[0].i < asked[0].i:
        return None
    if not any(c.dep_ == "aux" and c.lower_ == "to" for c in wanted[0].children):
        return None
    return asked[0].left_edge.i, max(wanted[0].right_edge.i, asked[0].right_edge.i) + 1


def _employer(noun):
    """The organisation a spokesman or an official speaks for: 'a spokesman for the State
    Department', 'officials at the ministry', 'a spokesman for the developer, Quay Holdings'
    (not 'the Secretary of State': that is a title)."""
    for prep in noun.children:
        if prep.dep_ != "prep" or prep.lower_ not in {"for", "at"}:
            continue
        for obj in prep.children:
            if obj.dep_ != "pobj":
                continue
            named = [obj] + [c for c in (*obj.children, *noun.children) if c.dep_ == "appos"]
            for candidate in reversed(named):
                ent = next((e for e in noun.doc.ents if e.start <= candidate.i < e.end), None)
                if ent is not None and ent.label_ in {"ORG", "GPE", "NORP"}:
                    return ent
    return None


def _according_content(token):
    """'According to Lavrov, the relations are poor.' -> 'the relations are poor'."""
    sent = token.sent
    to = token.doc[token.i + 1]
    phrase_end = to.right_edge.i + 1
    if token.i == sent.start or sent.root.i >= phrase_end:
        # 'According to Lavrov, ...' or 'For these purposes, according to Lavrov, the US ...'
        lo, hi = phrase_end, sent.end
    else:
        lo, hi = sent.start, token.i
    return (lo, hi) if hi - lo >= 3 else None


def _cut(text: str, lo: int, hi: int) -> Iterator[tuple[int, int]]:
    """Pieces of at most MAX_UNIT characters, cut at whitespace (a 5 MB paragraph parses)."""
    while hi - lo > MAX_UNIT:
        cut = text.rfind(" ", lo + MAX_UNIT // 2, lo + MAX_UNIT)
        if cut <= lo:
            cut = lo + MAX_UNIT
        yield lo, cut
        lo = cut
    yield lo, hi
