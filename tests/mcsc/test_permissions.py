import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from mcsc.models import Municipality, Role, RoleAssignment
from mcsc.permissions import (
    ROLE_ACTIONS,
    Action,
    municipalities_where,
    municipality_get_for_user,
    scope_filter,
    user_can,
)
from mcsc.services import role_assign
from tests.factories import UserFactory, municipality, user_with_role

pytestmark = pytest.mark.django_db

MUNICIPAL = [Role.SECRETARY, Role.LEADERSHIP, Role.MEMBER, Role.TRANSLATOR]
PLACES = ["prizren", "gjilan", "gracanica"]

# What each municipal role may do in its own municipality; nothing anywhere else.
EXPECTED_OWN = {
    Role.SECRETARY: {
        Action.CASE_OPEN,
        Action.CASE_VERIFY,
        Action.STATEMENT_DRAFT,
        Action.STATEMENT_PUBLISH,
        Action.VIEW_PERSONAL_DATA,
        Action.MEETING_MANAGE,
    },
    Role.LEADERSHIP: {
        Action.STATEMENT_APPROVE,
        Action.STATEMENT_REJECT,
        Action.CASE_REOPEN,
        Action.MINUTES_APPROVE,
        Action.VIEW_PERSONAL_DATA,
    },
    Role.MEMBER: set(),
    Role.TRANSLATOR: {Action.TRANSLATION_EDIT},
}
NEVER_FOR = {
    Role.SECRETARY: {Action.STATEMENT_APPROVE, Action.CASE_REOPEN, Action.MINUTES_APPROVE},
    Role.LEADERSHIP: {Action.CASE_OPEN, Action.STATEMENT_DRAFT, Action.STATEMENT_PUBLISH},
    Role.MEMBER: set(Action) - {Action.VIEW},
    Role.TRANSLATOR: set(Action) - {Action.VIEW, Action.TRANSLATION_EDIT},
}


def visible_slugs(user):
    return set(
        scope_filter(user, Municipality.objects.all(), via="pk").values_list("slug", flat=True)
    )


@pytest.mark.parametrize("role", MUNICIPAL)
@pytest.mark.parametrize("home", PLACES)
def test_municipal_roles_act_and_see_only_in_their_municipality(role, home):
    user = user_with_role(role, home)
    assert visible_slugs(user) == {home}
    for place in PLACES:
        target = municipality(place)
        for action in Action:
            allowed = user_can(user, action, target)
            if place != home:
                assert not allowed, (role, home, place, action)
            elif action in EXPECTED_OWN[role] or action == Action.VIEW:
                assert allowed, (role, home, action)
            elif action in NEVER_FOR[role]:
                assert not allowed, (role, home, action)


@pytest.mark.parametrize("role", MUNICIPAL)
def test_get_for_user_answers_404_outside_scope_and_403_for_a_missing_right(role):
    user = user_with_role(role, "prizren")
    assert municipality_get_for_user(user=user, code="20").slug == "prizren"
    with pytest.raises(Http404):
        municipality_get_for_user(user=user, code="04")  # Gjilan
    with pytest.raises(Http404):
        municipality_get_for_user(user=user, code="04", action=Action.CASE_OPEN)
    forbidden = next(iter(NEVER_FOR[role]))
    with pytest.raises(PermissionDenied):
        municipality_get_for_user(user=user, code="20", action=forbidden)


def test_secretary_of_prizren_cannot_reach_gjilan_through_any_helper():
    user = user_with_role(Role.SECRETARY, "prizren")
    gjilan = municipality("gjilan")
    assert not any(user_can(user, action, gjilan) for action in Action)
    assert not any(user_can(user, action, gjilan.pk) for action in Action)
    assert gjilan not in municipalities_where(user, Action.CASE_OPEN)
    assert list(municipalities_where(user, Action.CASE_OPEN)) == [municipality("prizren")]
    assert "gjilan" not in visible_slugs(user)


def test_monitor_of_all_municipalities_reads_everywhere_but_writes_nothing():
    monitor = user_with_role(Role.MONITOR)
    assert len(visible_slugs(monitor)) == 38
    for place in PLACES:
        assert user_can(monitor, Action.VIEW, municipality(place))
        assert user_can(monitor, Action.AUDIT_VIEW, municipality(place))
        writes = set(Action) - ROLE_ACTIONS[Role.MONITOR]
        assert not any(user_can(monitor, action, municipality(place)) for action in writes)
    assert not user_can(monitor, Action.VIEW_PERSONAL_DATA, municipality("prizren"))


def test_regional_monitor_sees_only_the_municipalities_of_the_region():
    monitor = user_with_role(Role.MONITOR, region_code="gjilan")
    visible = visible_slugs(monitor)
    assert "gjilan" in visible and "kamenica" in visible
    assert "prizren" not in visible and "gracanica" not in visible
    assert len(visible) == Municipality.objects.filter(region__code="gjilan").count() == 11
    with pytest.raises(Http404):
        municipality_get_for_user(user=monitor, code="20")


def test_a_user_with_roles_in_two_municipalities_has_each_role_only_where_assigned():
    user = user_with_role(Role.SECRETARY, "prizren")
    role_assign(user=user, role=Role.TRANSLATOR, municipality=municipality("gjilan"))
    assert visible_slugs(user) == {"prizren", "gjilan"}
    assert user_can(user, Action.CASE_OPEN, municipality("prizren"))
    assert not user_can(user, Action.CASE_OPEN, municipality("gjilan"))
    assert user_can(user, Action.TRANSLATION_EDIT, municipality("gjilan"))


def test_anonymous_inactive_and_roleless_users_see_nothing():
    inactive = user_with_role(Role.SECRETARY, "prizren", is_active=False)
    for user in [AnonymousUser(), UserFactory(), inactive]:
        assert visible_slugs(user) == set()
        assert not user_can(user, Action.VIEW, municipality("prizren"))


def test_role_assignment_shape_is_validated():
    user = UserFactory()
    with pytest.raises(ValidationError) as error:
        role_assign(user=user, role=Role.SECRETARY)
    assert "municipality" in error.value.message_dict
    with pytest.raises(ValidationError):
        role_assign(user=user, role=Role.MONITOR, municipality=municipality("prizren"))
    with pytest.raises(ValidationError):
        role_assign(
            user=user,
            role=Role.LEADERSHIP,
            municipality=municipality("prizren"),
            region=municipality("prizren").region,
        )
    role_assign(user=user, role=Role.LEADERSHIP, municipality=municipality("prizren"))
    role_assign(user=user, role=Role.LEADERSHIP, municipality=municipality("prizren"))
    assert RoleAssignment.objects.filter(user=user).count() == 1


def test_the_database_refuses_a_municipal_role_without_municipality():
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        RoleAssignment.objects.create(user=UserFactory(), role=Role.SECRETARY)
