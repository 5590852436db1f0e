"""Safe HTML from stored text and quote spans: quotes marked in place, word diffs, a timeline."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from datetime import date

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

PARAGRAPH_BREAK = re.compile(r"\n\s*\n|\n")


def paragraph_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """(start, end) of each non-blank paragraph of ``text[start:end]``, in ``text`` coordinates."""
    end = len(text) if end is None else end
    spans = []
    pos = start
    for match in PARAGRAPH_BREAK.finditer(text, start, end):
        if text[pos : match.start()].strip():
            spans.append((pos, match.start()))
        pos = match.end()
    if text[pos:end].strip():
        spans.append((pos, end))
    return spans


def non_overlapping(quotes: Iterable) -> list:
    """Quotes sorted by start, keeping those nested inside another (a partial quote inside a
    reported claim) and dropping only those that cross an earlier quote's end."""
    kept, open_ends = [], []
    for quote in sorted(quotes, key=lambda q: (q.start, -q.end)):
        while open_ends and open_ends[-1] <= quote.start:
            open_ends.pop()
        if open_ends and quote.end > open_ends[-1]:
            continue  # crosses the end of the quote it starts in
        kept.append(quote)
        open_ends.append(quote.end)
    return kept


def _mark_open(quote, first: bool) -> str:
    speaker = quote.speaker.name if quote.speaker_id and quote.speaker else "Unknown speaker"
    label = f"{quote.get_kind_display()} quote, {speaker}"
    attrs = f' id="q{quote.pk}"' if first else ""
    return (
        f'<mark{attrs} class="quote quote--{escape(quote.kind)}" '
        f'data-speaker="{escape(speaker)}" title="{escape(label)}">'
    )


def _mark_close(quote, last: bool) -> str:
    by = (
        format_html(' <span class="quote-by">— {}</span>', quote.speaker.name)
        if last and quote.speaker_id
        else ""
    )
    return f"{by}</mark>"


def marked_paragraphs(text: str, quotes: Sequence, start: int = 0, end: int | None = None):
    """``text[start:end]`` as escaped ``<p>`` paragraphs with each quote wrapped in a ``<mark>``.

    A quote crossing a paragraph break is split into one mark per paragraph (the first carries
    ``id="q<id>"``); a quote inside another gets its own mark inside the outer one.
    """
    end = len(text) if end is None else end
    marks = non_overlapping(q for q in quotes if q.end > start and q.start < end)
    html = []
    for p_start, p_end in paragraph_spans(text, start, end):
        spans = [
            (max(q.start, p_start), min(q.end, p_end), q)
            for q in marks
            if max(q.start, p_start) < min(q.end, p_end)
        ]
        # Opening tags outer first, closing tags inner first: the marks nest properly.
        events = [(a, 1, -b, q) for a, b, q in spans] + [(b, 0, -a, q) for a, b, q in spans]
        events.sort(key=lambda e: (e[0], e[1], e[2]))
        parts, pos = [], p_start
        for at, opening, _, quote in events:
            parts.append(escape(text[pos:at]))
            pos = at
            if opening:
                parts.append(_mark_open(quote, first=at == quote.start or at == start))
            else:
                parts.append(_mark_close(quote, last=at == quote.end))
        parts.append(escape(text[pos:p_end]))
        html.append("<p>" + "".join(str(p) for p in parts) + "</p>")
    return mark_safe("\n".join(html))  # noqa: S308 - every piece of text above is escaped


_TRAILING = ",;:"


def trim_trailing(text: str, kind: str = "") -> str:
    """``text`` without the punctuation the article put inside the closing mark ('Prices will
    fall,'; a partial's 'by the end of 2019.'): kept in the article, not in the quote shown."""
    trimmed = text.rstrip().rstrip(_TRAILING + (".…" if kind == "partial" else "")).rstrip()
    return trimmed or text


def quote_with_parts(quote, parts: Iterable) -> SafeString:
    """The quote's text, escaped, with the quotes inside it (a claim's quoted words) in
    ``<mark class="quote-part">``, and its trailing comma trimmed."""
    shown = trim_trailing(quote.text, quote.kind)
    spans = sorted(
        (max(p.start - quote.start, 0), min(p.end - quote.start, len(shown)))
        for p in parts
        if p.start >= quote.start and p.end <= quote.end and p.pk != quote.pk
    )
    out, pos = [], 0
    for a, b in spans:
        while b > a and shown[b - 1] in _TRAILING:  # the comma stays, outside the mark
            b -= 1
        if a < pos or a >= b:
            continue  # nested inside (or crossing) the part just marked
        out.append(escape(shown[pos:a]))
        out.append(format_html('<mark class="quote-part">{}</mark>', shown[a:b]))
        pos = b
    out.append(escape(shown[pos:]))
    return mark_safe("".join(str(p) for p in out))  # noqa: S308 - pieces are escaped


def paragraph_around(text: str, start: int, end: int) -> tuple[int, int]:
    """The span of the paragraph(s) holding ``text[start:end]``."""
    p_start = text.rfind("\n", 0, start) + 1
    p_end = text.find("\n", end)
    return p_start, len(text) if p_end == -1 else p_end


WORD = re.compile(r"\S+")


def word_diff(base: str, other: str) -> SafeString:
    """``other`` with the words it adds to ``base`` in <ins> and those it drops in <del>."""
    a, b = WORD.findall(base), WORD.findall(other)
    out = []
    # Compare words without case or surrounding punctuation: "Washington." equals "Washington".
    matcher = difflib.SequenceMatcher(
        a=[_word_key(w) for w in a], b=[_word_key(w) for w in b], autojunk=False
    )
    opcodes = matcher.get_opcodes()
    for n, (op, i1, i2, j1, j2) in enumerate(opcodes):
        if op == "delete" and n in (0, len(opcodes) - 1) and len(opcodes) > 1:
            # A shorter (partial) version: the words it leaves out at either end are elided.
            out.append(
                format_html(
                    '<del class="elided" title="not in this version: {}">…</del>',
                    " ".join(a[i1:i2]),
                )
            )
            continue
        if op == "equal":
            out.append(escape(" ".join(b[j1:j2])))
            continue
        if op in ("delete", "replace"):
            out.append(
                format_html('<del title="dropped by this version">{}</del>', " ".join(a[i1:i2]))
            )
        if op in ("insert", "replace"):
            out.append(
                format_html('<ins title="added by this version">{}</ins>', " ".join(b[j1:j2]))
            )
    return mark_safe(" ".join(str(p) for p in out))  # noqa: S308 - pieces are escaped


def _word_key(word: str) -> str:
    return word.strip(".,;:!?\"'“”‘’()[]—–-").lower() or word


def timeline_svg(counts: Sequence[tuple[date, int]], *, width=640, height=140) -> SafeString:
    """A bar chart of quotes per month, drawn on the server as accessible inline SVG."""
    if not counts:
        return mark_safe("")
    months = _month_range(counts[0][0], counts[-1][0])
    by_month = dict(counts)
    peak = max(by_month.values()) or 1
    pad_left, pad_bottom, pad_top = 28, 22, 8
    plot_w, plot_h = width - pad_left - 4, height - pad_bottom - pad_top
    step = plot_w / len(months)
    bar_w = max(step * 0.8, 1)
    rows = [
        f'<svg class="timeline" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="timeline-title" preserveAspectRatio="none">',
        f'<title id="timeline-title">Quotes per month, {escape(_label(months[0]))} to '
        f"{escape(_label(months[-1]))}; busiest month {peak} quotes</title>",
        f'<line x1="{pad_left}" y1="{pad_top + plot_h}" x2="{width - 4}" '
        f'y2="{pad_top + plot_h}" class="axis"/>',
        f'<text x="{pad_left - 4}" y="{pad_top + 8}" text-anchor="end" class="tick">{peak}</text>',
        f'<text x="{pad_left - 4}" y="{pad_top + plot_h}" text-anchor="end" class="tick">0</text>',
    ]
    label_every = max(1, len(months) // 6)
    for i, month in enumerate(months):
        count = by_month.get(month, 0)
        h = plot_h * count / peak
        x = pad_left + i * step + (step - bar_w) / 2
        y = pad_top + plot_h - h
        rows.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{h:.1f}">'
            f"<title>{escape(_label(month))}: {count}</title></rect>"
        )
        if i % label_every == 0:
            rows.append(
                f'<text x="{x + bar_w / 2:.1f}" y="{height - 6}" text-anchor="middle" '
                f'class="tick">{escape(_label(month))}</text>'
            )
    rows.append("</svg>")
    return mark_safe("".join(rows))  # noqa: S308 - numbers and escaped labels only


def _month_range(first: date, last: date) -> list[date]:
    months, current = [], first.replace(day=1)
    while current <= last and len(months) < 240:
        months.append(current)
        current = date(current.year + current.month // 12, current.month % 12 + 1, 1)
    return months


def _label(month: date) -> str:
    return month.strftime("%b %Y")


def fuzzy_highlight(text: str, q: str, cutoff: float = 0.75) -> SafeString:
    """``text`` escaped, with the words that closely resemble a word of ``q`` in <mark>."""
    wanted = [w.lower() for w in re.findall(r"\w+", q) if len(w) > 2]
    out, pos = [], 0
    for match in re.finditer(r"\w+", text):
        word = match.group().lower()
        if wanted and any(difflib.SequenceMatcher(a=word, b=w).ratio() >= cutoff for w in wanted):
            out.append(escape(text[pos : match.start()]))
            out.append(format_html("<mark>{}</mark>", match.group()))
            pos = match.end()
    out.append(escape(text[pos:]))
    return mark_safe("".join(str(p) for p in out))  # noqa: S308 - pieces are escaped
