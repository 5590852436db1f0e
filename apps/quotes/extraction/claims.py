"""Reported claims (indirect speech): the clause a speech cue reports when it is in the
reporter's words ('Lavrov argued that sanctions do no benefit anyone'), what a speaker asks of
someone ('urged Moscow to stay out'), and what comes 'according to' someone.

Input: the parsed ``Article`` and its ``Cue`` list. Output: ``Claim`` spans with their cue.
"""

from dataclasses import dataclass

from apps.quotes.extraction import lexicon, marks
from apps.quotes.extraction.cues import CLAIMANTS, Cue
from apps.quotes.extraction.document import Article
from apps.quotes.extraction.lexicon import RELATIVES
from apps.quotes.extraction.speech import INDIRECT_LEMMAS, made_clear, speakers_own, speech_verb

CLAIM_OWN_WORDS = 4  # words of its own, outside quote marks, that make a reported clause a claim


@dataclass(frozen=True)
class Claim:
    cue: Cue
    start: int
    end: int


def find_claims(art: Article, cues: list[Cue]) -> list[Claim]:
    return [claim for cue in cues if (claim := claim_for(art, cue)) is not None]


def claim_for(art: Article, cue: Cue) -> Claim | None:
    """The clause the cue reports, if it is a claim (read while the cue's unit is parsed)."""
    agentless = cue.mention is None and not cue.colon  # 'it was stated that ...'
    if not agentless and cue.mention_type not in CLAIMANTS:
        return None  # 'the results show that ...' is no one's claim
    token = cue.token
    unit = art.unit_of(token)
    lemma = token.lemma_.lower()
    if token.lower_ == "according":
        span = _according_content(token)
    elif lemma in INDIRECT_LEMMAS or lemma == "make":
        span = _reported_clause(made_clear(token) or token)
    elif lemma in lexicon.REQUEST_LEMMAS:
        span = _request(token)
    else:
        span = None
    if span is None:
        return None
    lo, hi = span
    doc = token.doc
    while lo < hi and (doc[lo].lower_ in {"that", ","} or doc[lo].is_punct):
        lo += 1
    while hi > lo and (doc[hi - 1].is_punct or doc[hi - 1].is_space):
        hi -= 1
    if hi - lo < 3:
        return None
    start, end = unit.start + doc[lo].idx, unit.start + doc[hi - 1].idx + len(doc[hi - 1])
    if sum(art.text.count(m, start, end) for m in marks.DOUBLES) % 2:
        # 'offered "every guarantee we can give,"': the claim keeps the closing mark
        for t in doc[hi : hi + 3]:
            if t.is_quote:
                end = unit.start + t.idx + len(t)
                break
            if not t.is_punct:
                break
    if art.in_quote(start):
        return None
    # a claim in the reporter's words, which may hold partial quotes; 'he said "..."'
    # with next to nothing outside the marks is the quote alone
    own = [t for t in doc[lo:hi] if not t.is_punct and not art.in_quote_token(t)]
    if len(own) < CLAIM_OWN_WORDS:
        return None
    return Claim(cue, start, end)


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
            and not speech_verb(conj)
            and any(c.dep_ == "nsubj" for c in conj.children)
        ):
            hi = max(hi, conj.right_edge.i + 1)
    for conj in last.children:
        if speakers_own(conj):
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
