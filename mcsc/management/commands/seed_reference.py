from django.core.management.base import BaseCommand

from mcsc.reference import reference_seed


class Command(BaseCommand):
    help = (
        "Load the regions, languages, communities and 38 municipalities shipped with the "
        "project. Rows that exist are kept as administrators edited them unless --update."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--update",
            action="store_true",
            help="Overwrite existing rows with the shipped values (discards admin corrections).",
        )

    def handle(self, *args, update: bool, **options):
        report = reference_seed(update=update)
        self.stdout.write(f"Reference data: {report}.")
