from django.core.management.base import BaseCommand

from apps.quotes.services import topics_reassign


class Command(BaseCommand):
    help = (
        "Reassign topics to quotes after the taxonomy (topics and their keywords) was edited. "
        "Quotes an editor reviewed keep their topics unless --all is given."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--all", action="store_true", help="Also quotes an editor confirmed or corrected."
        )

    def handle(self, *args, **options):
        count = topics_reassign(include_reviewed=options["all"])
        self.stdout.write(f"reassigned topics of {count} quotes")
