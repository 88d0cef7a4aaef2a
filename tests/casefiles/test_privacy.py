"""Personal data of victims, witnesses and reporters: anonymised once a case has been closed
or dismissed for the retention period (never while open or after reopening), and exported
for the person on request by an administrator only. Both are in the audit trail with
counts and ids, never the data itself."""

import datetime as dt
import io
import json
import os
import stat

import pytest
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from casefiles import services
from casefiles.audit.verification import audit_verify
from casefiles.errors import TransitionConflict
from casefiles.models import AuditAction, AuditEvent, Case, CasePerson, CaseState
from casefiles.privacy import (
    ANONYMISED,
    personal_data_anonymise,
    personal_data_export,
    retention_apply,
)
from casefiles.reads import case_people_for_user
from config.settings.env import env_int
from mcsc.models import Role
from tests.casefiles.builders import case_in, open_case, team
from tests.factories import UserFactory, user_with_role

pytestmark = pytest.mark.django_db

DAYS = 730  # the default retention period
SECRETS = ("Ahmet", "Kaya", "+383", "Vesna", "vesna@example.org", "Saw the car")


def people_of(reference: str, name: str) -> list[dict]:
    return [
        {"role": "victim", "name": f"{name} Kaya", "contact": "+383 44 000 000"},
        {"role": "reporter", "name": "Vesna Petrović", "contact": "vesna@example.org"},
        {"role": "witness", "name": "Ahmet Krasniqi", "notes": f"Saw the car ({reference})."},
    ]


@pytest.fixture
def cases():
    """A closed, a dismissed, an open and a reopened case, three people each."""
    t = team("prizren")
    built = {
        "closed": case_in(t, CaseState.CLOSED, people=people_of("closed", "Ahmet")),
        "dismissed": case_in(t, CaseState.DISMISSED, people=people_of("dismissed", "Ahmet")),
        "open": case_in(t, CaseState.FOLLOW_UP, people=people_of("open", "Ahmet")),
        "reopened": case_in(t, CaseState.CLOSED, people=people_of("reopened", "Ahmet")),
    }
    services.case_reopen(user=t.leadership, case=built["reopened"], reason="New facts.")
    return t, {key: Case.objects.get(pk=case.pk) for key, case in built.items()}


def snapshot(case: Case) -> list[tuple]:
    return list(
        CasePerson.objects.filter(case=case)
        .order_by("pk")
        .values_list("role", "name", "contact", "notes", "anonymised_at")
    )


def later(days: float) -> dt.datetime:
    return timezone.now() + dt.timedelta(days=days)


def retention_events():
    return AuditEvent.objects.filter(action=AuditAction.RETENTION_APPLY).order_by("sequence")


# --- Retention ------------------------------------------------------------------------------


def test_a_dry_run_names_the_cases_past_the_period_and_changes_nothing(cases):
    _, by = cases
    before = {key: snapshot(case) for key, case in by.items()}
    events = AuditEvent.objects.count()

    report = retention_apply(now=later(DAYS + 1), dry_run=True)

    assert report.dry_run
    assert [c.reference for c in report.cases] == [
        by["closed"].reference,
        by["dismissed"].reference,
    ]
    assert [(c.people, c.roles) for c in report.cases] == [
        (3, {"reporter": 1, "victim": 1, "witness": 1})
    ] * 2
    assert report.people == 6
    assert {key: snapshot(case) for key, case in by.items()} == before
    assert AuditEvent.objects.count() == events


def test_people_of_cases_ended_past_the_period_are_anonymised_and_nothing_else(cases):
    _, by = cases
    now = later(DAYS + 1)
    untouched = {key: snapshot(by[key]) for key in ("open", "reopened")}

    report = retention_apply(now=now, dry_run=False)

    assert not report.dry_run and report.people == 6
    for key in ("closed", "dismissed"):
        assert snapshot(by[key]) == [
            ("victim", ANONYMISED, ANONYMISED, "", now),
            ("reporter", ANONYMISED, ANONYMISED, "", now),
            ("witness", ANONYMISED, "", ANONYMISED, now),
        ]
        # The case itself, its community and state (what statistics count) stay.
        case = Case.objects.get(pk=by[key].pk)
        assert (case.state, case.affected_community_id) == (
            by[key].state,
            by[key].affected_community_id,
        )
    assert {key: snapshot(by[key]) for key in untouched} == untouched

    events = list(retention_events())
    assert [e.case_id for e in events] == [by["closed"].pk, by["dismissed"].pk]
    for event in events:
        assert event.actor_id is None and event.actor_name == "system"
        assert event.payload["people"] == 3
        assert event.payload["roles"] == {"reporter": 1, "victim": 1, "witness": 1}
        assert event.payload["retention_days"] == DAYS
        text = json.dumps([event.payload, event.changes])
        assert not [secret for secret in SECRETS if secret in text]
    assert audit_verify().ok

    # Run again: nothing left to do, nothing written.
    again = retention_apply(now=now, dry_run=False)
    assert again.cases == [] and retention_events().count() == 2


def test_the_period_counts_from_closing_to_the_day(cases, settings):
    _, by = cases
    closed_at = by["closed"].closed_at
    settings.MCSC_PERSONAL_DATA_RETENTION_DAYS = 10

    just_before = closed_at + dt.timedelta(days=10) - dt.timedelta(seconds=1)
    assert by["closed"].reference not in {
        c.reference for c in retention_apply(now=just_before, dry_run=False).cases
    }
    assert snapshot(by["closed"])[0][1] != ANONYMISED

    report = retention_apply(now=closed_at + dt.timedelta(days=10), dry_run=False)
    assert by["closed"].reference in {c.reference for c in report.cases}
    assert snapshot(by["closed"])[0][1] == ANONYMISED


def test_open_and_reopened_cases_are_never_anonymised(cases):
    t, by = cases
    for key in ("open", "reopened"):
        with pytest.raises(TransitionConflict, match="closed or dismissed"):
            personal_data_anonymise(case=by[key], reason="retention", now=later(DAYS * 3))
    assert retention_apply(now=later(DAYS * 10), dry_run=False).people == 6  # the other two
    assert all(row[1] != ANONYMISED for row in snapshot(by["open"]) + snapshot(by["reopened"]))

    # A case closed again starts its period again from the new closing.
    services.case_close(
        user=t.secretary,
        case=by["reopened"],
        closing_summary="Closed again.",
        safety_before=2,
        safety_after=4,
    )
    reclosed = Case.objects.get(pk=by["reopened"].pk)
    assert (
        retention_apply(now=reclosed.closed_at + dt.timedelta(days=DAYS - 1), dry_run=True).cases
        == []
    )
    assert (
        retention_apply(now=reclosed.closed_at + dt.timedelta(days=DAYS), dry_run=True).people == 3
    )


def test_a_case_reopened_after_it_was_listed_is_left_alone(cases):
    """``retention_apply`` reads the due cases, then anonymises each under the case's lock,
    checking again that it is still ended before the cutoff."""
    t, by = cases
    cutoff = later(DAYS + 1) - dt.timedelta(days=DAYS)
    services.case_reopen(user=t.leadership, case=by["closed"], reason="Reopened meanwhile.")
    with pytest.raises(TransitionConflict):
        personal_data_anonymise(
            case=by["closed"], reason="retention", now=later(DAYS + 1), ended_before=cutoff
        )
    with pytest.raises(TransitionConflict, match="less than the retention period"):
        personal_data_anonymise(
            case=by["dismissed"],
            reason="retention",
            now=timezone.now(),
            ended_before=by["dismissed"].dismissed_at - dt.timedelta(seconds=1),
        )
    with pytest.raises(ValidationError):
        personal_data_anonymise(case=by["dismissed"], reason=" ", now=timezone.now())
    assert not retention_events().exists()


def test_anonymised_people_read_as_anonymised_on_the_case_page_and_in_the_api(
    cases, client, api_client
):
    t, by = cases
    now = later(DAYS + 1)
    retention_apply(now=now, dry_run=False)
    client.force_login(t.secretary)
    html = client.get(reverse("casefiles:detail", args=[by["closed"].reference])).content.decode()
    assert "anonymised on" in html and "after the retention period" in html
    assert not [secret for secret in SECRETS if secret in html]
    assert case_people_for_user(user=t.secretary, case=by["closed"], via="page")[0].name == (
        ANONYMISED
    )

    api_client.force_authenticate(t.secretary)
    body = api_client.get(f"/api/v1/cases/{by['closed'].reference}/").json()
    assert {p["anonymised_at"] is not None for p in body["people"]} == {True}
    open_body = api_client.get(f"/api/v1/cases/{by['open'].reference}/").json()
    assert {p["anonymised_at"] for p in open_body["people"]} == {None}


def test_the_command_prints_what_it_would_do_then_does_it(cases):
    _, by = cases
    with freeze_time(later(DAYS + 1)):
        out = io.StringIO()
        call_command("apply_retention", "--dry-run", stdout=out)
        dry = out.getvalue()
        assert by["closed"].reference in dry and by["dismissed"].reference in dry
        assert by["open"].reference not in dry and by["reopened"].reference not in dry
        assert "6 people in 2 cases would be anonymised" in dry and "Nothing was changed" in dry
        assert "victim 1" in dry
        assert not [secret for secret in SECRETS if secret in dry]
        assert not retention_events().exists()

        out = io.StringIO()
        call_command("apply_retention", stdout=out)
        assert "Anonymised 6 people in 2 cases" in out.getvalue()
        assert retention_events().count() == 2

        out = io.StringIO()
        call_command("apply_retention", stdout=out)
        assert "Anonymised 0 people in 0 cases" in out.getvalue()


def test_the_retention_period_comes_from_the_environment_as_whole_days(monkeypatch, settings):
    assert settings.MCSC_PERSONAL_DATA_RETENTION_DAYS == DAYS  # the default
    name = "MCSC_PERSONAL_DATA_RETENTION_DAYS"
    monkeypatch.setenv(name, " 365 ")
    assert env_int(name, DAYS, minimum=1) == 365
    monkeypatch.setenv(name, "")
    assert env_int(name, DAYS, minimum=1) == DAYS
    for bad in ("0", "-30", "two years", "1.5"):
        monkeypatch.setenv(name, bad)
        with pytest.raises(ImproperlyConfigured, match=name):
            env_int(name, DAYS, minimum=1)


# --- Export on request ----------------------------------------------------------------------


@pytest.fixture
def admin_user():
    return user_with_role(Role.ADMINISTRATOR)


def export_events():
    return AuditEvent.objects.filter(action=AuditAction.PERSONAL_DATA_EXPORT)


def test_an_administrator_exports_one_record_with_its_case_and_history(admin_user):
    t = team("prizren")
    case = open_case(t, people=people_of("x", "Ahmet"))
    victim = case.people.get(role="victim")
    case_people_for_user(user=t.secretary, case=case, via="page")  # a read of their data
    now = timezone.now()

    export = personal_data_export(user=admin_user, person_id=victim.pk, now=now)

    assert export["matched_by"] == "id" and export["exported_at"] == now
    (record,) = export["people"]
    assert (record["id"], record["role"], record["name"], record["contact"]) == (
        victim.pk,
        "victim",
        "Ahmet Kaya",
        "+383 44 000 000",
    )
    assert record["case"]["reference"] == case.reference
    assert record["case"]["municipality"] == str(case.municipality)
    assert [h["action"] for h in record["history"]] == [AuditAction.CASE_PERSONAL_DATA_VIEW]
    assert t.secretary.username not in json.dumps(export, default=str)

    (event,) = export_events()
    assert event.actor_id == admin_user.pk
    assert event.payload == {"matched_by": "id", "people": [victim.pk], "cases": [case.reference]}
    assert not [secret for secret in SECRETS if secret in json.dumps(event.payload)]
    assert audit_verify().ok


def test_an_export_by_exact_name_and_contact_finds_the_person_in_every_case(admin_user):
    t = team("prizren")
    first = open_case(t, people=people_of("a", "Ahmet"))
    second = open_case(t, people=people_of("b", "Ahmet"))
    open_case(t, people=[{"role": "victim", "name": "Ahmet Kaya", "contact": "other"}])
    added = services.person_add(
        user=t.secretary, case=second, role="witness", name="Ahmet Kaya", contact="+383 44 000 000"
    )

    export = personal_data_export(
        user=admin_user, name=" Ahmet Kaya ", contact="+383 44 000 000", now=timezone.now()
    )

    assert export["matched_by"] == "name_and_contact"
    assert sorted((p["case"]["reference"], p["role"]) for p in export["people"]) == sorted(
        [(first.reference, "victim"), (second.reference, "victim"), (second.reference, "witness")]
    )
    added_record = next(p for p in export["people"] if p["id"] == added.pk)
    assert [h["action"] for h in added_record["history"]] == [AuditAction.PERSON_ADD]
    (event,) = export_events()
    assert event.payload["cases"] == sorted([first.reference, second.reference])
    assert len(event.payload["people"]) == 3


@pytest.mark.parametrize("who", ["secretary", "leadership", "monitor", "member", "nobody"], ids=str)
def test_nobody_but_an_administrator_may_export(who):
    t = team("prizren")
    case = open_case(t)
    user = {
        "secretary": t.secretary,
        "leadership": t.leadership,
        "monitor": user_with_role(Role.MONITOR),
        "member": user_with_role(Role.MEMBER, "prizren"),
        "nobody": UserFactory(),
    }[who]
    with pytest.raises(PermissionDenied):
        personal_data_export(user=user, person_id=case.people.get().pk, now=timezone.now())
    assert not export_events().exists()


def test_an_export_needs_one_way_of_finding_the_person_and_a_match(admin_user):
    person = open_case(team("prizren")).people.get()
    for bad in (
        {},
        {"name": "Ahmet Kaya"},
        {"person_id": person.pk, "name": "Ahmet Kaya", "contact": "+383 44 000 000"},
    ):
        with pytest.raises(ValidationError, match="Give either"):
            personal_data_export(user=admin_user, now=timezone.now(), **bad)
    with pytest.raises(ValidationError, match="No person"):
        personal_data_export(user=admin_user, person_id=person.pk + 1000, now=timezone.now())
    with pytest.raises(ValidationError, match="No person"):
        personal_data_export(
            user=admin_user, name="Ahmet Kaya", contact="+383 44", now=timezone.now()
        )
    assert not export_events().exists()


def test_the_export_command_writes_json_for_an_administrator_only(admin_user, tmp_path):
    t = team("prizren")
    person = open_case(t).people.get()

    out = io.StringIO()
    call_command(
        "export_personal_data", "--as", admin_user.username, "--person", person.pk, stdout=out
    )
    assert json.loads(out.getvalue())["people"][0]["name"] == "Ahmet Kaya"

    target = tmp_path / "export.json"
    err = io.StringIO()
    call_command(
        "export_personal_data",
        "--as",
        admin_user.username,
        "--name",
        "Ahmet Kaya",
        "--contact",
        "+383 44 000 000",
        "--output",
        str(target),
        stderr=err,
    )
    assert json.loads(target.read_text())["people"][0]["id"] == person.pk
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
    assert "Exported 1 records" in err.getvalue()
    assert export_events().count() == 2

    with pytest.raises(CommandError, match="exists already"):
        call_command(
            "export_personal_data",
            "--as",
            admin_user.username,
            "--person",
            person.pk,
            "--output",
            str(target),
        )
    refused = tmp_path / "refused.json"
    with pytest.raises(CommandError, match="Only an administrator"):
        call_command(
            "export_personal_data",
            "--as",
            t.secretary.username,
            "--person",
            person.pk,
            "--output",
            str(refused),
        )
    assert not refused.exists()
    with pytest.raises(CommandError, match="No person"):
        call_command("export_personal_data", "--as", admin_user.username, "--person", 0)
    with pytest.raises(CommandError, match="no active user"):
        call_command("export_personal_data", "--as", "nobody-here", "--person", person.pk)
    assert export_events().count() == 2
