from django.core.management.base import BaseCommand, CommandError

from casefiles.audit import audit_verify


class Command(BaseCommand):
    help = "Walk the audit trail's hash chain; exit non-zero naming the first bad event."

    def handle(self, *args, **options):
        report = audit_verify()
        if not report.ok:
            raise CommandError(f"Audit trail is broken: {report.problem}.")
        self.stdout.write(
            self.style.SUCCESS(
                f"Audit trail intact: {report.count} events, head hash {report.head_hash}."
            )
        )
