"""python manage.py train_attribution [--polnear PATH] [--limit N] [--out FILE]

Trains the attribution model on the PolNeAR training split, deterministically: the chooser among
candidate speakers (``candidates.py``), then the decision (``decision.py``) on the choices made
for each article by the chooser booster that never saw it; and writes both as JSON (numbers and
LightGBM's text format; no corpus text). Parses are cached under ``.data/parses``. Needs no
database.
"""

import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from apps.quotes.extraction import decision, evaluation, training


def polnear_default() -> Path:
    return Path(settings.BASE_DIR).parent / "shared" / "corpora" / "polnear" / "train"


def collect_polnear(folder: Path, limit: int | None, stderr) -> list[training.ArticleRows]:
    """The rules' attributions of every PolNeAR article, with features and labels."""
    from apps.quotes.extraction.pipeline import load_pipeline

    if not ((folder / "text").is_dir() and (folder / "attributions").is_dir()):
        raise CommandError(f"no PolNeAR split (text/ and attributions/) under {folder}")
    articles = evaluation.load_polnear(folder, limit)
    parser = training.CachedParser(load_pipeline(), Path(settings.DATA_DIR) / "parses")
    stderr.write(f"{len(articles)} articles: extracting (parses cached in {parser.folder}) ...")
    return training.collect(articles, parser)


class Command(BaseCommand):
    help = "Train the attribution model on PolNeAR's training split and write it as JSON."
    requires_system_checks = []
    requires_migrations_checks = False

    def add_arguments(self, parser):
        parser.add_argument("--polnear", type=Path, default=polnear_default())
        parser.add_argument("--limit", type=int, help="train on the first N articles only")
        parser.add_argument("--out", type=Path, default=decision.MODEL_PATH)

    def handle(self, *args, polnear, limit, out, **options):
        began = time.perf_counter()
        items = collect_polnear(polnear, limit, self.stderr)
        rows = sum(len(item.rows) for item in items)
        if not training.enough(items, 5):
            raise CommandError(f"{len(items)} articles, {rows} attributions: too few to train on")
        pairs = sum(len(item.pair_rows) for item in items)
        self.stderr.write(f"{pairs} candidate pairs: training the chooser ...")
        chooser, items = training.with_chooser(items)
        rows = sum(len(item.rows) for item in items)
        self.stderr.write(f"{rows} attributions: training the decision ...")
        fitted = training.fit(items, chooser=chooser)
        right = sum(sum(item.labels) for item in items)
        decision.write_model(
            out,
            fitted.members,
            fitted.threshold,
            fitted.restore,
            fitted.restorable,
            about={
                "trained_on": f"PolNeAR train: {fitted.articles} articles, {rows} attributions "
                f"({right} right by evaluate's scorer)",
                "seed": training.SEED,
                "rounds": training.ROUNDS,
                "candidate_pairs": pairs,
            },
            chooser=fitted.chooser,
            chooser_margins=fitted.chooser_margins,
        )
        decision.load_model.cache_clear()
        decision.read_model(out.read_text(encoding="utf-8"))  # it loads back
        self.stdout.write(
            f"wrote {out} ({out.stat().st_size // 1024} KB): {fitted.articles} articles, "
            f"{rows} attributions, withdraw below {fitted.threshold:.2f}, give back from "
            f"{fitted.restore:.2f}, "
            f"in {time.perf_counter() - began:.0f} s"
        )
