"""``manage.py auth_unlock [--username U] [--ip A]``: lift a sign-in lockout before its
cool-off ends, recorded in the audit trail (django-axes' own ``axes_reset*`` commands work
too, but are not recorded)."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts.services import lockout_lift


class Command(BaseCommand):
    help = "Lift the sign-in lockout of an account, an address, or an account at an address."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="")
        parser.add_argument("--ip", default="", help="the client address")

    def handle(self, *args, username, ip, **options):
        try:
            removed = lockout_lift(actor=None, username=username, ip_address=ip)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(f"Removed {removed} failed sign-in counter(s).")
