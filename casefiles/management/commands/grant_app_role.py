from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from casefiles.audit.privileges import AppRoleError, app_role_grant


class Command(BaseCommand):
    help = (
        "PostgreSQL: grant the web application's database role exactly what it needs on every "
        "table and sequence (no UPDATE, DELETE or TRUNCATE of audit events). Run it as the "
        "owner role, after every migrate. Idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "role",
            nargs="?",
            default=None,
            help="The application's role (default: the setting MCSC_DB_APP_ROLE).",
        )

    def handle(self, *args, **options):
        role = options["role"] or settings.MCSC_DB_APP_ROLE
        if not role:
            raise CommandError(_("Name the application's role, or set MCSC_DB_APP_ROLE."))
        try:
            report = app_role_grant(role=role)
        except AppRoleError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Role “%(role)s” may now use %(tables)d tables and %(sequences)d sequences "
                    "in schema %(schema)s; it may read and append audit events but never "
                    "change or remove them."
                )
                % {
                    "role": report.role,
                    "tables": report.tables,
                    "sequences": report.sequences,
                    "schema": report.schema,
                }
            )
        )
