"""Filters: scare quotes, titles and labels are nobody's words. A short quote repeated
unattributed elsewhere, single-quoted, used as a modifier inside a noun phrase ('the "Russian
trace" allegations') or as a label for the person named next ('"interim president" Juan
Guaido'), and a Title Case partial quote ('told "Good Morning America"') lose their speaker.

Input: the ``Article`` and its quote records. Output: the records, their speaker withheld where
so (``quotes.withhold``, with the filter's reason): the decision may give it back.
"""

import re

from apps.quotes.extraction import marks
from apps.quotes.extraction.document import Article
from apps.quotes.extraction.lexicon import NAMING_VERBS, TITLE_SMALL, UTTERING
from apps.quotes.extraction.names import fold
from apps.quotes.extraction.quotes import SHORT, withhold
from apps.quotes.extraction.speech import speech_verb
from apps.quotes.extraction.types import ExtractedQuote

HEADLINE_WORDS = 20
MODIFIER_DEPS = {"compound", "amod", "nmod", "poss"}
PREDICATE_DEPS = {"attr", "acomp", "oprd"}
# How a noun phrase hangs on the speech verb whose object it is, and the prepositions through
# which it is what the speaker says a thing is or warns of ('as "ludicrous"', 'of a "bruising"
# fight').
OBJECT_DEPS = {"dobj", "pobj", "prep", "conj", "oprd", "dative"}
PREPS = {"as", "of"}


def drop_scare_quotes(art: Article, quotes: list[ExtractedQuote]) -> None:
    """Scare quotes and titles are nobody's claim: short quotes repeated unattributed
    elsewhere in the article, or used as a modifier inside a noun phrase."""
    # words the article uses unattributed, outside its headline: a headline echoing a quote
    # ('Blumenthal Has "No Idea"') does not make the quote below it the writer's words
    headline = _headline(art)
    unattributed = {
        fold(q.text)
        for q in quotes
        if not (q.speaker or q.speaker_mention) and not (headline and q.paragraph == 0)
    }
    for quote in quotes:
        if (
            quote.kind == "partial"
            and _title(quote.text)
            and not _named_by(art, quote)
            and not _introduced(art, quote)
            and not _uttered(art, quote)
            and not _reported_phrase(art, quote)
            and not _said_as(art, quote)
        ):
            withhold(quote, "title")
            quote.extra["title"] = True  # 'told "Good Morning America"', "Frozen"
            continue
        if not (quote.speaker or quote.speaker_mention) or len(quote.text.split()) > SHORT:
            continue
        seg = quote.extra.get("segment")
        if fold(quote.text) in unattributed and not _reported_phrase(art, quote):
            withhold(quote, "repeated")
        elif seg and seg.single:
            withhold(quote, "single")
        elif _modifier(art, quote):
            withhold(quote, "modifier")
        elif _names_next(art, quote) and not _in_reported_clause(art, quote):
            withhold(quote, "label")


def _headline(art: Article) -> bool:
    """The first line is a headline: a short line above the rest ('Cruz "glad to finish"
    fight with Trump.'), or one in Title Case."""
    if len(art.paras) < 2:
        return False
    first = art.paras[0]
    words = re.findall(r"[^\W\d_][\w’'-]*", art.text[first.start : first.end])
    capitals = sum(w[0].isupper() or w.lower() in TITLE_SMALL for w in words)
    return 0 < len(words) <= HEADLINE_WORDS or capitals >= 0.75 * len(words) > 0


def _named_by(art: Article, quote: ExtractedQuote) -> bool:
    """'called the governor a "Liar"': a word or two a naming verb gives its object are the
    speaker's words, however capitalised, not a title."""
    if len(quote.text.split()) > 2:
        return False
    first = art.token_at(quote.start)
    if first is None or not first.doc.has_annotation("DEP"):
        return False
    head = first
    for _ in range(3):
        if head.head.i == head.i:
            return False
        head = head.head
        if head.pos_ == "VERB" and head.lemma_.lower() in NAMING_VERBS:
            return True
    return False


def _introduced(art: Article, quote: ExtractedQuote) -> bool:
    """'shook her head and said, "No."', 'chanting: "Dump Trump"': words a speech verb
    introduces after a comma or colon are said, however capitalised."""
    window = art.text[max(0, quote.start - 40) : quote.start]
    before = re.search(rf"(\w+)\s*[,:]\s*[{marks.DOUBLES}'‘]?\s*$", window)
    if before is None:
        return False
    token = art.token_at(quote.start - len(window) + before.start(1))
    return token is not None and speech_verb(token)


def _uttered(art: Article, quote: ExtractedQuote) -> bool:
    """'the protesters chanted "Dump Trump"', 'shouting "Lock Her Up"': words a verb of
    calling out aloud takes are said, however capitalised (not 'sang "Happy Birthday"')."""
    first = art.token_at(quote.start)
    if first is None or not first.doc.has_annotation("DEP"):
        return False
    head = first
    while head.head.i != head.i and art.in_quote_token(head.head):
        head = head.head  # the quoted words' own root
    if head.dep_ not in {"dobj", "ccomp", "xcomp", "oprd"}:
        return False  # not 'to chants of "Marco! Marco!"': who chanted is not said
    return head.head.lemma_.lower() in UTTERING and not art.in_quote_token(head.head)


def _names_next(art: Article, quote: ExtractedQuote) -> bool:
    """'"interim president" Juan Guaido': a label for the person named right after it."""
    if quote.kind != "partial" or quote.text.rstrip()[-1:] in {",", ".", "!", "?"}:
        return False  # '"Absolutely," Trump said'
    first = art.token_at(quote.start)
    if first is not None and first.pos_ == "VERB":
        return False  # 'trying to "protect" Clinton'
    m = re.match(rf"[{marks.DOUBLES}’']?\s+", art.text[quote.end : quote.end + 4])
    token = art.token_at(quote.end + m.end()) if m else None
    return token is not None and token.ent_type_ == "PERSON"


def _in_reported_clause(art: Article, quote: ExtractedQuote) -> bool:
    """'Ted Cruz says his "friend and colleague" Marco Rubio ran a fine race': a label inside
    the clause a speech verb before it reports is the speaker's word for the person, not the
    writer's (not 'The talks with "interim president" Juan Guaido went on, Pompeo said')."""
    first = art.token_at(quote.start)
    if first is None or not first.doc.has_annotation("DEP"):
        return False
    verb = _reporting_verb(first)
    return verb is not None and verb.i < first.i


def _reported_phrase(art: Article, quote: ExtractedQuote) -> bool:
    """'The State Department has said that it classified the emails as "top secret"': what a
    speaker says a thing is, in the clause they report, is their claim, though the article uses
    the words elsewhere too (not a term they name: 'Lavrov said the accusations of "election
    meddling" were never proven')."""
    if not _in_reported_clause(art, quote):
        return False
    span = _span(art, quote)
    if span is None:
        return False
    root = span.root
    if root.dep_ in MODIFIER_DEPS and not span.start <= root.head.i < span.end:
        return False
    return root.dep_ in PREDICATE_DEPS or (root.dep_ == "pobj" and root.head.lower_ == "as")


def _said_as(art: Article, quote: ExtractedQuote) -> bool:
    """'described the plan as "Dead On Arrival"': what a speaker says a thing is, however
    capitalised (not what they speak of: 'told the hosts of "Morning Joe"')."""
    span = _span(art, quote)
    return span is not None and _object_of_speech(span.root, {"as"})


def _span(art: Article, quote: ExtractedQuote):
    """The quote's words in the parse."""
    first = art.token_at(quote.start)
    if first is None:
        return None
    doc, unit = first.doc, art.unit_of(first)
    hi = first.i
    while hi < len(doc) and unit.start + doc[hi].idx < quote.end:
        hi += 1
    return doc[first.i : hi] if hi > first.i else None


def _modifier(art: Article, quote: ExtractedQuote) -> bool:
    """'the "Russian trace" allegations': the quoted words stand before the noun they modify
    (not words that end a clause: 'called the orders "quite dangerous."')."""
    seg = quote.extra.get("segment")
    after = seg.close_mark + 1 if seg is not None and seg.close_mark is not None else quote.end
    if re.match(r"\s*(?:[,.;:!?)]|$)", art.text[after : after + 3]) or re.search(
        r"[,.;:!?]\s*$", quote.text
    ):
        return False
    span = _span(art, quote)
    if span is None:
        return False
    doc, lo, hi = span.doc, span.start, span.end
    root = span.root
    if root.dep_ in MODIFIER_DEPS and not (lo <= root.head.i < hi):
        if _reported_words(root.head):
            return False
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


def _reported_words(noun) -> bool:
    """'McCaskill said Sanders made her a "stronger" candidate', 'he denounced what he called
    the "deeply pessimistic" vision': a noun phrase in the clause a speech verb reports, or one
    a speaker's 'what X called' names, carries the speaker's words, not the writer's."""
    head = noun.head
    if head.lemma_.lower() in NAMING_VERBS and (
        noun.dep_ == "oprd"  # 'called Rubio "Little Marco" multiple times': the name given
        or (noun.dep_ in {"dobj", "attr"} and any(c.lower_ == "what" for c in head.children))
    ):
        return True
    return _object_of_speech(noun) or _reporting_verb(noun) is not None


def _reporting_verb(token):
    """The speech verb whose reported clause holds ``token`` ('McCaskill said [Sanders made her
    a "stronger" candidate]'), short of a relative or adjectival clause; not a question's
    ('asked to confirm the "top secret" emails': the asker's words)."""
    for node in token.ancestors:
        if node.dep_ == "ccomp" and speech_verb(node.head) and node.head.lemma_ != "ask":
            return node.head
        if node.dep_ in {"relcl", "acl"}:
            return None
    return None


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


def _object_of_speech(noun, preps=PREPS) -> bool:
    """'rejected the idea as "ludicrous"', 'describes himself as "totally pro-Israel"',
    'warned of a "ferocious" battle': what a speaker says a thing is, or warns of, in their
    words (not the object of 'denied the "Russian trace" allegations': others' words)."""
    node, via = noun, set()
    while node.dep_ in OBJECT_DEPS and node.head.i != node.i:
        if node.dep_ == "prep":
            via.add(node.lower_)
        node = node.head
        if node.pos_ in {"VERB", "AUX"}:
            return bool(via & preps) and speech_verb(node) and node.lemma_.lower() != "ask"
    return False
