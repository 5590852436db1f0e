from django.core.management.base import BaseCommand, CommandError

from apps.sources.fetcher import FetchError
from apps.sources.pages import PageError
from apps.sources.services import source_track


class Command(BaseCommand):
    help = (
        "Track a feed (RSS/Atom), a news sitemap or a single page: its kind is read off what the "
        "URL serves. Workers poll it every --every minutes."
    )

    def add_arguments(self, parser):
        parser.add_argument("url")
        parser.add_argument("--outlet", default="", help="The outlet's name (default: the site's).")
        parser.add_argument("--every", type=int, default=60, help="Minutes between polls (60).")

    def handle(self, *args, url, outlet, every, **options):
        if every < 1:
            raise CommandError("--every must be at least 1 (minute)")
        try:
            source = source_track(url=url, outlet=outlet, every=every)
        except (FetchError, PageError) as exc:
            raise CommandError(f"cannot track {url}: {exc}") from None
        self.stdout.write(
            f"tracking {source.url} ({source.get_kind_display()}), polled every {source.every} min"
        )
