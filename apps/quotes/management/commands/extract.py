"""python manage.py extract PATH... [--format jsonl|text]: quotes from any text, no database."""

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from apps.quotes.extraction import extract

MAX_BYTES = 20 * 1024 * 1024


class Command(BaseCommand):
    help = "Extract quotes and their speakers from text files (no database needed)."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="Text files, or - for standard input.")
        parser.add_argument("--format", choices=["jsonl", "text"], default="jsonl")

    def handle(self, *args, paths, format, **options):
        failed = 0
        for path in paths:
            try:
                text = read_text(path)
            except (OSError, ValueError) as error:
                self.stderr.write(f"{path}: {error}")
                failed += 1
                continue
            quotes = extract(text)
            if format == "jsonl":
                for quote in quotes:
                    self.stdout.write(json.dumps(quote.as_json(path), ensure_ascii=False))
            else:
                self.stdout.write(self.style.MIGRATE_HEADING(f"{path}: {len(quotes)} quotes"))
                for quote in quotes:
                    speaker = quote.speaker or "(no speaker)"
                    via = f' via "{quote.speaker_mention}"' if quote.speaker_mention else ""
                    cue = f" {quote.cue}" if quote.cue else ""
                    self.stdout.write(
                        f"  [{quote.start}:{quote.end}] {quote.kind:8} {speaker}{via}{cue}"
                        f" ({quote.confidence:.2f})\n      {quote.text}"
                    )
        if failed:
            raise CommandError(f"{failed} of {len(paths)} inputs could not be read")


def read_text(path: str) -> str:
    """The file's text as UTF-8, refusing binary, undecodable and oversized input."""
    if path == "-":
        data = sys.stdin.buffer.read(MAX_BYTES + 1)
    else:
        file = Path(path)
        if not file.is_file():
            raise ValueError("no such file")
        with file.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ValueError(f"larger than {MAX_BYTES // (1024 * 1024)} MB")
    if b"\x00" in data:
        raise ValueError("binary data, not text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ValueError(f"not UTF-8 text ({error.reason} at byte {error.start})") from None
