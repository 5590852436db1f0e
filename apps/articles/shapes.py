"""Synthetic articles of a given size and shape, for the limits benchmark and its tests.

Three shapes stress different parts of extraction and storing: ``paragraph`` (one paragraph
with no line break, quotes all through it), ``short_paragraphs`` (a line every ~25 bytes:
200,000 of them in 5 MB) and ``quotes`` (a quote every ~260 bytes: 20,000 in 5 MB). The words
are made up here; no corpus text is used.
"""

from __future__ import annotations

import itertools

SHAPES = ("paragraph", "short_paragraphs", "quotes")
SPEAKERS = ("Sergey Lavrov", "Mike Pompeo", "Maria Zakharova", "Anna Keller", "Tom Brandt")
TOPICS = ("sanctions", "the election", "the treaty", "trade", "the pipeline", "Syria")


def _quote_sentences():
    for n in itertools.count():
        name = SPEAKERS[n % len(SPEAKERS)]
        topic = TOPICS[n % len(TOPICS)]
        yield (
            f"“We have said many times that {topic} is not a matter for talks number {n},” "
            f"{name} said on Friday."
        )
        yield f"The meeting on {topic} lasted {n % 9 + 2} hours and ended without a statement."


def _short_lines():
    for n in itertools.count():
        if n % 10 == 9:
            yield f"“Not now,” {SPEAKERS[n % len(SPEAKERS)].split()[-1]} said."
        else:
            yield f"Item {n} was noted."


def _dense_quotes():
    for n in itertools.count():
        name = SPEAKERS[n % len(SPEAKERS)]
        topic = TOPICS[n % len(TOPICS)]
        yield (
            f"“We will not accept any deal on {topic} that leaves our partners behind, and we "
            f"will say so at meeting {n},” {name} told reporters in the capital. Officials "
            f"gave no further details about the talks."
        )


def article(shape: str, size: int) -> str:
    """A text of about ``size`` bytes (UTF-8) in the given shape, with a title line."""
    if shape not in SHAPES:
        raise ValueError(f"unknown shape {shape!r} (one of {', '.join(SHAPES)})")
    title = f"Synthetic {shape} article of {size} bytes"
    source, sep = {
        "paragraph": (_quote_sentences(), " "),
        "short_paragraphs": (_short_lines(), "\n"),
        "quotes": (_dense_quotes(), "\n\n"),
    }[shape]
    parts, used = [], len(title.encode()) + 2
    for piece in source:
        cost = len(piece.encode()) + len(sep)
        if used + cost > size:
            break
        parts.append(piece)
        used += cost
    return title + "\n\n" + sep.join(parts) + "\n"
