"""Which cue frames each quoted segment, and how: a cue right after it (``"...," Lavrov said``:
'tail'), a cue before it in the same sentence (``Arbatov said: "..."``: 'head'), or the speech
verb the quoted words depend on ('Bush tweeted that Trump is a "loser"': 'governs').

Input: the parsed ``Article`` and its ``Cue`` list. Output: ``{segment index: Frame}``.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass

from apps.quotes.extraction.cues import SCENE_MARKS, Cue, lexical_tail
from apps.quotes.extraction.document import Article
from apps.quotes.extraction.lexicon import PERSON_NOUNS, TITLES
from apps.quotes.extraction.speech import speech_verb, unrealised
from apps.quotes.extraction.subjects import PERSON_SUFFIXES, speaker_like

NOUN_MODIFIERS = {"compound", "amod", "nmod", "poss", "appos"}
HOW_SURE = {"tail": 1.0, "head": 0.95, "governs": 0.85}


@dataclass(frozen=True)
class Frame:
    cue: Cue
    how: str  # 'tail', 'head' or 'governs'


def frame_quotes(
    art: Article, cues: list[Cue], *, without: frozenset[str] = frozenset()
) -> dict[int, Frame]:
    """For each segment index: the cue that frames it and how. A cue read off the text where
    the parse fails ('lexical-tail') is added to ``cues``. ``without`` switches off the
    'lexical-tail' and 'governs' rules."""
    chosen: dict[int, Frame] = {}
    by_para: dict[int, list[Cue]] = {}
    by_token = {art.key(c.token): c for c in cues if c.mention is not None and c.token is not None}
    for cue in cues:
        if cue.mention is not None:
            para = art.para_of(cue.start)
            by_para.setdefault(para, []).append(cue)
    for n, seg in enumerate(art.segments):
        para = art.paras[seg.paragraph]
        candidates = by_para.get(para.index, [])
        nxt = art.next_open(n, para)
        prev_close = art.prev_close(n, para)
        after = seg.close_mark + 1 if seg.close_mark is not None else seg.end
        tail = [c for c in candidates if after <= min(c.start, c.mention[0]) < nxt and not c.colon]
        lexical = None if "lexical-tail" in without else lexical_tail(art, seg, after, nxt)
        if lexical and not any(c.start == lexical.start for c in tail):
            tail.append(lexical)
            cues.append(lexical)
        inner = _inner_speech(art, seg, by_token) if tail and "governs" not in without else None
        if inner is not None:
            chosen[n] = Frame(inner, "governs")
            continue
        if tail:
            cue = min(tail, key=lambda c: min(c.start, c.mention[0]))
            gap = art.text[after : min(cue.start, cue.mention[0])]
            # a quote ending its sentence ('... ASAP.'), not an initial ('... U.S.')
            ended = re.search(r"(?:[a-z0-9)\]'’]|[A-Z]{2,})\.\s*$", art.text[seg.start : seg.end])
            closes = _tail_closes(art, cue, seg) and (not ended or _bare_report(cue))
            if (re.fullmatch(r"[\s,;:–—-]*", gap) or _role_words(gap)) and closes:
                chosen[n] = Frame(cue, "tail")
                continue
        opening = seg.opening
        head = [c for c in candidates if prev_close <= c.end <= opening]
        head = [c for c in head if _same_sentence(art, c, opening)]
        if len(head) > 1:  # 'the State Department said he will discuss "the full range"'
            head = [c for c in head if not unrealised(c.token)] or head
        # 'when X railed ..., "..."': a cue in a clause beside the quote frames it only where
        # no other does
        head = [c for c in head if not aside(c.token, art.token_at(seg.start))] or head
        if head:
            cue = _governing_head(art, seg, head, by_token) or max(head, key=lambda c: c.start)
            cue = _reporter_of(cue, head) or cue
            chosen[n] = Frame(cue, "head")
            continue
        if "governs" in without:
            continue
        cue = (
            _governing_cue(art, seg, by_token)
            or _same_sentence_as_previous(art, n, chosen)
            or _parenthetical(art, seg, candidates)
        )
        if cue:
            chosen[n] = Frame(cue, "governs")
    return chosen


def aside(verb, quoted) -> bool:
    """The speech verb sits in a clause beside the quoted words, which another verb carries:
    one that sets the scene ('when Ms. Warren railed against Wall Street, "she is speaking for
    all of us"') or describes a noun ('Ruiz told the members, who had asked for a review, "..."'),
    unless it leads into the quote with a colon ('Santilli, who responds at once: "Okay!"')."""
    if verb is None or quoted is None or verb.doc is not quoted.doc:
        return False
    if _wished(verb):
        return True  # 'critics who say he should condemn terrorists as "radical Islamists"'
    joined = next((a for a in (quoted, *quoted.ancestors) if a.head.i == verb.i), None)
    if joined is not None and joined.dep_ == "conj" and _nsubj_of(joined):
        return True  # 'noted that officials have been talking ..., and "we're in discussions"'
    for node in (verb, *verb.ancestors):
        if node.left_edge.i <= quoted.i <= node.right_edge.i:
            return False
        if node.dep_ == "relcl":
            between = quoted.doc[node.right_edge.i + 1 : quoted.i]
            return any(t.is_alpha for t in between) or not any(t.text == ":" for t in between)
        if node.dep_ == "advcl":
            marks = {c.lower_ for c in node.children if c.dep_ in {"mark", "advmod"}}
            return bool(marks & SCENE_MARKS) and "as" not in marks
    return False


def _inner_speech(art: Article, seg, by_token) -> Cue | None:
    """A speech verb in a relative clause with a subject of its own, before the quoted words
    in their sentence, that they depend on: 'in a clip that Judge Mosman called "distasteful,"
    Santilli expressed a desire', 'under what Mr. Hedge called "the old model," the club ...'
    (the judge's word and Hedge's, whoever speaks after them)."""
    cue = _governing_cue(art, seg, by_token)
    first = art.token_at(seg.start)
    if cue is None or first is None or cue.token.doc is not first.doc:
        return None
    if not (first.sent.start <= cue.token.i < first.i) or cue.subject is None:
        return None
    verb = cue.token
    naming = verb.dep_ == "relcl" or any(c.lower_ in {"what", "which"} for c in verb.children)
    return cue if naming and cue.subject.i < verb.i else None


def _governing_head(art: Article, seg, head: list[Cue], by_token) -> Cue | None:
    """Of several cues before the quote in its sentence, the one whose clause holds the quoted
    words, where the nearest does not: 'Okafor said the mayor's tweet saying residents back
    him meant that "..."' is Okafor's (the tweet's 'saying' reports another clause)."""
    if len(head) < 2:
        return None
    cue = _governing_cue(art, seg, by_token)
    nearest = max(head, key=lambda c: c.start)
    opening = seg.opening
    if nearest.colon or art.text[nearest.end : opening].rstrip().endswith(":"):
        return None  # 'Bundy says to Santilli, who responds: "Okay!"': the colon leads in
    return cue if cue is not None and cue is not nearest and cue in head else None


def _reporter_of(cue: Cue, head: list[Cue]) -> Cue | None:
    """'The senator said he rarely asks surrogates to stump for him, "except for ..."': a 'he'
    or 'she' speaking in a clause another cue reports is that cue's speaker going on; the
    report is the speech act, and names them."""
    if cue.subject is None or cue.subject.lower_ not in {"he", "she"}:
        return None
    for other in head:
        verb = other.token
        if other is cue or verb is None or verb.doc is not cue.token.doc:
            continue
        reported = [c for c in verb.children if c.dep_ == "ccomp"]
        if any(c.left_edge.i <= cue.token.i <= c.right_edge.i for c in reported) and not any(
            node.dep_ == "relcl" for node in _up_to(cue.token, verb)
        ):  # 'Clinton, whom he called "divisive"': a naming of his own
            subject = other.subject  # one person, who can be the 'he' ('sources have said
            # he said "..."' is another man's words)
            if subject is not None and subject.tag_ in {"NN", "NNP"} and speaker_like(subject):
                return other
    return None


def _up_to(token, ancestor) -> list:
    nodes = []
    while token.i != ancestor.i and token.head.i != token.i:
        nodes.append(token)
        token = token.head
    return nodes


def _wished(verb) -> bool:
    """Speech someone else says ought to be, could be or must be made, in what they say: no
    words said yet ('critics who say he should condemn ...')."""
    modal = any(
        c.dep_ == "aux" and c.lower_ in {"should", "must", "could", "might", "ought"}
        for c in verb.children
    )
    return modal and verb.dep_ == "ccomp" and speech_verb(verb.head)


def _nsubj_of(verb) -> bool:
    return any(c.dep_ in {"nsubj", "nsubjpass", "expl"} for c in verb.children)


def _parenthetical(art: Article, seg, candidates: list[Cue]) -> Cue | None:
    """'"Most of the complexity derives from efforts to measure" income, he said, rather than
    ...': a report set into the sentence (the parser's parataxis) is the only cue there, so the
    sentence, quoted words and all, is its speaker's."""
    token = art.token_at(seg.start)
    if token is None:
        return None
    same = [c for c in candidates if c.token is not None and c.token.doc is token.doc]
    same = [c for c in same if c.token.sent.start == token.sent.start]
    if len(same) == 1 and same[0].token.dep_ == "parataxis":
        return same[0]
    return None


def _same_sentence_as_previous(art: Article, n: int, chosen) -> Cue | None:
    """'According to Lavrov, relations are "not encouraging," and the causes "well known"':
    a partial quote in the same sentence as one the cue before them frames."""
    if n == 0 or n - 1 not in chosen or chosen[n - 1].how == "tail":
        return None
    here, before = (
        art.token_at(art.segments[n].start),
        art.token_at(art.segments[n - 1].start),
    )
    if here is None or before is None or here.doc is not before.doc:
        return None
    return chosen[n - 1].cue if here.sent.start == before.sent.start else None


def _governing_cue(art: Article, seg, by_token: dict[tuple[int, int], Cue]) -> Cue | None:
    """The speech verb the quoted words depend on: 'Bush tweeted that Trump is a "loser,"
    a "liar" and a "whiner."' -- all three are Bush's words."""
    for node in _heads(art, seg):
        cue = by_token.get(art.key(node))
        if cue is not None:
            return cue
    return None


def governing_verb(art: Article, seg):
    return next((node for node in _heads(art, seg) if node.pos_ in {"VERB", "AUX"}), None)


def _heads(art: Article, seg) -> Iterator:
    """The words quoted words depend on, nearest first; none where they only describe a
    noun ('the "Russian trace" allegations': words about, not words said)."""
    first, last = art.token_at(seg.start), art.token_at(seg.end - 1)
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


def _role_words(gap: str) -> bool:
    """'"...," screenwriter Cole Haddon wrote': between the quote and the name the cue speaks
    through, only a word or two for who they are (the parser took 'screenwriter' for a verb)."""
    words = re.findall(r"[^\W\d_][\w-]*", gap)
    if not 0 < len(words) <= 3 or not re.fullmatch(r"[\s,;:–—-]*[\w\s-]*", gap):
        return False
    return all(_role_word(w.lower()) for w in words)


def _role_word(word: str) -> bool:
    return (
        word in TITLES
        or word in PERSON_NOUNS
        or word.endswith(PERSON_SUFFIXES)
        or any(word.endswith(noun) for noun in PERSON_NOUNS if len(noun) >= 5)
    )


def _tail_closes(art: Article, cue: Cue, seg) -> bool:
    """'"...," Lavrov said.' — not '"Hannity," Gingrich said if ...' (the cue's content
    follows it, so the quote before it is not what was said)."""
    starts_sentence = re.search(
        r"(^|[.!?:]\s*|[.!?]\s*[”\"]\s*)$",
        art.text[art.paras[seg.paragraph].body_start : seg.open_mark or seg.start].rstrip(),
    )
    content_after = any(
        c.dep_ in {"ccomp", "xcomp"} and c.i > cue.token.i for c in cue.token.children
    )
    return bool(starts_sentence) or not content_after


def _bare_report(cue: Cue) -> bool:
    """'"... the emails." Trump said.': a short sentence saying only who spoke, after a quote
    that ended with a full stop (a comma mistyped), not 'Trump said the polls were wrong.'."""
    verb = cue.token
    said_more = any(c.dep_ in {"ccomp", "xcomp", "dobj", "advcl"} for c in verb.children)
    return not said_more and len(verb.sent) <= 12


def _same_sentence(art: Article, cue: Cue, opening: int) -> bool:
    tok = art.token_at(opening) or art.token_at(opening + 1)
    if tok is None or tok.doc is not cue.token.doc:
        return False
    if tok.sent == cue.token.sent:
        return True
    # 'Arbatov said:' then the quote in what spaCy took for the next sentence
    between = art.text[cue.end : opening].strip()
    return between.endswith(":") and len(between) < (200 if cue.colon else 80)
