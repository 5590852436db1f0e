from django.core.management.base import BaseCommand

from apps.sources.models import Source
from apps.sources.tasks import poll_source_defer


class Command(BaseCommand):
    help = "Queue a poll of every due source now (all active sources with --all)."

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="Every active source, due or not.")

    def handle(self, *args, all, **options):
        sources = Source.objects.filter(active=True) if all else Source.objects.due()
        ids = list(sources.values_list("pk", flat=True))
        queued = sum(poll_source_defer(pk) for pk in ids)
        self.stdout.write(
            f"queued {queued} poll(s) of {len(ids)} source(s); a worker runs them "
            "(manage.py worker)"
        )
