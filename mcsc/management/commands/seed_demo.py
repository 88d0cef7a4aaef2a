from django.core.management.base import BaseCommand
from django.utils.module_loading import import_string

from mcsc.demo import demo_password, demo_users_seed

# Each later part of the product adds its demo data here; every step is idempotent.
DEMO_STEPS: list[str] = ["casefiles.demo.demo_cases_seed"]


class Command(BaseCommand):
    help = "Create demo users (and demo data) for Prizren, Graçanicë/Gračanica and Gjilan/Gnjilane."

    def handle(self, *args, **options):
        logins = demo_users_seed()
        for step in DEMO_STEPS:
            import_string(step)()
        width = max(len(login.username) for login in logins)
        self.stdout.write("")
        self.stdout.write(f"Demo logins (password for all: {demo_password()})")
        for login in logins:
            self.stdout.write(f"  {login.username.ljust(width)}  {login.description}")
        self.stdout.write("")
