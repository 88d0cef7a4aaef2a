import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from mcsc.models import RoleAssignment
from mcsc.permissions import Action, user_can
from tests.factories import municipality

pytestmark = pytest.mark.django_db


def test_seed_demo_creates_the_documented_logins_once(capsys, settings):
    settings.DEMO_PASSWORD = "demo-pass-for-test"
    call_command("seed_demo")
    first = capsys.readouterr().out
    users, roles = get_user_model().objects.count(), RoleAssignment.objects.count()
    call_command("seed_demo")
    assert (get_user_model().objects.count(), RoleAssignment.objects.count()) == (users, roles)
    for name in [
        "secretary.prizren",
        "leadership.gracanica",
        "translator.gjilan",
        "member.prizren",
        "monitor.osce",
        "monitor.gjilan-region",
        "admin",
    ]:
        assert name in first
        assert get_user_model().objects.get(username=name).check_password("demo-pass-for-test")
    assert "demo-pass-for-test" in first
    secretary = get_user_model().objects.get(username="secretary.prizren")
    assert user_can(secretary, Action.CASE_OPEN, municipality("prizren"))
    assert not user_can(secretary, Action.VIEW, municipality("gjilan"))
    regional = get_user_model().objects.get(username="monitor.gjilan-region")
    assert user_can(regional, Action.VIEW, municipality("kamenica"))
    assert not user_can(regional, Action.VIEW, municipality("prizren"))
