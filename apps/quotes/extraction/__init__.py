"""The quote extraction and attribution engine: plain Python and spaCy, no Django.

from apps.quotes.extraction import extract
for quote in extract(text, speakers=[SpeakerHint("Sergey Lavrov", aliases=("Sergei Lavrov",))]):
    print(quote.kind, quote.speaker, text[quote.start:quote.end])
"""

from apps.quotes.extraction.engine import extract, extract_many
from apps.quotes.extraction.types import KINDS, ExtractedQuote, OverBudget, SpeakerHint

__all__ = ["KINDS", "ExtractedQuote", "OverBudget", "SpeakerHint", "extract", "extract_many"]
