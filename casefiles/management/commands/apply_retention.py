from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.translation import gettext as _

from casefiles.privacy import retention_apply


class Command(BaseCommand):
    help = (
        "Anonymise the names, contacts and notes of the people of cases closed or dismissed "
        "more than MCSC_PERSONAL_DATA_RETENTION_DAYS days ago. Run daily. --dry-run lists "
        "them and changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Print which cases' people would be anonymised; change nothing.",
        )

    def handle(self, *args, **options):
        dry_run = options["dry_run"]
        report = retention_apply(now=timezone.now(), dry_run=dry_run)
        cutoff = timezone.localtime(report.cutoff).date().isoformat()
        for case in report.cases:
            roles = ", ".join(f"{role} {count}" for role, count in case.roles.items())
            self.stdout.write(
                _("%(reference)s (%(state)s on %(ended)s): %(people)d people (%(roles)s)")
                % {
                    "reference": case.reference,
                    "state": case.state,
                    "ended": timezone.localtime(case.ended_at).date().isoformat(),
                    "people": case.people,
                    "roles": roles,
                }
            )
        values = {
            "people": report.people,
            "cases": len(report.cases),
            "days": settings.MCSC_PERSONAL_DATA_RETENTION_DAYS,
            "cutoff": cutoff,
        }
        if dry_run:
            message = _(
                "Dry run: %(people)d people in %(cases)d cases would be anonymised (ended "
                "%(days)d days ago or more, on or before %(cutoff)s). Nothing was changed."
            )
        else:
            message = _(
                "Anonymised %(people)d people in %(cases)d cases (ended %(days)d days ago or "
                "more, on or before %(cutoff)s)."
            )
        self.stdout.write(self.style.SUCCESS(message % values))
