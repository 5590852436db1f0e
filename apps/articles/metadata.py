"""What an article's own text says about it: byline, dateline, publication line.

``metadata_from_text`` reads the first lines of a text for

- a byline: ``By Elena Marsh, Reuters`` (author, outlet), ``By Jan Novak and Eva Svobodova``;
- a dateline: ``PRAGUE, 4 April 2024 —`` or ``Vienna, 14 March 2024`` (place, date),
  ``MOSCOW (Reuters) -`` (place, outlet);
- a publication line: ``10 May, 2019 12:08``, ``Published: May 10, 2019`` (date).

Several may share a line (``By Elena Marsh, Reuters / Vienna, 14 March 2024``). Nothing is
guessed: what the text does not state plainly stays blank. ``article_ingest`` uses it only for
the fields no manifest or page metadata filled.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from nameparser import HumanName

HEAD_LINES = 12  # bylines and datelines stand in the first lines
MAX_LINE = 200

_MONTHS = {
    name: n
    for n, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = "(?i:" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + ")"
_DATE = (
    rf"(?:(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<m1>{_MONTH})\.?,?\s+(?P<y1>\d{{4}})"
    rf"|(?P<m2>{_MONTH})\.?\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y2>\d{{4}})"
    r"|(?P<y3>\d{4})-(?P<mo3>\d{2})-(?P<d3>\d{2}))"
)
_TIME = r"(?:,?\s*(?:at\s+)?\d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\.?)?(?:\s*[A-Z]{2,4})?)?"
_DASH = r"\s*[—–-]+"

# 'Published: 10 May, 2019 12:08', '10 May, 2019 12:08', 'Updated May 10, 2019'
PUBLICATION = re.compile(
    rf"^(?:(?:published|updated|posted|first published)(?:\s+on)?:?\s*)?{_DATE}{_TIME}\s*$",
    re.IGNORECASE,
)
# 'PRAGUE, 4 April 2024 —', 'Vienna, 14 March 2024', 'KYIV, Ukraine, May 3, 2024 (AP) —'
DATELINE_DATED = re.compile(
    rf"^(?P<place>[A-Z][A-Za-z'’.-]+(?:\s+[A-Z][A-Za-z'’.-]+){{0,3}})"
    rf"(?:,\s*[A-Z][A-Za-z.]+(?:\s+[A-Z][A-Za-z.]+)?)?,\s*{_DATE}{_TIME}"
    rf"(?:\s*\((?P<outlet>[A-Z][\w&. ]{{1,40}})\))?(?:{_DASH}|\s*$)",
)
# 'MOSCOW (Reuters) -', 'WASHINGTON —': a place in capitals before a dash, no date.
DATELINE_PLAIN = re.compile(
    r"^(?P<place>[A-Z][A-Z'’.-]+(?:\s+[A-Z][A-Z'’.-]+){0,3})"
    r"(?:,\s*[A-Z][A-Za-z.]+)?\s*(?:\((?P<outlet>[A-Z][\w&. ]{1,40})\))?\s*[—–-]+\s+\S"
)
BYLINE = re.compile(r"^by\s+(?P<rest>.+)$", re.IGNORECASE)
_SEGMENTS = re.compile(r"\s+[/|•·]\s+")
# Words that make a byline's second part a job, not an outlet: 'By Ann Lee, Staff Writer'.
_JOB_WORDS = {
    "writer",
    "correspondent",
    "reporter",
    "editor",
    "staff",
    "contributor",
    "columnist",
    "in",
    "and",
}


# Words that make a name an outlet's: 'Associated Press', 'Daily Courier', 'Sky News'.
_OUTLET_WORDS = {
    "press",
    "news",
    "times",
    "post",
    "agency",
    "network",
    "journal",
    "herald",
    "tribune",
    "guardian",
    "telegraph",
    "daily",
    "today",
    "wire",
    "media",
    "tv",
    "radio",
    "service",
    "bureau",
    "courier",
    "gazette",
    "chronicle",
    "reuters",
    "afp",
    "ap",
    "bbc",
    "cnn",
    "tass",
    "ria",
}


@dataclass(frozen=True)
class TextMetadata:
    author: str = ""
    outlet: str = ""
    place: str = ""
    published: dt.date | None = None


def parse_date(match: re.Match) -> dt.date | None:
    """The date a ``_DATE`` match names, or None when it is no calendar date (31 February)."""
    g = match.groupdict()
    try:
        if g.get("y1"):
            return dt.date(int(g["y1"]), _MONTHS[g["m1"].lower()], int(g["d1"]))
        if g.get("y2"):
            return dt.date(int(g["y2"]), _MONTHS[g["m2"].lower()], int(g["d2"]))
        if g.get("y3"):
            return dt.date(int(g["y3"]), int(g["mo3"]), int(g["d3"]))
    except ValueError:
        return None
    return None


def _is_person_name(text: str) -> bool:
    words = text.split()
    if {w.lower().strip(".") for w in words} & (_JOB_WORDS | _OUTLET_WORDS):
        return False
    if not 2 <= len(words) <= 4 or not all(w[:1].isupper() for w in words if len(w) > 3):
        return False
    name = HumanName(text)
    return bool(name.first and name.last) and not any(c.isdigit() for c in text)


def _authors(text: str) -> str:
    """'Elena Marsh' or 'Jan Novak and Eva Svobodova', or '' when these are not names."""
    names = [n.strip() for n in re.split(r"\s+and\s+|\s*&\s*|,\s*", text) if n.strip()]
    return " and ".join(names) if names and all(_is_person_name(n) for n in names) else ""


def _outlet(text: str) -> str:
    text = text.strip(" .,;")
    words = text.split()
    if not 1 <= len(words) <= 5 or not words[0][:1].isupper():
        return ""
    if {w.lower() for w in words} & _JOB_WORDS or re.search(_DATE, text, re.IGNORECASE):
        return ""
    return text


def _byline(segment: str) -> tuple[str, str]:
    """(author, outlet) of 'By Elena Marsh, Reuters'; ('', '') if it is not a byline."""
    match = BYLINE.match(segment)
    if not match:
        return "", ""
    rest = match.group("rest").strip()
    # The outlet is the last comma-separated part, when the rest before it are names.
    if "," in rest:
        head, tail = rest.rsplit(",", 1)
        author = _authors(head)
        if author and not _authors(tail):  # 'Reuters', or a job ('Staff Writer')
            return author, _outlet(tail)
    return _authors(rest), ""


def metadata_from_text(text: str) -> TextMetadata:
    """Author, outlet, place and date stated in the first lines of ``text`` (blank if not)."""
    found: dict = {}
    lines = [line.strip() for line in text.splitlines() if line.strip()][:HEAD_LINES]
    for line in lines:
        for segment in _SEGMENTS.split(line[:MAX_LINE]):
            segment = segment.strip()
            author, outlet = _byline(segment)
            if author:
                found.setdefault("author", author)
                if outlet:
                    found.setdefault("outlet", outlet)
                continue
            if match := PUBLICATION.match(segment):
                if date := parse_date(match):
                    found.setdefault("published", date)
                continue
            if match := DATELINE_DATED.match(segment):
                found.setdefault("place", match.group("place").title())
                if date := parse_date(match):
                    found.setdefault("published", date)
                if match.group("outlet"):
                    found.setdefault("outlet", match.group("outlet").strip())
                continue
            if match := DATELINE_PLAIN.match(segment):
                place = match.group("place")
                if len(place) > 2:  # not 'US —' in a headline
                    found.setdefault("place", place.title())
                    if match.group("outlet"):
                        found.setdefault("outlet", match.group("outlet").strip())
    return TextMetadata(**found)
