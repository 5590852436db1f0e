"""Score the extractor against the seed gold and PolNeAR, beside textacy's baseline, and time it.

    python manage.py evaluate [--polnear PATH] [--limit N] [--no-baseline] [--no-speed]

Needs no database.
"""

import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from apps.quotes.extraction import evaluation


class Command(BaseCommand):
    help = (
        "Quote found and speaker right (precision, recall, F1) on the seed gold and on PolNeAR, "
        "for our extractor and textacy's direct_quotations, then words per second against the "
        "bare spaCy pipeline."
    )
    requires_system_checks = []
    requires_migrations_checks = False

    def add_arguments(self, parser):
        parser.add_argument(
            "--polnear",
            type=Path,
            default=Path(settings.BASE_DIR).parent / "shared" / "corpora" / "polnear" / "train",
            help="a PolNeAR split folder with text/ and attributions/ (skipped where absent)",
        )
        parser.add_argument("--limit", type=int, help="score only the first N PolNeAR articles")
        parser.add_argument("--no-baseline", action="store_true", help="skip textacy")
        parser.add_argument("--no-speed", action="store_true", help="skip the speed benchmark")
        parser.add_argument(
            "--speed-articles",
            type=int,
            default=100,
            help="PolNeAR articles (besides the seeds) timed against the bare spaCy pipeline; "
            "0 for all that are scored (default 100)",
        )
        parser.add_argument(
            "--processes",
            type=int,
            default=2,
            help="processes for scoring our extractor and for textacy's parse (default 2)",
        )

    def handle(self, *args, **options):
        from apps.quotes.extraction import extract

        began = time.perf_counter()
        root = Path(settings.BASE_DIR)
        gold_sets = [
            (
                "seeds",
                evaluation.load_seed_gold(
                    root / "tests" / "quotes" / "seed_gold.jsonl", root / "seeds"
                ),
            )
        ]
        layouts = root / "tests" / "layouts"
        for layout, articles in evaluation.load_layout_gold(
            layouts / "gold.jsonl", layouts / "texts"
        ).items():
            gold_sets.append((f"layout: {layout}", articles))
        polnear = options["polnear"]
        if (polnear / "text").is_dir() and (polnear / "attributions").is_dir():
            gold_sets.append(("polnear", evaluation.load_polnear(polnear, options["limit"])))
        else:
            self.stdout.write(f"PolNeAR skipped: no text/ and attributions/ under {polnear}")

        rows = []
        speed_texts = []
        nlp = None
        for name, articles in gold_sets:
            texts = [article.text for article in articles]
            words = sum(article.words for article in articles)
            self.stderr.write(f"{name}: {len(articles)} articles, {words} words: extracting ...")
            results, errors = evaluation.run_extractor(
                texts, extract, processes=options["processes"]
            )
            ours = evaluation.score(articles, results)
            ours.errors = errors
            rows.append((name, "ours", ours))
            sample = options["speed_articles"] if name == "polnear" else 0
            speed_texts += texts[:sample] if sample > 0 else texts
            if not options["no_baseline"]:
                if nlp is None:
                    nlp = evaluation.load_spacy(settings.SPACY_MODELS)
                self.stderr.write(f"{name}: textacy ...")
                baseline = evaluation.textacy_quotes(texts, nlp, n_process=options["processes"])
                rows.append((name, "textacy", evaluation.score(articles, baseline)))

        self.stdout.write("")
        self.stdout.write(evaluation.format_table(rows))
        self.stdout.write(
            "quote P: share of extracted direct/partial quotes matching a gold quote. speaker P: "
            "share of those given a speaker\nthat match one with the right speaker. speaker R: "
            "over gold quotes that have a speaker. claims: reported speech with no quote marks\n"
            "(seed gold lines of kind indirect; PolNeAR Contents with no quote mark), found with "
            "the right speaker;\nclaim P counts an extracted claim right when it matches a gold "
            "claim or Content with the right speaker.\nscare attributed: seed scare quotes given "
            "a speaker."
        )

        if not options["no_speed"]:
            if nlp is None:
                nlp = evaluation.load_spacy(settings.SPACY_MODELS)
            self.stderr.write(f"speed: extract() and bare spaCy over {len(speed_texts)} texts ...")
            ours_seconds, bare_seconds = evaluation.time_against_spacy(speed_texts, extract, nlp)
            words = sum(len(text.split()) for text in speed_texts)
            pipeline = f"{nlp.meta['lang']}_{nlp.meta['name']}"
            self.stdout.write("")
            self.stdout.write(f"speed over {len(speed_texts)} texts, {words} words, one process:")
            self.stdout.write(
                f"  extract()                                  "
                f"{evaluation.words_per_second(speed_texts, ours_seconds):>8,.0f} words/s"
            )
            self.stdout.write(
                f"  bare spaCy (nlp.pipe, all of {pipeline}) "
                f"{evaluation.words_per_second(speed_texts, bare_seconds):>8,.0f} words/s"
            )
            self.stdout.write(
                f"  extract time / bare spaCy time = {ours_seconds / bare_seconds:.2f} "
                "(target: at most 1.25)"
            )
        self.stdout.write(f"\nevaluated in {time.perf_counter() - began:.0f} s")
