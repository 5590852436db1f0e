"""What the extraction engine takes and returns. Plain Python: no Django here."""

from dataclasses import asdict, dataclass, field

KINDS = ("direct", "partial", "indirect")


@dataclass(frozen=True)
class SpeakerHint:
    """A speaker the caller already knows (from the database): name variants and role."""

    name: str
    aliases: tuple[str, ...] = ()
    role: str = ""
    organisation: str = ""
    kind: str = "person"  # "person" or "organisation"


@dataclass
class ExtractedQuote:
    start: int
    end: int
    text: str
    kind: str  # one of KINDS
    speaker: str | None = None  # canonical name
    speaker_mention: str | None = None  # surface text that attributes the quote ("he", "Lavrov")
    speaker_start: int | None = None
    speaker_end: int | None = None
    cue: str | None = None
    confidence: float = 0.0
    paragraph: int = 0  # 0-based index of the paragraph (line) the quote starts in
    # What the article says about a speaker the caller did not know (for creating it).
    speaker_kind: str | None = None  # "person" or "organisation"
    speaker_role: str = ""
    extra: dict = field(default_factory=dict, repr=False)

    def as_json(self, source: str) -> dict:
        """The ``extract --format jsonl`` record: exactly these keys, in this order."""
        return {
            "source": source,
            "quote": self.text,
            "start": self.start,
            "end": self.end,
            "kind": self.kind,
            "speaker": self.speaker,
            "speaker_mention": self.speaker_mention,
            "speaker_start": self.speaker_start,
            "speaker_end": self.speaker_end,
            "cue": self.cue,
            "confidence": round(self.confidence, 3),
        }

    def as_dict(self) -> dict:
        return asdict(self)


class OverBudget(Exception):
    """The engine ran out of the caller's time budget for one article (``budget_seconds``)."""
