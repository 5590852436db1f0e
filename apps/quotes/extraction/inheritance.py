"""Quotes with no cue of their own take a speaker from their neighbours: the quote next to it
('"A," he said. "B."'), the paragraph before that ends in a speech cue ('Cruz said:'), the
subject of what a person did ('Rubio bemoaned the climate in which people "hate each other"'),
the speaker whose words an agentless report echoes ('it was stated that ...'), or the speaker
of a quote a sentence or two before in the same paragraph.

Input: the ``Article``, its quote records (one per segment, by index), the records already
attributed (by segment index) and the ``Cue`` list. Each rule adds to ``attributed``.
"""

import bisect
import re

from apps.quotes.extraction import marks
from apps.quotes.extraction.cues import NAMED_ONLY, Cue
from apps.quotes.extraction.document import Article
from apps.quotes.extraction.framing import governing_verb
from apps.quotes.extraction.names import fold, surname
from apps.quotes.extraction.quotes import SHORT, attach, credit, inherit_from, is_sentence, note
from apps.quotes.extraction.speakers import PRONOUNS
from apps.quotes.extraction.types import ExtractedQuote

Attributed = dict[int, ExtractedQuote]
WH = {"WP", "WDT", "EX"}  # 'what', 'which', 'there': subjects that name no one


def inherit(art: Article, quotes, attributed: Attributed, last_cue: dict[int, int]):
    """A quote with no cue of its own takes the speaker of the quote next to it (in an
    earlier paragraph only where its own paragraph has no speech verb: '"...," this Trump
    look-alike declared' names someone the parser could not). First, a quote a clause with a
    named subject leads into with a colon is that subject's (``led_in``)."""
    led_in(art, quotes, attributed)
    for n in range(len(quotes) - 2, -1, -1):  # a quote running over several paragraphs
        seg, nxt = art.segments[n], art.segments[n + 1]
        if (
            n not in attributed
            and "unclosed" in seg.flags
            and "continued" in nxt.flags
            and n + 1 in attributed
        ):
            donor = attributed[n + 1]
            inherit_from(quotes[n], donor)
            quotes[n].confidence = 0.9 * donor.confidence
            note(quotes[n], "continued", donor=donor)
            attributed[n] = quotes[n]
    for n, quote in enumerate(quotes):
        if n in attributed or (quote.kind != "direct" and not _led_in(art, quote)):
            continue
        short = len(quote.text.split()) <= SHORT
        if short and not is_sentence(quote.text):
            continue  # a short quote must be a sentence: '"A," he said. "It works."'
        seg = art.segments[n]
        donor = None
        # the same paragraph: '"A." "B," he said.', but '"A," he said. "B."' is his
        order = (n - 1, n + 1) if _tail_before(art, attributed.get(n - 1), seg) else (n + 1, n - 1)
        for m in order:
            if m in attributed and art.segments[m].paragraph == seg.paragraph:
                if m > n and _introduced_between(art, attributed[m], seg, art.segments[m]):
                    continue  # '"A," X said. "B." Y said "C"': Y's cue is C's, B stays X's
                if m < n and _other_cue_between(art, attributed[m], art.segments[m], seg):
                    break  # '"A," X said, and Y cut in. "B."': Y's, by the sentence before
                donor = attributed[m]
                break
        if donor is None and not short and seg.paragraph not in last_cue:
            for m in range(n - 1, -1, -1):  # the quote just before, within two paragraphs
                if quotes[m].kind == "direct" or m in attributed:
                    before = art.segments[m].paragraph
                    if (
                        m in attributed
                        and seg.paragraph - before <= 2
                        and not _colon_between(art, before, seg.paragraph, art.segments[m])
                        and not _spoke_since(art, attributed[m], art.segments[m], seg)
                    ):
                        donor = attributed[m]
                    break
        if donor:
            inherit_from(quote, donor)
            quote.confidence = 0.6 * donor.confidence
            note(quote, "inherit", donor=donor)
            attributed[n] = quote


# What stands between a speech verb and the next quote where the verb's sentence ends before it.
SENTENCE_ENDS = re.compile(r"[^.!?“”\"]*[.!?]\s*")
# A sentence that opens with a word or two and a comma, then a quoted sentence: 'Then, "..."',
# 'Indeed, "..."', 'After all, "..."'.
LEAD_IN = re.compile(r"(?:^|[.!?][”\"’']?\s+)[A-Z][a-z]*(?:\s+[a-z]+)?,\s*$")


def _led_in(art: Article, quote: ExtractedQuote) -> bool:
    """'"...," he said. Then, "I try to explain it to them."': a whole quoted sentence after
    no more than a sentence adverb is a quote of its own, as if it opened the sentence."""
    seg = quote.extra.get("segment")
    if seg is None or not is_sentence(quote.text):
        return False
    para = art.paras[seg.paragraph]
    opening = seg.opening
    return LEAD_IN.search(art.text[para.body_start : opening]) is not None


def _introduced_between(art: Article, donor: ExtractedQuote, seg, nxt) -> bool:
    """The next quote's speaker is named between this quote and it ('"B." His campaign
    manager, Alex Conant, struck a similar tune. "C," Conant said.')."""
    start = donor.speaker_start
    if start is not None and seg.end <= start < nxt.start:
        return True
    last = surname(donor.speaker or "")
    between = fold(art.text[seg.end : nxt.start])
    return bool(last) and re.search(rf"\b{re.escape(last)}\b", between) is not None


def led_in(art: Article, quotes, attributed: Attributed) -> None:
    """'Clinton has since apologized for what happened: "Yes, I should have ..."': a quote
    the sentence before it, in its paragraph, leads into with a colon, with no speech verb, is
    the words of that sentence's one named subject, not of a quote paragraphs before."""
    for n, quote in enumerate(quotes):
        seg = art.segments[n]
        if n in attributed or quote.kind != "direct":
            continue
        opening = seg.opening
        body = art.paras[seg.paragraph].body_start
        lead = art.text[body:opening].rstrip()
        if not lead.endswith(":") or lead[-2:-1] in marks.DOUBLES:  # not '"...":'
            continue
        colon = art.token_at(body + len(lead) - 1)
        if colon is None or colon.text != ":" or art.in_quote_token(colon):
            continue
        subjects = [
            t
            for t in colon.doc[colon.sent.start : colon.i]
            if t.dep_ in {"nsubj", "nsubjpass"} and t.head.i < colon.i and t.tag_ not in WH
        ]
        if len(subjects) != 1 or subjects[0].pos_ not in {"PROPN", "PRON"}:
            continue  # one, not counting 'what' ('apologized for what happened:')
        subject = subjects[0]
        speaker = art.subject_names.get(art.key(subject)) or _person_named(art, subject)
        if speaker is None:
            continue
        mention = (art.abs(subject.left_edge), art.abs(subject) + len(subject))
        verb = subject.head
        credit(quote, speaker, verb.text, mention, art.text)
        quote.confidence = 0.5
        quote.extra.update(via="subject", mention_type="subject", cue_lemma=verb.lemma_.lower())
        attributed[n] = quote


def _person_named(art: Article, token) -> str | None:
    """The person a name tagged as one stands for, as the article knows them."""
    ent = next((e for e in token.doc.ents if e.start <= token.i < e.end), None)
    if ent is None or ent.label_ != "PERSON" or not art.cast.known(ent.text):
        return None
    return art.cast.canonical(ent.text)


def _others_since(art: Article, donor: ExtractedQuote, donor_seg, seg) -> list[int]:
    """Where speech verbs stand between the donor's quote and this one, but the donor's own
    cue and others of the same mention ('"A," X said, adding ...')."""
    own = donor.speaker_start
    return [
        start
        for start, mention in art.cue_places
        if donor_seg.end <= start < seg.start and mention is not None and mention != own
    ]


def _other_cue_between(art: Article, donor: ExtractedQuote, donor_seg, seg) -> bool:
    """Someone else's speech verb ends the sentence before this quote, in a main clause ('"A,"
    X said, and her brother cut in. "B."')."""
    opening = seg.opening
    for start in _others_since(art, donor, donor_seg, seg):
        if not SENTENCE_ENDS.fullmatch(art.text[start:opening]):
            continue  # the sentence before the quote ends with this speech verb
        verb = art.token_at(start)
        while verb is not None and verb.dep_ == "conj":
            verb = verb.head
        if verb is not None and verb.dep_ in {"ROOT", "parataxis"}:
            return True  # a main clause's: 'after the senator spoke' is no one's turn
    return False


def _spoke_since(art: Article, donor: ExtractedQuote, donor_seg, seg) -> bool:
    """Someone spoke between the donor's quote and this paragraph ('Okafor, who calls the
    mayor a "bully," said ... Rather, she said, ...', then a paragraph that is a quote): the
    paragraph before introduces it, not the quote."""
    return bool(_others_since(art, donor, donor_seg, seg))


def _colon_between(art: Article, first: int, last: int, donor_seg) -> bool:
    """Words after the donor's quote that end in a colon introduce what follows: a paragraph
    between ('He then listed the qualities:', 'Transcript as follows:'), or the end of the
    donor's own ('"...," Tenney said ... She went on to say:')."""
    end = donor_seg.close_mark + 1 if donor_seg.close_mark is not None else donor_seg.end
    rest = art.text[end : art.paras[first].end].rstrip()
    if rest.endswith(":") and any(ch.isalpha() for ch in rest):
        return True
    return any(
        art.text[art.paras[k].start : art.paras[k].end].rstrip().endswith(":")
        for k in range(first + 1, last)
    )


def _tail_before(art: Article, before: ExtractedQuote | None, seg) -> bool:
    """The quote before was credited by a cue that stands between it and this one."""
    if before is None or before.speaker_start is None:
        return False
    prev = before.extra.get("segment")
    return prev is not None and prev.end <= before.speaker_start < seg.start


def introduced_by_previous(art: Article, quotes, attributed, cues: list[Cue], last_cue) -> None:
    """A paragraph that is a quote, after a paragraph whose last speech cue names someone
    ('Cruz said:' or 'Cruz said the questions were unfair.'): that person's words."""
    # a cue naming someone, or a heading naming the document that follows ('Transcript:')
    resolved = sorted(
        (c for c in cues if c.mention and (c.speaker or c.colon)), key=lambda c: c.start
    )
    starts = [c.start for c in resolved]
    for n, quote in enumerate(quotes):
        seg = art.segments[n]
        if n in attributed or quote.kind != "direct" or seg.paragraph == 0:
            continue
        para = art.paras[seg.paragraph]
        if art.text[para.body_start : seg.start].strip(" \t" + marks.DOUBLES):
            # 'Trump is no conservative, he said. "He's a liberal!"': the sentence just
            # before, in the same paragraph, ends with its speech cue
            k = bisect.bisect_left(starts, seg.start) - 1
            cue = resolved[k] if k >= 0 else None
            opening = seg.opening
            if (
                cue is not None
                and cue.start >= para.body_start
                and SENTENCE_ENDS.fullmatch(art.text[cue.end : opening])
            ):
                attach(quote, cue, art.text)
                quote.confidence = cue.confidence * 0.6
                note(quote, "previous-sentence", cue=cue)
                attributed[n] = quote
            continue
        prev = art.paras[seg.paragraph - 1]
        k = bisect.bisect_left(starts, prev.start)
        in_prev = [c for c in resolved[k:] if c.start < prev.end]
        if not in_prev:
            continue
        colon = art.text[prev.start : prev.end].rstrip().endswith(":")
        if not colon and last_cue.get(seg.paragraph, -1) > seg.start:
            continue  # '"...," this Trump look-alike declared': its own speaker, unresolved
        cue = in_prev[-1]
        attach(quote, cue, art.text)
        quote.confidence = cue.confidence * (0.9 if colon else 0.6)
        note(quote, "after-colon" if colon else "previous-paragraph", cue=cue)
        attributed[n] = quote


def by_subject(art: Article, quotes, attributed) -> None:
    """A partial quote inside what a person did: 'Rubio also bemoaned the climate in which
    people "literally hate each other"' -- the subject of the verb it depends on or, where
    that verb has none, of the sentence's other main clause ('While there are "difficulties
    and differences," ..., and he invited Pompeo')."""
    for n, quote in enumerate(quotes):
        seg = art.segments[n]
        if n in attributed or quote.kind != "partial" or seg.single:
            continue
        if not quote.text[:1].islower():
            continue  # a slogan, a sign, a name: "Hispanics 4 Trump"
        verb = governing_verb(art, seg) or _term_user(art, seg)
        if verb is None:
            continue
        subjects = [c for c in verb.children if c.dep_ in {"nsubj", "expl"}]
        donor = _relative_after(art, quotes, attributed, n, subjects)
        if donor is not None:  # 'a lament for the "countless Americans" who are "victims"'
            inherit_from(quote, donor)
            quote.confidence = 0.9 * donor.confidence
            note(quote, "subject", donor=donor)
            attributed[n] = quote
            continue
        if verb.pos_ == "AUX" and subjects and subjects[0].dep_ == "nsubj":
            continue  # 'Lavrov was "surprised"': a word about him, not his
        if not subjects or subjects[0].dep_ == "expl":
            root = verb.sent.root
            clauses = [root] + [c for c in root.children if c.dep_ == "conj"]
            subjects = [
                c for v in clauses for c in v.children if c.dep_ == "nsubj" and v.i != verb.i
            ]
        named = [s for s in subjects if art.key(s) in art.subject_names]
        if len(named) != 1:
            continue
        subject = named[0]
        mention = (art.abs(subject.left_edge), art.abs(subject) + len(subject))
        speaker = art.subject_names[art.key(subject)]
        credit(quote, speaker, subject.head.text, mention, art.text)
        quote.confidence = 0.5
        quote.extra.update(via="subject", mention_type="subject", cue_lemma=verb.lemma_.lower())
        attributed[n] = quote


TERM_NOUNS = {"term", "phrase", "word", "expression", "label", "nickname"}


def _term_user(art: Article, seg):
    """'Rubio has coined a new phrase, "undocumented Democrats,"', 'activists prefer the term
    "undocumented immigrants"': the verb whose object is the term the quoted words name."""
    first, last = art.token_at(seg.start), art.token_at(seg.end - 1)
    if first is None or last is None or first.doc is not last.doc:
        return None
    root = first.doc[first.i : last.i + 1].root
    noun = root.head
    if root.dep_ not in {"appos", "compound"} or noun.lemma_.lower() not in TERM_NOUNS:
        return None
    verb = noun.head
    if noun.dep_ != "dobj" or verb.pos_ != "VERB" or art.in_quote_token(verb):
        return None
    return verb


def _relative_after(art: Article, quotes, attributed, n: int, subjects):
    """'Trump launched into a lament for the "countless Americans" who are "victims of
    violence"': a partial quote in a relative clause about the words of the partial quote
    just before it, in the same sentence, whose speaker the sentence's subject gave, is that
    speaker's too."""
    donor = attributed.get(n - 1)
    if donor is None or donor.extra.get("via") != "subject" or donor.kind != "partial":
        return None
    if not subjects or subjects[0].lower_ not in {"who", "which", "that"}:
        return None
    first, before = art.token_at(quotes[n].start), art.token_at(donor.start)
    if first is None or before is None or first.doc is not before.doc:
        return None
    if first.sent.start != before.sent.start or art.in_quote_token(subjects[0]):
        return None
    noun = subjects[0].head.head  # the noun the relative clause is about
    return donor if art.in_quote_token(noun) or noun.i < first.i else None


def echoes(art: Article, quotes, attributed, cues: list[Cue]) -> None:
    """Words reported with no one named ('it was stated that Moscow and Washington "can and
    should" ...') are the words of the person the article quotes saying them elsewhere."""
    agentless = [
        c
        for c in cues
        if c.mention is None
        and not c.colon
        and c.token is not None  # released: its unit holds no quote for it to frame
        and all(k.lower_ == "it" for k in c.token.children if k.dep_ in {"nsubj", "nsubjpass"})
    ]
    if not agentless:
        return
    said = [(fold(q.text), q) for q in attributed.values()]
    for n, quote in enumerate(quotes):
        first = art.token_at(quote.start)
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
            note(quote, "echo", cue=framing[-1])


def same_voice(art: Article, quotes, attributed, cues: list[Cue]) -> None:
    """A partial quote with no cue, a sentence or two after a quote in the same paragraph,
    with no one else named and no speech verb between: the same speaker's words."""
    cue_starts = sorted(c.start for c in cues)
    for n, quote in enumerate(quotes):
        seg = art.segments[n]
        if quote.speaker or quote.kind != "partial" or seg.single or n in attributed:
            continue
        if not quote.text[:1].islower() or len(quote.text.split()) < 2:
            continue
        before = [m for m in attributed if m < n]
        if not before:
            continue
        m = max(before)
        donor = attributed[m]
        if art.segments[m].paragraph != seg.paragraph:
            continue
        first, last = art.token_at(quote.start), art.token_at(donor.end - 1)
        if first is None or last is None or first.doc is not last.doc:
            continue
        sents = [s.start for s in first.doc.sents]
        gap = bisect.bisect_right(sents, first.i) - bisect.bisect_right(sents, last.i)
        if not 1 <= gap <= 2:
            continue
        lo = last.sent.end
        # past the donor's own sentence ('"...," Trump said.'): someone else may speak between
        unit = art.unit_of(last)
        sentence_end = unit.start + last.doc[lo].idx if lo < len(last.doc) else quote.start
        k = bisect.bisect_left(cue_starts, max(donor.end, sentence_end))
        if k < len(cue_starts) and cue_starts[k] < quote.start:
            continue
        between = first.doc[lo : first.i]
        if any(t.ent_type_ in {"PERSON", "ORG"} or t.lower_ in PRONOUNS - {"it"} for t in between):
            continue
        inherit_from(quote, donor)
        quote.confidence = 0.4 * donor.confidence
        note(quote, "same voice", donor=donor)
        attributed[n] = quote


def inside_claims(art: Article, quotes, attributed, claims) -> None:
    """A quote with no speaker inside a claim a cue reports is the claim's speaker's words:
    'The campaign is paying "dozens" of canvassers, according to Jeff Weaver', where the
    quoted word hangs on no speech verb of its own. The first claim (in cue order) holding a
    quote decides; each claim looks up the quotes it holds by their place (quotes are in text
    order), so a long article costs claims x log(quotes), not claims x quotes."""
    starts = [q.start for q in quotes]
    decided: set[int] = set()
    for claim in claims:
        cue = claim.cue
        speaks = cue.mention is not None and (cue.speaker or cue.mention_type in NAMED_ONLY)
        lo, hi = bisect.bisect_left(starts, claim.start), bisect.bisect_right(starts, claim.end)
        for n in range(lo, hi):
            quote = quotes[n]
            if n in attributed or n in decided or quote.kind == "indirect":
                continue
            if quote.end > claim.end:
                continue
            decided.add(n)
            if speaks:
                attach(quote, cue, art.text)
                quote.confidence = 0.7 * cue.confidence
                note(quote, "claim", cue=cue)
                attributed[n] = quote


def pronoun_after_named(art: Article, quotes, attributed: Attributed) -> None:
    """'"...," said Asab Tabchi. "...," he added': a 'he' or 'she' who speaks the quote right
    after one a person spoke in the same paragraph, with no one else's cue between, is that
    person where no gender is known for them (coreference, going by gender, had taken the
    last man or woman named before)."""
    for n in sorted(attributed):
        quote, prev = attributed[n], attributed.get(n - 1)
        if prev is None or art.segments[n - 1].paragraph != art.segments[n].paragraph:
            continue
        if quote.extra.get("mention_type") != "pronoun" or prev.extra.get("mention_type") != "name":
            continue
        if {quote.extra.get("via"), prev.extra.get("via")} - {"tail", "head"}:
            continue
        if (quote.speaker_mention or "").lower() not in {"he", "she"}:
            continue
        person = art.cast.people.get(prev.speaker or "")
        if person is None or person.kind != "person" or person.gender is not None:
            continue
        lo, hi = prev.speaker_end, quote.speaker_start
        if quote.speaker == prev.speaker or lo is None or hi is None or hi <= lo:
            continue
        own = {prev.speaker_start, quote.speaker_start}
        if any(lo < start < hi and mention not in own for start, mention in art.cue_places):
            continue  # someone else spoke between
        quote.speaker = prev.speaker
