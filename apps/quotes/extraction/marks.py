"""Paragraphs, site boilerplate, and quotation marks paired into quoted segments.

Everything here is character-level and linear in the text's length. Broken marks are repaired
per paragraph, so one stray mark never derails the rest of the article.
"""

import re
from dataclasses import dataclass, field

DOUBLE_OPEN = "“«„"
DOUBLE_CLOSE = "”»"
DOUBLE_NEUTRAL = '"'
SINGLE_OPEN = "‘‹"
SINGLE_CLOSE = "’›"
SINGLE_NEUTRAL = "'"
DOUBLES = DOUBLE_OPEN + DOUBLE_CLOSE + DOUBLE_NEUTRAL
MAX_MARKS = 400  # per paragraph; beyond that the marks are not quoting anything

# Speech verbs as they appear in attribution clauses ("Lavrov said", "said the expert").
CUE_FORMS = (
    r"said|says|say|saying|told|tells|added|adds|noted|notes|stressed|stresses|argued|argues|"
    r"insisted|insists|claimed|claims|explained|explains|stated|states|announced|declared|"
    r"wrote|writes|tweeted|posted|recalled|warned|warns|suggested|suggests|confirmed|confirms|"
    r"denied|admitted|acknowledged|reiterated|emphasi[sz]ed|pointed out|asked|asks|answered|"
    r"replied|responded|commented|continued|concluded|observed|remarked|mentioned|asserted|"
    r"maintained|contended|conceded|countered|quipped|joked|predicted|promised|vowed|"
    r"complained|cautioned|urged|agreed|assured|underlined|underscored|went on|goes on|"
    r"charged|charges|boasted|bragged|lamented|scoffed|mocked|recounted|shot back|fired back|"
    r"wondered|pleaded|demanded|read|reads|began|begins|continues|concludes"
)
CUE_RE = re.compile(rf"\b(?:{CUE_FORMS})\b", re.IGNORECASE)
# A name and a verb in the past between two quotes ('"...?" Hannity pressed. "..."'): someone
# spoke, whatever the verb, so the two quotes are not one passage with its marks misplaced.
NAMED_ACT = re.compile(r"\b[A-Z][\w’'-]+\s+[a-z]+ed\b")
# A short attribution clause that ends a paragraph: ', Lavrov said.' / '– said the expert.'
TAIL_RE = re.compile(
    rf"^[\s,.;:–—-]*(?:[^\W\d][\w’'.-]*\s+){{0,8}}?(?:{CUE_FORMS})\b[^.!?“”\"«»]{{0,80}}[.!?]?\s*$",
    re.IGNORECASE,
)

BOILERPLATE = re.compile(
    r"^\s*(?:also on \S+|like this story\?|share this|rate post|leave a (?:reply|comment)|"
    r"please log in|you are commenting|connecting to %s|this site uses akismet|"
    r"be the first to comment|sing in|sign in|notify of|posted by|log out|"
    r"\w+ (?:picture|photo)$|click to (?:share|email|print)|related:|read more|subscribe|"
    r"follow us|share on|\d+ stars?|tags?:|advertisement|comments?$|"
    r"(?:\d+ )?star\d)",
    re.IGNORECASE,
)
# "Also on rt.com <link title>The article goes on" — link titles glued to the next sentence.
LINK_LINE = re.compile(r"^\s*also on \S+", re.IGNORECASE)
GLUED = re.compile(r"(?<=[a-z0-9])(?=[A-Z][a-z])")
# Two apostrophes (or backticks) for a double mark, as in newswire archives: ''Yes,'' he said.
ASCII_DOUBLE = re.compile(r"(?<!['`])(?:''|``)(?!['`])")


@dataclass(slots=True)  # one per line: 200,000 in a long article
class Paragraph:
    index: int
    start: int
    end: int
    skip_to: int = -1  # boilerplate up to here (absolute offset); -1 when none

    @property
    def body_start(self) -> int:
        return max(self.start, self.skip_to)


@dataclass
class Segment:
    """Quoted words: ``start``/``end`` exclude the marks themselves."""

    start: int
    end: int
    paragraph: int
    open_mark: int | None  # position of the opening mark (None: implied at paragraph start)
    close_mark: int | None  # position of the closing mark (None: never closed)
    single: bool = False
    flags: set[str] = field(default_factory=set)

    @property
    def opening(self) -> int:
        """Where the quote opens: its opening mark, or its first word where the mark is implied."""
        return self.open_mark if self.open_mark is not None else self.start


def ascii_doubles(text: str, *, for_parser: bool = False) -> str:
    """The text with every two-character double mark (``''`` or ````` `` `````) written as one
    straight mark and a space on its outer side, so offsets stay the same: ``''Yes,'' he said``
    reads ``" Yes," he said``, marks shaped as opening and closing ones. Pairs with letters on
    both sides are left alone. ``for_parser``: the space on the inner side instead (``"Yes, "
    he said``), for spaCy, which reads the two spaces in ``," he said`` as a word of their own
    and parses the sentence around it wrongly."""
    if "''" not in text and "``" not in text:
        return text
    opening, closing = ('" ', ' "') if for_parser else (' "', '" ')

    def one(match: re.Match) -> str:
        i = match.start()
        before = text[i - 1] if i > 0 else " "
        after = text[i + 2] if i + 2 < len(text) else " "
        if (
            match.group() == "``"
            or (before.isspace() or before in "([{—–-/:")
            and not after.isspace()
        ):
            return opening  # the mark sits next to the quoted words
        if not before.isspace():
            return closing
        return match.group()

    return ASCII_DOUBLE.sub(one, text)


def paragraphs(text: str) -> list[Paragraph]:
    result, pos = [], 0
    for line in text.split("\n"):
        start, end = pos, pos + len(line)
        pos = end + 1
        stripped = line.strip()
        if not stripped:
            continue
        para = Paragraph(index=len(result), start=start, end=end)
        if LINK_LINE.match(line):
            glued = GLUED.search(line, LINK_LINE.match(line).end())
            para.skip_to = start + glued.start() if glued else end
        elif BOILERPLATE.match(line) or (len(stripped) < 40 and not _sentence_like(stripped)):
            para.skip_to = end
        result.append(para)
    return result


def _sentence_like(line: str) -> bool:
    return bool(re.search(r"[.!?:”\"’]$", line)) or len(line.split()) > 6


def _shape(text: str, i: int, lo: int, hi: int) -> tuple[bool, bool]:
    """(could open, could close) judged by the characters around position ``i``."""
    prev = text[i - 1] if i > lo else " "
    nxt = text[i + 1] if i + 1 < hi else " "
    could_open = not nxt.isspace() and nxt not in ",.;:!?)"
    could_close = not prev.isspace() or nxt in ",.;:!?)" or i + 1 >= hi
    return could_open, could_close


def _nests(text: str, marks: list[int], n: int, open_at: int, lo: int, hi: int) -> bool:
    """The opening mark at ``marks[n]``, inside an open quote in the same kind of marks,
    starts a quote within it: the two marks after it both close ('“... wearing “Settle For
    Jones” shirts… ouch.”', '"... shouted "Allah hu Akbar!" as he ..."')."""
    later = marks[n + 1 : n + 3]
    if len(later) < 2:
        return False
    if text[marks[n]] == '"':
        return text[open_at] == '"' and all(
            text[j] == '"' and _shape(text, j, lo, hi) == (False, True) for j in later
        )
    return text[open_at] in DOUBLE_OPEN and all(text[j] in DOUBLE_CLOSE for j in later)


def _tail(text: str, i: int, hi: int) -> bool:
    return bool(TAIL_RE.match(text[i + 1 : hi]))


def double_segments(text: str, para: Paragraph, continuing: bool) -> tuple[list[Segment], bool]:
    """Pair the double quotation marks of one paragraph.

    ``continuing``: the previous paragraph left a quote open (news convention: a quote over
    several paragraphs opens a mark in each and closes only in the last). Returns the segments
    and whether this paragraph leaves a quote open for the next.
    """
    lo, hi = para.body_start, para.end
    marks = [i for i in range(lo, hi) if text[i] in DOUBLES]
    if not marks or len(marks) > MAX_MARKS:
        return [], False  # no quote, or a run of marks that is not prose
    leading = text[lo:hi].lstrip()
    starts_with_mark = bool(leading) and leading[0] in DOUBLES
    first_text = hi - len(leading)

    segments: list[Segment] = []
    anomalies = 0
    open_at: int | None = None
    nested = 0  # quotes within the open quote, in the same curly marks
    for n, i in enumerate(marks):
        could_open, could_close = _shape(text, i, lo, hi)
        ch = text[i]
        is_last = n == len(marks) - 1
        forced_close = is_last and _tail(text, i, hi)
        if open_at is None:
            closer_only = (ch in DOUBLE_CLOSE or ch == '"') and could_close and not could_open
            if forced_close and not segments and not starts_with_mark:
                # '...agreements," Pompeo said.' with the opening mark lost.
                segments.append(Segment(first_text, i, para.index, None, i, flags={"implied"}))
                anomalies += 0 if continuing else 1
            elif closer_only and not segments and (continuing or forced_close):
                segments.append(Segment(first_text, i, para.index, None, i, flags={"implied"}))
            elif forced_close and segments:
                anomalies += 1  # a closing mark with no opening one: the passage was mangled
                segments.append(Segment(segments[-1].end, i, para.index, None, i, flags={"stray"}))
            else:
                if ch in DOUBLE_CLOSE and not could_open:
                    anomalies += 1
                open_at = i
        else:
            opens = ch in DOUBLE_OPEN and could_open and not could_close and not forced_close
            shaped = ch == '"' and could_open and not could_close and not forced_close
            if (opens or shaped) and _nests(text, marks, n, open_at, lo, hi):
                nested += 1  # '“People wearing “Settle For Hillary” shirts… ouch.”'
                continue
            if nested and ch not in DOUBLE_OPEN:
                nested -= 1
                continue
            if opens:
                anomalies += 1
            segments.append(Segment(open_at + 1, i, para.index, open_at, i))
            open_at = None
    leaves_open = False
    if open_at is not None:
        segments.append(Segment(open_at + 1, hi, para.index, open_at, None, flags={"unclosed"}))
        leaves_open = True

    last_mark = marks[-1]
    ends_attributed = _tail(text, last_mark, hi) or not text[last_mark + 1 : hi].strip()
    opens_paragraph = starts_with_mark or "implied" in segments[0].flags
    if len(segments) > 1 and opens_paragraph and ends_attributed and not leaves_open:
        gaps = [text[a.end + 1 : b.start - 1] for a, b in zip(segments, segments[1:], strict=False)]
        # '"A," Trump said. "B."' is two quotes; '"A." B. "C," he said.' with no speech verb
        # between the quotes is one passage whose marks translation misplaced.
        comma_closed = any(text[a.end] == "," or text[a.end - 1] == "," for a in segments[:-1])
        attributed_between = any(CUE_RE.search(gap) or NAMED_ACT.search(gap) for gap in gaps)
        if anomalies or not (comma_closed or attributed_between):
            # One speaker's passage with marks misplaced inside it (common in translations).
            first = segments[0]
            segments = [
                Segment(
                    first.start, last_mark, para.index, first.open_mark, last_mark, flags={"merged"}
                )
            ]
    for seg in segments:
        _trim(text, seg)
    return [s for s in segments if s.end > s.start], leaves_open


# British quoting: 'That's not good enough,' she said. The words may hold apostrophes
# (That's, Ministers' promises) but no other opening mark; they end in punctuation before the
# closing mark, which no apostrophe does.
SINGLE_QUOTED = re.compile(
    r"(?<![\w’'‘])['‘](?=[\w\"“])((?:[^\n'’‘]|(?<=\w)['’](?!\s['‘]?\w)|(?<=s)['’](?=\s))"
    r"{2,1500}?[.!?,;:—–-][\"”]?)['’](?![\w])"
)
SINGLE_SHORT = re.compile(r"(?<![\w’'])[‘'‹](?=\w)([^‘’'‹›\n]{1,120}?[\w.!?,])[’'›](?![\w])")


def single_segments(
    text: str, para: Paragraph, taken: list[Segment], *, british: bool = False
) -> list[Segment]:
    """Single quotation marks used for quoting. In an article written in the British style
    (``british``), whole quotes whose words may hold apostrophes; else, and besides, short ones
    (headlines, quotes within quotes)."""
    lo, hi = para.body_start, para.end
    found: list[Segment] = []
    for pattern in (SINGLE_QUOTED, SINGLE_SHORT) if british else (SINGLE_SHORT,):
        for m in pattern.finditer(text, lo, hi):
            start, end = m.start(1), m.end(1)
            if any(s.start <= start < s.end for s in taken):
                continue
            if any(s.start - 1 <= start and end <= s.end + 1 for s in found):
                continue
            # in the British style single marks are the quotation marks; elsewhere short
            # single-marked words are headline quotes or quotes within quotes
            flags = {"single"} if british else set()
            found.append(Segment(start, end, para.index, start - 1, end, not british, flags))
    return found


def british_style(text: str, paras: list[Paragraph], doubles: int) -> bool:
    """Whether the article quotes with single marks: more whole single-quoted passages in its
    body (its title aside) than double-quoted ones."""
    if "'" not in text and "‘" not in text:
        return False
    singles = sum(
        1 for para in paras[1:] for _ in SINGLE_QUOTED.finditer(text, para.body_start, para.end)
    )
    return singles > doubles


def _trim(text: str, seg: Segment) -> None:
    while seg.end > seg.start and text[seg.end - 1].isspace():
        seg.end -= 1
    while seg.start < seg.end and text[seg.start].isspace():
        seg.start += 1


def segments(text: str, paras: list[Paragraph]) -> list[Segment]:
    # doubles first, paragraph by paragraph: (paragraph, its segments, whether a quote from
    # the paragraph before goes on in it)
    doubled: list[tuple[Paragraph, list[Segment], bool]] = []
    continuing = False
    for para in paras:
        if para.body_start >= para.end:
            continuing = False
            continue
        segs, leaves_open = double_segments(text, para, continuing)
        doubled.append((para, segs, continuing))
        continuing = leaves_open
    body_doubles = sum(len(segs) for para, segs, _ in doubled if para.index > 0)
    british = british_style(text, paras, body_doubles)

    result: list[Segment] = []
    for para, doubles, continued in doubled:
        segs = doubles + single_segments(text, para, doubles, british=british)
        segs.sort(key=lambda s: s.start)
        if continued and segs and segs[0].open_mark is not None:
            leading = text[para.body_start : para.end].lstrip()
            if leading and leading[0] in DOUBLES:
                segs[0].flags.add("continued")
        result += segs
    return result
