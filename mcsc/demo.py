"""Demo users for the three demo municipalities, monitors and an administrator."""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from mcsc.models import Municipality, Region, Role
from mcsc.services import role_assign

DEMO_MUNICIPALITIES = ["prizren", "gracanica", "gjilan"]
DEMO_MUNICIPAL_ROLES = [Role.SECRETARY, Role.LEADERSHIP, Role.TRANSLATOR, Role.MEMBER]

# Plausible names so that pages, minutes and audit trails read like real ones.
_NAMES = {
    ("secretary", "prizren"): ("Arta", "Krasniqi"),
    ("leadership", "prizren"): ("Mehmet", "Yilmaz"),
    ("translator", "prizren"): ("Selma", "Hodžić"),
    ("member", "prizren"): ("Driton", "Berisha"),
    ("secretary", "gracanica"): ("Milica", "Jovanović"),
    ("leadership", "gracanica"): ("Nenad", "Stojanović"),
    ("translator", "gracanica"): ("Jelena", "Petrović"),
    ("member", "gracanica"): ("Besnik", "Gashi"),
    ("secretary", "gjilan"): ("Blerta", "Hoxha"),
    ("leadership", "gjilan"): ("Agim", "Rexhepi"),
    ("translator", "gjilan"): ("Ayşe", "Demir"),
    ("member", "gjilan"): ("Dragan", "Ilić"),
}


@dataclass(frozen=True)
class DemoLogin:
    username: str
    description: str


def demo_password() -> str:
    return settings.DEMO_PASSWORD


def _user(username: str, first: str, last: str, **flags):
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "first_name": first,
            "last_name": last,
            "email": f"{username}@demo.invalid",
            **flags,
        },
    )
    if created:
        user.set_password(demo_password())
        user.save(update_fields=["password"])
    return user


@transaction.atomic
def demo_users_seed() -> list[DemoLogin]:
    logins: list[DemoLogin] = []
    for slug in DEMO_MUNICIPALITIES:
        municipality = Municipality.objects.get(slug=slug)
        for role in DEMO_MUNICIPAL_ROLES:
            first, last = _NAMES[(role.value, slug)]
            user = _user(f"{role.value}.{slug}", first, last)
            role_assign(user=user, role=role, municipality=municipality)
            logins.append(DemoLogin(user.username, f"{role.label}, {municipality}"))
    osce = _user("monitor.osce", "Hannah", "Schmidt")
    role_assign(user=osce, role=Role.MONITOR)
    logins.append(DemoLogin(osce.username, "Monitor, all municipalities"))
    gjilan_region = Region.objects.get(code="gjilan")
    regional = _user("monitor.gjilan-region", "Luca", "Moretti")
    role_assign(user=regional, role=Role.MONITOR, region=gjilan_region)
    logins.append(DemoLogin(regional.username, f"Monitor, region {gjilan_region}"))
    admin = _user("admin", "System", "Administrator", is_staff=True, is_superuser=True)
    role_assign(user=admin, role=Role.ADMINISTRATOR)
    logins.append(DemoLogin(admin.username, "Administrator (also the Django admin)"))
    return logins
