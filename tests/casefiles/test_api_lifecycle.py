"""Acceptance: a whole case, from report to closed, through the REST API only (except the
council meeting, which has no API yet and is built through the meeting services)."""

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from casefiles.audit.verification import audit_verify
from casefiles.models import AuditEvent, Case
from tests.casefiles.builders import held_meeting, team

pytestmark = pytest.mark.django_db

MISSING_BEFORE_TRANSLATION = ["sr-Cyrl", "tr", "bs", "rom"]


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user=user)
    return client


def test_a_prizren_case_against_the_turkish_community_goes_from_report_to_closed():
    t = team("prizren")
    secretary, approver, translator = (
        client_for(t.secretary),
        client_for(t.leadership2),
        client_for(t.translator),
    )
    now = timezone.now()

    # The secretary opens the case; the municipality defaults to the secretary's own.
    response = secretary.post(
        "/api/v1/cases/",
        {
            "occurred_at": (now - dt.timedelta(days=2)).isoformat(),
            "reported_at": (now - dt.timedelta(days=2, hours=-3)).isoformat(),
            "settlement": "Mamushë",
            "location": "Main road, near the school",
            "latitude": "42.31250",
            "longitude": "20.72650",
            "category": "property_damage",
            "affected_community": "turk",
            "summary": "Windows of a Turkish family's shop were broken at night.",
            "source": "police",
            "source_reference": "2026-PZ-777",
            "people": [{"role": "victim", "name": "Mehmet Demir", "contact": "+383 44 111"}],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    reference = body["reference"]
    assert reference.startswith("PZ-")
    assert response["Location"] == f"/api/v1/cases/{reference}/"
    assert (body["municipality"], body["state"], body["affected_community"]) == (
        "20",
        "reported",
        "turk",
    )
    assert body["required_languages"] == ["sq", "sr-Cyrl", "tr", "bs", "rom"]
    assert "people" not in body  # only the detail GET returns personal data
    case_url = f"/api/v1/cases/{reference}/"

    def step(client, name, data=None, expected=200):
        response = client.post(f"{case_url}transitions/{name}/", data or {}, format="json")
        assert response.status_code == expected, (name, response.json())
        return response.json()

    body = step(
        secretary,
        "verify",
        {
            "verification_source": "police",
            "verification_reference": "PZ-2026-0042",
            "category": "property_damage",
            "affected_community": "turk",
            "settlement": "Mamushë",
            "location": "Main road, near the school",
        },
    )
    assert body["state"] == "verified" and body["verification_reference"] == "PZ-2026-0042"

    meeting = held_meeting(t, Case.objects.get(reference=reference))
    body = step(secretary, "convene", {"meeting": meeting.pk})
    assert (body["state"], body["convened_meeting"]) == ("council_convened", meeting.pk)

    body = step(
        secretary,
        "draft_statement",
        {
            "language": "sq",
            "title": "Komuna dënon sulmin",
            "text": "Komuna e Prizrenit dënon ashpër sulmin ndaj dyqanit të familjes.",
        },
    )
    assert body["state"] == "statement_drafted"
    assert body["missing_languages"] == MISSING_BEFORE_TRANSLATION

    body = step(approver, "approve", {"comment": "Good."})
    assert body["state"] == "statement_approved"
    assert body["statements"][0]["status"] == "approved"

    # Publishing is refused while translations are missing, naming exactly which.
    refused = step(secretary, "publish", {"channels": ["website", "social_media"]}, expected=400)
    assert refused["missing_languages"] == MISSING_BEFORE_TRANSLATION
    assert "translations" in refused

    for code in MISSING_BEFORE_TRANSLATION:
        saved = translator.put(
            f"{case_url}translations/{code}/",
            {"title": f"Title ({code})", "text": f"Statement text ({code})."},
            format="json",
        )
        assert saved.status_code == 200, saved.json()
        assert (saved.json()["language"], saved.json()["status"]) == (code, "draft")
        approved = secretary.post(f"{case_url}translations/{code}/approve/")
        assert approved.status_code == 200, approved.json()
        assert approved.json()["status"] == "approved"
    assert secretary.get(case_url).json()["missing_languages"] == []

    body = step(secretary, "publish", {"channels": ["website", "social_media"]})
    assert body["state"] == "statement_published"
    assert body["channels"] == ["website", "social_media"] and body["published_at"]

    body = step(
        secretary,
        "record_outreach",
        {
            "held_on": timezone.localdate().isoformat(),
            "place": "Mamushë community centre",
            "officials_present": "Deputy mayor for communities; police station commander",
            "participants_women": 7,
            "participants_men": 11,
            "concerns_raised": "Lighting and patrols on the main road.",
            "commitments_made": "Patrols every night for a month.",
            "language": "tr",
        },
    )
    assert body["state"] == "outreach_conducted"
    assert body["outreach"][0]["participants_total"] == 18

    due = (timezone.localdate() + dt.timedelta(days=30)).isoformat()
    body = step(
        secretary,
        "start_follow_up",
        {
            "actions": [
                {"description": "Install lighting", "owner": "Public services", "due_on": due}
            ]
        },
    )
    assert body["state"] == "follow_up"
    [action] = body["follow_up_actions"]
    assert action["status"] == "open"

    closing = {"closing_summary": "Lighting installed.", "safety_before": 2, "safety_after": 4}
    refused = step(secretary, "close", closing, expected=400)
    assert list(refused) == ["follow_up_actions"]

    done = secretary.patch(
        f"{case_url}follow-up-actions/{action['id']}/", {"status": "done"}, format="json"
    )
    assert done.status_code == 200, done.json()
    assert done.json()["status"] == "done" and done.json()["completed_on"]

    body = step(secretary, "close", closing)
    assert body["state"] == "closed"
    assert (body["safety_before"], body["safety_after"]) == (2, 4)
    assert body["available_transitions"] == []
    assert Case.objects.get(reference=reference).state == "closed"

    # The audit trail of the case lists every step, in order, and the chain holds.
    audit = secretary.get(f"{case_url}audit/")
    assert audit.status_code == 200
    events = audit.json()["results"]
    translation_steps = ["translation.save", "translation.approve"] * 4
    assert [e["action"] for e in events] == [
        "case.open",
        "case.verify",
        "case.convene",
        "statement.draft",
        "statement.approve",
        *translation_steps,
        "case.personal_data_view",  # the secretary's detail read above
        "statement.publish",
        "outreach.record",
        "follow_up.start",
        "follow_up.action_update",
        "case.close",
    ]
    assert audit.json()["count"] == len(events)
    assert len(events) == AuditEvent.objects.filter(case__reference=reference).count()
    close = events[-1]
    assert (close["from_state"], close["to_state"], close["actor_name"]) == (
        "follow_up",
        "closed",
        t.secretary.username,
    )
    assert close["action_label"] == "Case closed"
    assert all(e["request_id"] and len(e["hash"]) == 64 for e in events)
    assert [e["sequence"] for e in events] == sorted(e["sequence"] for e in events)
    report = audit_verify()
    assert report.ok, report.problem
