"""Layouts beyond wire copy: transcripts, dash dialogue, attribution lines, tweets, releases.

Two steps around the engine:

- ``normalise(text)`` rewrites, at the same offsets, what the engine should read as quotation
  marks (dash dialogue's dashes) and blanks out what it must not (the quote marks of markup
  attributes such as ``<tweet author="...">``). Offsets never move, so every quote the engine
  finds is still ``text[start:end]`` of the text as written.
- ``apply(text, quotes)`` adds the quotes that carry no quotation marks at all (a transcript's
  answers, a tweet's text), gives quotes their speaker where the layout names it (an attribution
  line under a pull quote, a ``Name: "..."`` headline, a transcript label), and drops what a
  layout says is not reported speech (a press release's "About ..." boilerplate, a byline or a
  dateline taken for a speaker).

Plain Python, no parse: every rule reads lines, so it is linear in the text's length.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from apps.quotes.extraction import lexicon, marks
from apps.quotes.extraction.marks import CUE_FORMS, CUE_RE
from apps.quotes.extraction.types import ExtractedQuote

DASHES = "—–―"
NAME_WORD = r"[A-Z][\w’'.-]*"
PARTICLE = r"(?:de|van|von|der|den|da|di|del|la|le|bin|al|el|ibn)"
NAME = rf"{NAME_WORD}(?:\s+(?:{NAME_WORD}|{PARTICLE})){{0,4}}"

# ---------------------------------------------------------------------------- lines


@dataclass(frozen=True, slots=True)
class Line:
    index: int
    start: int  # offset of the first non-blank character
    end: int  # offset after the last non-blank character

    def text(self, text: str) -> str:
        return text[self.start : self.end]


def lines(text: str) -> list[Line]:
    """The text's paragraphs as the engine numbers them (``marks.paragraphs``: its non-blank
    lines), trimmed."""
    result = []
    for para in marks.paragraphs(text):
        body = text[para.start : para.end]
        start = para.start + len(body) - len(body.lstrip())
        result.append(Line(para.index, start, start + len(body.strip())))
    return result


# ---------------------------------------------------------------------------- normalise

TAG = re.compile(r"</?[A-Za-z][\w:-]*(?:\s[^<>\n]{0,500})?/?>")
# ', said the negotiator' / ', he added' / ', Lis says' / ', she told reporters': the comma that
# ends a dash quote's words, the attribution clause after it.
DASH_CUE = re.compile(
    rf",\s+(?=(?:[\w’'.-]+\s+){{0,4}}?(?:{CUE_FORMS})\b|(?:{CUE_FORMS})\b)", re.IGNORECASE
)
SECOND_DASH = re.compile(rf"(?<=[.!?,])\s+([{DASHES}]) (?=\S)")


def normalise(text: str) -> str:
    """The text at the same offsets, with dash dialogue's dashes written as double quotation
    marks and markup attributes' quote marks blanked."""
    chars: list[str] | None = None

    def put(i: int, ch: str) -> None:
        nonlocal chars
        if chars is None:
            chars = list(text)
        chars[i] = ch

    if "<" in text:
        for tag in TAG.finditer(text):
            for i in range(tag.start(), tag.end()):
                if text[i] in "\"'“”‘’":
                    put(i, " ")
    for _line, parts in dash_lines(text):
        for start, end in parts:
            put(start - 2, " ")  # '— We' reads ' "We': the mark next to the words
            put(start - 1, '"')
            put(end, '"')
    return text if chars is None else "".join(chars)


def dash_lines(text: str) -> list[tuple[Line, list[tuple[int, int]]]]:
    """Each dash-dialogue line with its spoken parts, as (start, end) of the words:
    '— There is no deal, said the negotiator. — We leave.' has two. The character at ``end``
    is the comma before the attribution or the line's final punctuation."""
    found: list[tuple[Line, list[tuple[int, int]]]] = []
    uncued: list[tuple[Line, list[tuple[int, int]]]] = []
    for line in lines(text):
        if text[line.start] not in DASHES or line.end - line.start < 4:
            continue
        body = line.text(text)
        if body[1] != " " or body[2].isspace() or any(m in body for m in '"“”«»'):
            continue
        if body.rstrip(".!?… ")[-1:] in DASHES:
            continue  # '– Old hands –': a subheading
        closes = text[line.end - 1] in ".!?…"
        cue = DASH_CUE.search(text, line.start + 2, line.end)
        if cue is None:  # the whole line is speech, if the article is dialogue at all
            if closes and len(body.split()) > 2:
                uncued.append((line, [(line.start + 2, line.end - 1)]))
            continue
        parts = [(line.start + 2, cue.start())]
        again = SECOND_DASH.search(text, cue.end(), line.end)
        if again and closes and text[again.end(1)] == " ":
            parts.append((again.end(1) + 1, line.end - 1))
        found.append((line, parts))
    # a list of dashed items is not dialogue: it needs lines with a speech verb, and more of
    # them than lines without
    if not found or len(uncued) > len(found):
        return []
    return sorted(found + uncued, key=lambda lp: lp[0].start)


# ---------------------------------------------------------------------------- apply

LABEL = re.compile(rf"(?P<label>Q|A|{NAME}|[A-Z][A-Z’'.-]+(?:\s+[A-Z][A-Z’'.-]+){{0,4}})\s*:\s+")
NOT_LABELS = {
    "note", "update", "updated", "editor's note", "editor’s note", "highlights", "photo",
    "source", "sources", "media contact", "contact", "correction", "read more", "related",
    "watch", "listen", "warning", "disclaimer", "about", "tags", "topics", "notes", "by",
    "breaking", "exclusive", "analysis", "opinion", "comment", "video", "audio", "live",
}  # fmt: skip
ASKERS = {"q", "question", "interviewer", "host", "presenter", "moderator", "anchor", "reporter"}
ANSWERERS = {"a", "answer", "guest"}
HOST_NAMED = re.compile(
    rf"\b(?:host|presenter|interviewer|moderator|anchor)\s*,?\s+(?P<name>{NAME_WORD}\s+{NAME_WORD})"
)
ATTRIBUTION = re.compile(
    rf"^[{DASHES}-]{{1,2}}\s*(?P<name>{NAME})\s*(?:,\s*(?P<title>[^()\n@]{{1,120}}?))?"
    r"\s*(?:\((?P<handle>@\w{1,30})\))?\s*(?P<date>(?:[A-Z][a-z]{2,8}\.? \d{1,2}, \d{4})|"
    r"(?:\d{1,2} [A-Z][a-z]{2,8} \d{4}))?\s*$"
)
PULL_CREDIT = re.compile(rf"^(?P<name>{NAME}),\s+(?P<title>[^.!?\n\"“”]{{2,120}})$")
# 'Okafor: "We will not ..."', 'Rep. Trey Gowdy (R-S.C.):"I have not ..."'
HEADLINE = re.compile(
    rf"(?P<name>{NAME})(?:\s*\([^()\n]{{1,30}}\))?\s*:\s*[\"“][^\"“”\n]+[\"”][.!?]?\s*$"
)
NOT_NAMES = {"the", "a", "an", "this", "that", "it", "we", "i", "he", "she", "they", "no", "yes"}
ABOUT = re.compile(r"^About\s+(?:the\s+)?[A-Z][\w&.,’'-]*(?:\s+[\w&.,’'-]+){0,6}$")
BYLINE = re.compile(rf"^(?:By|BY|by)\s+{NAME}")  # the name capitalised: not 'By contrast,
DATELINE = re.compile(
    r"^(?:[A-Z][A-Z .'-]{2,40}(?:,[^—–\n]{0,40})?(?:\([^)\n]{1,30}\))?"
    # 'Washington (AFP) –': a place in title case, then the agency
    r"|[A-Z][\w.'-]+(?: [A-Z][\w.'-]+){0,3}(?:, [A-Z][\w.'-]+(?: [A-Z][\w.'-]+){0,2})?"
    r" \([A-Z][^)\n]{1,30}\))\s*[—–-]+\s"
)
TWEET_OPEN = re.compile(r"^<tweet\b[^>]*>", re.IGNORECASE)
TWEET_CLOSE = re.compile(r"^</tweet>", re.IGNORECASE)
AUTHOR_ATTR = re.compile(r"\bauthor\s*=\s*[\"']?(?P<author>[^\"'\s>]+)")
LINK = re.compile(r"\s*(?:pic\.twitter\.com/\S+|https?://\S+)\s*$")
MARKS = "\"“”„«»'‘’"


def apply(text: str, quotes: list[ExtractedQuote]) -> list[ExtractedQuote]:
    """The engine's quotes with what the article's layout says about them."""
    all_lines = lines(text)
    if not all_lines:
        return quotes
    quotes = _about_blocks(text, all_lines, quotes)
    quotes = _no_byline_speakers(text, all_lines, quotes)
    quotes = _dash_dialogue(text, quotes)
    quotes = _transcript(text, all_lines, quotes)
    quotes = _credit_lines(text, all_lines, quotes)
    quotes = _headlines(text, all_lines, quotes)
    quotes.sort(key=lambda q: (q.start, q.end))
    return quotes


def _about_blocks(text: str, all_lines: list[Line], quotes):
    """A press release's 'About <company>' block and what follows it is boilerplate."""
    for line in all_lines[1:]:
        if ABOUT.match(line.text(text)) and line.end - line.start < 80:
            return [q for q in quotes if q.start < line.start]
    return quotes


def _no_byline_speakers(text: str, all_lines: list[Line], quotes):
    """'By Elena Marsh, Reuters' and 'BOSTON (Reuters) —' name the article's authors and
    place, never a speaker."""
    spans = []
    for line in all_lines:
        body = line.text(text)
        if BYLINE.match(body) and len(body) < 120:
            spans.append((line.start, line.end))
        elif m := DATELINE.match(body):
            spans.append((line.start, line.start + m.end()))
    if not spans:
        return quotes
    for quote in quotes:
        if quote.speaker_start is None:
            continue
        for lo, hi in spans:
            if not lo <= quote.speaker_start < hi:
                continue
            if quote.speaker_end is None or quote.speaker_end <= hi:
                _unattribute(quote)  # 'BOSTON' or 'Elena Marsh' taken for the speaker
            else:  # 'WASHINGTON (Reuters) - U.S. candidate Hillary Clinton said'
                quote.speaker_start = hi
                quote.speaker_mention = text[hi : quote.speaker_end]
            break
    return quotes


def _dash_dialogue(text: str, quotes):
    """A dash line's later parts ('..., she added. — But ...') are the same speaker's, and a
    part that ends the line keeps its final stop (the engine read a quotation mark there)."""
    for line, parts in dash_lines(text):
        said = []
        for start, end in parts:
            quote = next(
                (q for q in quotes if q.start <= start < q.end and q.kind != "indirect"), None
            )
            if quote is None:
                quote = ExtractedQuote(
                    start=start,
                    end=end,
                    text=text[start:end],
                    kind="direct",
                    paragraph=line.index,
                )
                quotes.append(quote)
            if text[end] in ".!?…" and quote.end == end:
                quote.end = end + 1
                quote.text = text[quote.start : quote.end]
            quote.kind = "direct"
            said.append(quote)
        donor = next((q for q in said if q.speaker), None)
        for quote in said:
            if donor and not quote.speaker:
                quote.speaker, quote.speaker_mention = donor.speaker, donor.speaker_mention
                quote.speaker_start, quote.speaker_end = donor.speaker_start, donor.speaker_end
                quote.speaker_kind, quote.speaker_role = donor.speaker_kind, donor.speaker_role
                quote.cue = donor.cue
                quote.confidence = donor.confidence * 0.95
    return quotes


# -- transcripts ---------------------------------------------------------------------------


@dataclass
class Turn:
    line: Line
    label: str
    label_end: int  # where the words start


def _turns(text: str, all_lines: list[Line]) -> list[Turn]:
    turns = []
    for line in all_lines[1:]:  # the first line is the title: 'Rubio: ...' is a headline
        m = LABEL.match(text, line.start, line.end)
        if not m:
            continue
        label = m.group("label").strip()
        if label.lower() in NOT_LABELS or len(label) > 40:
            continue
        if m.end() >= line.end or text[m.end()] in MARKS:
            continue  # 'Okafor: "We will not ..."' is a headline, not a turn
        if not _spoken(text[m.end() : line.end]):
            continue  # 'Clinton: 1,769.' is a table
        turns.append(Turn(line, label, m.end()))
    return turns


def _spoken(words: str) -> bool:
    """Words someone could have said: not a number, a stage direction or a rule."""
    words = words.strip()
    if words[:1] in "([" and words[-1:] in ")].":
        return False  # '(BEGIN VIDEO CLIP)'
    return len(re.findall(r"[^\W\d_]{2,}", words)) >= 2


def _transcript(text: str, all_lines: list[Line], quotes):
    """'Q: ...' / 'Ruiz: We kept our shape.': each turn is a direct quote by its label's
    person; the questions are the interviewer's where the text names one."""
    turns = _turns(text, all_lines)
    labels = [t.label.lower() for t in turns]
    repeated = {label for label in labels if labels.count(label) > 1}
    if len(turns) < 3 or len(set(labels)) < 2 or not repeated:
        return quotes
    first = turns[0].line.index
    intro = text[: turns[0].line.start]
    host = HOST_NAMED.search(intro)
    people = _names(intro)
    by_line = {t.line.index: t for t in turns}
    made: list[ExtractedQuote] = []
    current: Turn | None = None
    last = turns[-1].line.index
    for line in all_lines[first : last + 1]:
        turn = by_line.get(line.index)
        if turn:
            current = turn
            start = turn.label_end
        else:
            start = line.start  # a turn that runs over several paragraphs
        if current is None or start >= line.end or not _spoken(text[start : line.end]):
            continue
        speaker = _label_speaker(current.label, text, host, people)
        quote = ExtractedQuote(
            start=start,
            end=line.end,
            text=text[start : line.end],
            kind="direct",
            speaker=speaker,
            cue=":",
            confidence=0.9 if speaker else 0.1,
            paragraph=line.index,
            extra={"unmarked": True},
        )
        if speaker:
            label_start = current.line.start
            quote.speaker_mention = text[label_start : label_start + len(current.label)]
            quote.speaker_start, quote.speaker_end = label_start, label_start + len(current.label)
            quote.speaker_kind = "person"
        made.append(quote)
    if not made:
        return quotes
    block = (all_lines[first].start, all_lines[last].end)
    kept = [
        q for q in quotes if not block[0] <= q.start < block[1] or _nested_in_marks(text, q, made)
    ]
    return kept + made


def _nested_in_marks(text: str, quote, made) -> bool:
    """A quote the answerer quotes, inside their answer, in quotation marks."""
    return (
        quote.kind != "indirect"
        and quote.start > 0
        and text[quote.start - 1] in MARKS
        and any(m.start < quote.start and quote.end < m.end for m in made)
    )


def _label_speaker(label: str, text: str, host, people: list[str]) -> str | None:
    key = label.lower()
    if key in ASKERS:
        return host.group("name") if host else None
    if key in ANSWERERS:
        asker = host.group("name") if host else None
        return next((p for p in people if p != asker), None)
    name = label.title() if label.isupper() else label
    return _full_name(name, text)


# -- attribution lines ---------------------------------------------------------------------


def _credit_lines(text: str, all_lines: list[Line], quotes):
    """'"..."' then '— Name, Title' (or a pull quote's 'Name, Title' line, or a tweet's
    '— Name (@handle) date'): the words above are that person's."""
    made: list[ExtractedQuote] = []
    tweet: list[Line] = []  # the lines of the tweet block we are in
    tweet_author: str | None = None
    in_tweet = tweet_credited = False
    for n, line in enumerate(all_lines):
        body = line.text(text)
        if TWEET_OPEN.match(body):
            m = AUTHOR_ATTR.search(body)
            tweet_author = m.group("author") if m else None
            in_tweet, tweet_credited, tweet = True, False, []
            continue
        if TWEET_CLOSE.match(body):
            if not tweet_credited and tweet_author and tweet:
                made += _uncredited_tweet(text, tweet, tweet_author)
            in_tweet = False
            continue
        if in_tweet:
            tweet.append(line)
        if n == 0 or line.end - line.start > 200:
            continue
        credit = ATTRIBUTION.match(body)
        above = all_lines[n - 1]
        above_text = above.text(text)
        if credit is None and _fully_quoted(above_text):
            credit = PULL_CREDIT.match(body)
        if credit is None or TWEET_OPEN.match(above_text):
            continue
        name = credit.group("name")
        title = credit.groupdict().get("title") or ""
        if name.split()[0].lower() in NOT_NAMES or CUE_RE.search(title):
            continue
        signed = credit.groupdict().get("handle") or credit.groupdict().get("date")
        if not (_fully_quoted(above_text) or signed or in_tweet):
            continue
        tweet_credited = tweet_credited or in_tweet
        speaker = _full_name(name, text)
        mention = (line.start + credit.start("name"), line.start + credit.end("name"))
        words = _words_of(text, above, quotes)
        if words is None:
            continue
        quote = next((q for q in quotes if _covers(q, words)), None)
        if quote is None:
            start, end = words
            quote = ExtractedQuote(
                start=start,
                end=end,
                text=text[start:end],
                kind="direct",
                paragraph=above.index,
                extra={"unmarked": True},
            )
            made.append(quote)
        quote.kind = "direct" if quote.kind != "indirect" else quote.kind
        quote.speaker = speaker
        quote.speaker_mention = text[mention[0] : mention[1]]
        quote.speaker_start, quote.speaker_end = mention
        quote.speaker_kind = "organisation" if _looks_like_org(speaker) else "person"
        if credit.groupdict().get("title"):
            quote.speaker_role = credit.group("title").strip()
        quote.cue = "—"
        quote.confidence = max(quote.confidence, 0.85)
    return quotes + made


def _uncredited_tweet(text: str, tweet: list[Line], author: str) -> list[ExtractedQuote]:
    """A tweet block with no '— Name (@handle)' line: its words are its author's."""
    start, end = tweet[0].start, tweet[-1].end
    link = LINK.search(text, start, end)
    if link:
        end = link.start()
    if end - start < 2:
        return []
    name = " ".join(re.findall(r"[A-Z][a-z]+|[A-Z]+(?![a-z])|\d+", author)) or author
    speaker = _full_name(name, text) if name in text else author
    quote = ExtractedQuote(
        start=start,
        end=end,
        text=text[start:end],
        kind="direct",
        speaker=speaker,
        speaker_kind="person",
        cue="tweet",
        confidence=0.8,
        paragraph=tweet[0].index,
        extra={"unmarked": True},
    )
    return [quote]


def _fully_quoted(body: str) -> bool:
    return len(body) > 2 and body[0] in "\"“'‘" and body.rstrip()[-1] in "\"”'’"


def _words_of(text: str, above: Line, quotes) -> tuple[int, int] | None:
    """The words of the line above a credit: inside its quotation marks where it has them,
    else the whole line less a trailing link."""
    body = above.text(text)
    if body.endswith(":") or ATTRIBUTION.match(body):
        return None
    start, end = above.start, above.end
    link = LINK.search(text, start, end)
    if link:
        end = link.start()
    while start < end and text[start] in MARKS:
        start += 1
    while end > start and text[end - 1] in MARKS:
        end -= 1
    return (start, end) if end - start > 1 else None


def _covers(quote: ExtractedQuote, words: tuple[int, int]) -> bool:
    start, end = words
    overlap = max(0, min(quote.end, end) - max(quote.start, start))
    return overlap * 2 >= end - start and quote.kind != "indirect"


def _headlines(text: str, all_lines: list[Line], quotes):
    """'Okafor: "We will not raise the fare"', a headline or a line of the body: the quote is
    the named person's."""
    for line in all_lines:
        m = HEADLINE.match(text, _past_role(text, line), line.end)  # anchored there
        if not m or line.end - line.start > 600:
            continue
        if m.group("name").lower() in NOT_LABELS or m.group("name").split()[0].lower() in NOT_NAMES:
            continue  # 'Update: "..."', 'The: ...'
        for quote in quotes:
            if line.start < quote.start < line.end and quote.kind != "indirect":
                name = m.group("name")
                quote.speaker = _full_name(name, text)
                quote.speaker_mention = name
                quote.speaker_start, quote.speaker_end = line.start, line.start + len(name)
                quote.speaker_kind = quote.speaker_kind or "person"
                quote.kind = "direct"
                quote.cue = ":"
                quote.confidence = max(quote.confidence, 0.8)
    return quotes


ROLE_LEAD = lexicon.ROLE_MODIFIERS | lexicon.TITLES | {"of", "the", "state", "for"}


def _past_role(text: str, line: Line) -> int:
    """Where the name starts after the role words leading the line ('Former secretary of
    state Hillary Clinton:'); the line's start where none do."""
    at = line.start
    for word in re.finditer(r"\S+\s+", text[line.start : line.end]):
        if word.group().strip().lower().rstrip(".") not in ROLE_LEAD:
            break
        at = line.start + word.end()
    return at


# -- names ---------------------------------------------------------------------------------

FULL = re.compile(rf"\b{NAME_WORD}(?:\s+(?:{NAME_WORD}|{PARTICLE}))+")
TITLES = {
    "mr", "mrs", "ms", "dr", "prof", "sir", "dame", "senator", "sen", "rep", "gov", "governor",
    "minister", "president", "gen", "col", "capt", "lt", "sgt", "rev", "judge", "mayor",
}  # fmt: skip


def _names(text: str) -> list[str]:
    """Full names (two words or more) in order of first appearance."""
    seen: list[str] = []
    for m in FULL.finditer(text):
        words = [w for w in m.group().split() if w.lower().rstrip(".") not in TITLES]
        if len(words) >= 2:
            name = " ".join(words)
            if name not in seen:
                seen.append(name)
    return seen


def _full_name(name: str, text: str) -> str:
    """'Ruiz' -> 'Marta Ruiz' where the text gives the full name; the name as given else
    ('Gov Fallin' is Fallin)."""
    words = name.split()
    while len(words) > 1 and words[0].lower().rstrip(".") in TITLES:
        words.pop(0)
    name = " ".join(words)
    if len(words) > 1:
        return name
    for m in re.finditer(rf"\b({NAME_WORD})\s+{re.escape(name)}\b", text):
        first = m.group(1)
        if first.lower().rstrip(".") not in TITLES and not first.isupper():
            return f"{first} {name}"  # 'Marta Ruiz', not 'Gov. Ruiz' or 'OK Ruiz'
    return name


def _looks_like_org(name: str | None) -> bool:
    return bool(name) and bool(
        re.search(r"\b(?:Company|Co|Inc|Ltd|Group|Council|Ministry|League|Association)\b", name)
    )


def _unattribute(quote: ExtractedQuote) -> None:
    quote.speaker = quote.speaker_mention = quote.cue = None
    quote.speaker_start = quote.speaker_end = None
    quote.confidence = 0.1
