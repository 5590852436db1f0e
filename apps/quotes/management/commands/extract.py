"""python manage.py extract PATH... [--format jsonl|text]: quotes from any text, no database.

Files are read exactly as ``manage.py ingest`` reads them (``apps.articles.sources``): a BOM is
dropped, UTF-16 is decoded, ``.html`` pages and ``.json``/``.jsonl`` records are parsed by their
suffix, and empty, binary or oversized inputs are refused with the reason.
"""

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from apps.articles.sources import iter_items
from apps.quotes.extraction import extract


class Command(BaseCommand):
    help = "Extract quotes and their speakers from text files (no database needed)."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument(
            "paths",
            nargs="+",
            help="Files (.txt, .html, .htm, .json, .jsonl), folders, or - for standard input.",
        )
        parser.add_argument("--format", choices=["jsonl", "text"], default="jsonl")

    def handle(self, *args, paths, format, **options):
        failed = total = 0
        for item in iter_items(paths, stdin=sys.stdin.buffer):
            total += 1
            if item.error:
                self.stderr.write(f"{item.label}: {item.error}")
                failed += 1
                continue
            label = item.label
            quotes = extract(item.article.text)
            if format == "jsonl":
                for quote in quotes:
                    self.stdout.write(json.dumps(quote.as_json(label), ensure_ascii=False))
            else:
                self.stdout.write(self.style.MIGRATE_HEADING(f"{label}: {len(quotes)} quotes"))
                for quote in quotes:
                    speaker = quote.speaker or "(no speaker)"
                    via = f' via "{quote.speaker_mention}"' if quote.speaker_mention else ""
                    cue = f" {quote.cue}" if quote.cue else ""
                    self.stdout.write(
                        f"  [{quote.start}:{quote.end}] {quote.kind:8} {speaker}{via}{cue}"
                        f" ({quote.confidence:.2f})\n      {quote.text}"
                    )
        if failed:
            raise CommandError(f"{failed} of {total} inputs could not be read")
