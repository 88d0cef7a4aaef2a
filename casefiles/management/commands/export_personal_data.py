import json
import os
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone
from django.utils.translation import gettext as _

from casefiles.privacy import personal_data_export


class Command(BaseCommand):
    help = (
        "Administrators only: export as JSON everything stored about one person recorded in "
        "cases (victim, witness or reporter), found by record id or by exact name and "
        "contact. The export is recorded in the audit trail (which records and cases, never "
        "the data)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--as",
            dest="username",
            required=True,
            help="Your user name: an administrator (the audit trail names you).",
        )
        parser.add_argument("--person", type=int, help="The person's record id (CasePerson).")
        parser.add_argument("--name", default="", help="Exact name, with --contact.")
        parser.add_argument("--contact", default="", help="Exact contact, with --name.")
        parser.add_argument(
            "--output", help="Write the JSON to this file (created, mode 600), not stdout."
        )

    def handle(self, *args, **options):
        user = get_user_model().objects.filter(username=options["username"], is_active=True).first()
        if user is None:
            raise CommandError(_("There is no active user with this user name."))
        output = self._open(options["output"]) if options["output"] else None
        try:
            export = personal_data_export(
                user=user,
                person_id=options["person"],
                name=options["name"],
                contact=options["contact"],
                now=timezone.now(),
            )
        except (PermissionDenied, ValidationError) as error:
            if output is not None:
                output.close()
                Path(options["output"]).unlink()
            if isinstance(error, PermissionDenied):
                raise CommandError(_("Only an administrator may export personal data.")) from None
            raise CommandError(" ".join(error.messages)) from None
        text = json.dumps(export, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
        if output is None:
            self.stdout.write(text)
            return
        with output:
            output.write(text + "\n")
        self.stderr.write(
            _("Exported %(count)d records to %(path)s.")
            % {"count": len(export["people"]), "path": options["output"]}
        )

    def _open(self, name: str):
        """A new file only the owner may read: personal data must not land anywhere else."""
        try:
            descriptor = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            raise CommandError(_("%(path)s exists already.") % {"path": name}) from None
        return os.fdopen(descriptor, "w", encoding="utf-8")
