from django.core.management.base import BaseCommand, CommandError

from apps.core.queue import run_worker


class Command(BaseCommand):
    help = (
        "Run queued jobs (polls, fetches, ingests) until stopped with Ctrl-C. Start one on every "
        "machine that shares DATABASE_URL; each job runs once however many workers there are."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--until-idle",
            action="store_true",
            help="Exit when no job is left to run now (tests, batch runs).",
        )
        parser.add_argument(
            "--concurrency", type=int, default=1, help="Jobs run at once by this worker."
        )
        parser.add_argument(
            "--queue",
            action="append",
            dest="queues",
            help="Only run jobs of this queue (repeatable): sources, fetch, ingest, default.",
        )

        parser.add_argument(
            "--no-preload",
            action="store_true",
            help="Load the spaCy pipeline at the first article, not at start.",
        )

    def handle(self, *args, until_idle, concurrency, queues, no_preload, **options):
        if concurrency < 1:
            raise CommandError("--concurrency must be at least 1")
        if not no_preload:
            from apps.quotes.extraction.pipeline import load_pipeline

            load_pipeline()
        run_worker(until_idle=until_idle, concurrency=concurrency, queues=queues)
