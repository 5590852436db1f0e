"""Quote records: one per quoted segment, and the ways a speaker is given to (or taken from) one."""

import re

from apps.quotes.extraction.cues import Cue
from apps.quotes.extraction.document import Article
from apps.quotes.extraction.types import ExtractedQuote

SHORT = 4  # quotes of at most this many words need a cue that clearly frames them
# 'BOSTON (Reuters) —', 'WASHINGTON —' before a paragraph's first words: no sentence of its own.
DATELINE = re.compile(r"[A-Z][A-Z .,'’-]{1,40}(?:\([^()]{1,40}\))?\s*[—–-]+")


def quote_for(art: Article, seg) -> ExtractedQuote:
    para = art.paras[seg.paragraph]
    before = art.text[para.body_start : seg.opening]
    before = before.rstrip()
    words_said = art.text[seg.start : seg.end]
    words = len(words_said.split())
    direct = (
        seg.flags & {"implied", "merged", "continued"}
        or not before
        or before.endswith(":")
        or DATELINE.fullmatch(before)
        or (
            re.search(r"[.!?][”\"’]?$", before)
            and (words > SHORT or is_sentence(words_said) or is_sentence(words_said, comma=True))
        )
    )
    return ExtractedQuote(
        start=seg.start,
        end=seg.end,
        text=art.text[seg.start : seg.end],
        kind="direct" if direct else "partial",
        paragraph=seg.paragraph,
        extra={"segment": seg},
    )


def attach(quote: ExtractedQuote, cue: Cue, text: str) -> None:
    credit(quote, cue.speaker, cue.text, cue.mention, text)


def credit(quote: ExtractedQuote, speaker, cue: str, mention, text: str) -> None:
    """Give the quote its speaker, cue and (where there is one) the mention naming them."""
    quote.speaker, quote.cue = speaker, cue
    if mention:
        quote.speaker_start, quote.speaker_end = mention
        quote.speaker_mention = text[mention[0] : mention[1]]


def inherit_from(quote: ExtractedQuote, donor: ExtractedQuote) -> None:
    """The donor's speaker, cue and mention: '"A," he said. "B."' -- 'he' said B too."""
    quote.speaker, quote.cue = donor.speaker, donor.cue
    quote.speaker_mention = donor.speaker_mention
    quote.speaker_start, quote.speaker_end = donor.speaker_start, donor.speaker_end


def is_sentence(text: str, *, comma: bool = False) -> bool:
    """'It draws people in.': a whole sentence, however short; with ``comma``, also one the
    speech cue after it closes ('"Prices will fall," the minister said.')."""
    return bool(re.fullmatch(r"[A-Z].*[.!?,]" if comma else r"[A-Z].*[.!?]", text))


def detach(quote: ExtractedQuote) -> None:
    quote.speaker = quote.speaker_mention = quote.cue = None
    quote.speaker_start = quote.speaker_end = None
    quote.confidence = 0.1


ATTRIBUTION = ("speaker", "speaker_mention", "speaker_start", "speaker_end", "cue", "confidence")


def withhold(quote: ExtractedQuote, reason: str) -> None:
    """Take the speaker a filter doubts ('title', 'repeated', ...), keeping it aside: the
    decision may give it back (``restore``) where the model finds it likely right."""
    if "withheld" not in quote.extra:
        quote.extra["withheld"] = {name: getattr(quote, name) for name in ATTRIBUTION}
        quote.extra["scare"] = reason
    detach(quote)


def restore(quote: ExtractedQuote) -> None:
    """The attribution a filter withheld, given back."""
    for name, value in quote.extra.pop("withheld").items():
        setattr(quote, name, value)
    quote.extra.pop("title", None)


def visible(quote: ExtractedQuote) -> bool:
    """What the engine returns: quotes with a speaker or a mention, and longer ones without;
    never a title."""
    attributed = quote.speaker or quote.speaker_mention
    return bool(attributed or len(quote.text.split()) > SHORT) and not quote.extra.get("title")


def note(quote: ExtractedQuote, via: str, *, cue: Cue | None = None, donor=None) -> None:
    """Record how the quote got its speaker: the rule, and the cue's lemma and mention type (its
    own cue's, or those of the quote it took its speaker from). The decision weighs these."""
    quote.extra["via"] = via
    if cue is not None:
        quote.extra["mention_type"] = cue.mention_type
        quote.extra["cue_lemma"] = cue.lemma
    elif donor is not None:
        quote.extra["mention_type"] = donor.extra.get("mention_type", "")
        quote.extra["cue_lemma"] = donor.extra.get("cue_lemma", "")
        quote.extra["donor_via"] = donor.extra.get("via", "")
