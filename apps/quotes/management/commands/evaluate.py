"""Score the extractor against the seed gold and PolNeAR, beside textacy's baseline, and time it.

    python manage.py evaluate [--polnear PATH] [--limit N] [--no-baseline] [--no-speed]
                              [--folds K] [--without STAGE ...]

On PolNeAR, whose articles the committed model was trained on, the engine is scored with its
rules alone ("rules") and with the model by K-fold cross-validation by article ("model CV": the
model scoring an article never saw it). Needs no database.
"""

import functools
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from apps.quotes.extraction import evaluation, training
from apps.quotes.extraction.engine import STAGES
from apps.quotes.management.commands.train_attribution import collect_polnear


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
            "--folds",
            type=int,
            default=5,
            help="cross-validation folds for the model on PolNeAR (default 5; 0 to skip)",
        )
        parser.add_argument(
            "--repeats",
            type=int,
            default=3,
            help="draws of the cross-validation folds (other seeds), to show how much the "
            "calibration bands and the errors caught move from draw to draw (default 3)",
        )
        parser.add_argument(
            "--without",
            action="append",
            default=[],
            choices=list(STAGES),
            metavar="STAGE",
            help="also score with this rule switched off, to see what it adds (repeatable): "
            + ", ".join(STAGES),
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
        polnear_items = []
        speed_texts = []
        nlp = None
        for name, articles in gold_sets:
            texts = [article.text for article in articles]
            words = sum(article.words for article in articles)
            self.stderr.write(f"{name}: {len(articles)} articles, {words} words: extracting ...")
            if name == "polnear":
                # the model was trained on PolNeAR: the rules alone here, the model by
                # cross-validation below; parses cached under .data/parses
                items = collect_polnear(polnear, options["limit"], self.stderr)
                parser = items[0].parser if items else None
                ours = evaluation.score(articles, [training.rules_only(item) for item in items])
                rows.append((name, "rules", ours))
                # the rules' errors were studied on the even-numbered articles only: the odd
                # ones are a half no rule was written from
                for half, label in ((0, "polnear even"), (1, "polnear odd")):
                    scored = [training.rules_only(item) for item in items[half::2]]
                    rows.append((label, "rules", evaluation.score(articles[half::2], scored)))
                polnear_items = items
            else:
                items, parser = [], None
                rows.append((name, "ours", self.run(articles, (), options["processes"])))
            for stage in options["without"]:
                self.stderr.write(f"{name}: without {stage} ...")
                off = ("model", stage) if items else (stage,)
                rows.append(
                    (name, f"-{stage}", self.run(articles, off, options["processes"], parser))
                )
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
            "a speaker. polnear even/odd: the rules on the even- and odd-numbered articles (rules\n"
            "were written from the errors of the even ones only: the odd half is held out)."
        )

        from apps.quotes.topic_scoring import score_seed_topics  # issue 17: topics

        self.stdout.write("")
        self.stdout.write(score_seed_topics(root).line())
        if options["without"]:
            self.stdout.write("\nwhat each rule adds (speaker F1 with it, and without it):")
            for name, system, s in rows:
                if system.startswith("-"):
                    base = next(b for n, sy, b in rows if n == name and sy in {"ours", "rules"})
                    self.stdout.write(
                        f"  {name:<8} {system[1:]:<20} {base.speaker[2]:.3f} vs {s.speaker[2]:.3f}"
                        f" ({base.speaker[2] - s.speaker[2]:+.3f}); quotes given a speaker "
                        f"{base.predicted_attributed} vs {s.predicted_attributed}"
                    )

        if options["folds"] and polnear_items:
            self.cross_validation(polnear_items, options["folds"], max(options["repeats"], 1))

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

    def run(self, articles, without, processes, parser=None):
        from apps.quotes.extraction import extract
        from apps.quotes.extraction.engine import extract_many

        texts = [article.text for article in articles]
        if parser is not None:  # in this process, with the cached parses
            results, errors = list(extract_many(texts, without=without, parser=parser)), 0
        else:
            run = functools.partial(extract, without=without) if without else extract
            results, errors = evaluation.run_extractor(texts, run, processes=processes)
        ours = evaluation.score(articles, results)
        ours.errors = errors
        return ours

    def cross_validation(self, items, folds: int, repeats: int = 1) -> None:
        if not training.enough(items, folds):
            self.stdout.write(
                f"\ncross-validation skipped: {len(items)} PolNeAR articles are too few for "
                f"{folds} folds"
            )
            return
        draws = []
        for seed in range(repeats):
            self.stderr.write(f"cross-validation: {folds} folds by article, draw {seed + 1} ...")
            shuffled = training.shuffled(items, seed)
            _, chosen = training.with_chooser(shuffled, folds)
            draws.append(training.cross_validate(chosen, folds, rules_items=shuffled))
        cv = draws[0]
        out = self.stdout.write
        out(
            f"\nPolNeAR, {folds}-fold cross-validation by article ({len(items)} articles): "
            "speaker P / R / F1 per fold"
        )
        for n, (ours, rules) in enumerate(zip(cv.folds, cv.rules, strict=True), 1):
            p, r, f = ours.speaker
            rp, rr, rf = rules.speaker
            out(
                f"  fold {n}: model {p:.3f} / {r:.3f} / {f:.3f}   rules {rp:.3f} / {rr:.3f} / "
                f"{rf:.3f}   (withdraw below {cv.thresholds[n - 1][0]:.2f}, give back from "
                f"{cv.thresholds[n - 1][1]:.2f})"
            )
        for label, scores in (("model", cv.folds), ("rules", cv.rules)):
            figures = [training.mean_spread([s.speaker[k] for s in scores]) for k in range(3)]
            out(
                f"  {label} mean (spread): "
                + "  ".join(
                    f"{what} {m:.3f} (±{sd:.3f})"
                    for what, (m, sd) in zip(("P", "R", "F1"), figures, strict=True)
                )
            )
        if repeats > 1:
            means = [
                [training.mean_spread([s.speaker[k] for s in d.folds])[0] for k in range(3)]
                for d in draws
            ]
            out(
                f"  model over {repeats} draws of the folds, mean of each draw's folds (spread "
                "between draws): "
                + "  ".join(
                    "{} {:.3f} (±{:.3f})".format(what, *training.mean_spread([m[k] for m in means]))
                    for k, what in enumerate(("P", "R", "F1"))
                )
            )
        for label, what in (
            ("model", "judged"),
            ("rules", "judged_rules"),
            ("model's probability over every attribution it scored", "scored"),
        ):
            judged = [getattr(d, what) for d in draws]
            if what == "scored":
                out(f"\ncalibration of the {label} (held out; kept, withdrawn and withheld):")
            else:
                out(f"\ncalibration of the {label}'s confidence (held-out quotes given a speaker):")
            if repeats > 1:
                out(
                    f"  (pooled over {repeats} draws of the folds; quotes: per draw; ± 1 s.e.: "
                    "the share's sampling error in one draw; ± draws: the gap's spread between "
                    "draws)"
                )
            out(
                f"  {'band':<9} {'quotes':>6} {'mean conf':>9} {'share right':>11} {'gap':>6} "
                f"{'± 1 s.e.':>8} {'± draws':>8}"
            )
            for band, count, mean, share, spread in training.calibration_spread(judged):
                error = (share * (1 - share) / count) ** 0.5  # the share's sampling error
                out(
                    f"  {band:<9} {count:>6.0f} {mean:>9.3f} {share:>11.3f} {share - mean:>+6.3f} "
                    f"{error:>8.3f} {spread:>8.3f}"
                )
            caught = [
                training.mean_spread([training.errors_caught(j, share) for j in judged])
                for share in (0.1, 0.2)
            ]
            out(
                f"  errors among the least confident 10%: {caught[0][0]:.0%} "
                f"(±{caught[0][1]:.0%}), 20%: {caught[1][0]:.0%} (±{caught[1][1]:.0%}) "
                f"(of {sum(not r for _, r in judged[0])} wrong in {len(judged[0])})"
            )
