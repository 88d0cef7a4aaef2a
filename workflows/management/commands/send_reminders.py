from django.core.management.base import BaseCommand

from workflows.reminders import reminders_send


class Command(BaseCommand):
    help = (
        "Mail the people responsible for overdue case steps (once per step and day) and copy "
        "the municipal leadership when a step is late by a second period. Run daily."
    )

    def handle(self, *args, **options):
        report = reminders_send()
        self.stdout.write(
            f"Reminders sent: {report.sent} (escalated to leadership: {report.escalated}); "
            f"already sent today: {report.skipped}."
        )
