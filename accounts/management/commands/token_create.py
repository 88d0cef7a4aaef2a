"""``manage.py token_create <username> --name ... --days ...``: a new API token.

Prints the key alone on standard output (``TOKEN=$(manage.py token_create ...)``) and what
it is on standard error. The key is not stored and cannot be shown again."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts.services import token_create


class Command(BaseCommand):
    help = "Create an API token for a user; prints the key once."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="command line", help="what the token is for")
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help=f"lifetime in days (default {settings.MCSC_API_TOKEN_DAYS})",
        )

    def handle(self, *args, username, name, days, **options):
        User = get_user_model()
        try:
            user = User.objects.get_by_natural_key(username)
        except User.DoesNotExist:
            raise CommandError(f"No user {username!r}.") from None
        try:
            token, key = token_create(user=user, name=name, days=days, via="command")
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(key)
        self.stderr.write(
            f"Token {token.name!r} ({token.prefix}…) for {username}, "
            f"valid until {token.expires_at:%Y-%m-%d %H:%M %Z}."
        )
