"""The case pages, driven with the Django test client: every write goes through a form."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from casefiles.models import (
    ActionStatus,
    AuditAction,
    AuditEvent,
    Case,
    CaseState,
    FollowUpAction,
    Translation,
    TranslationStatus,
)
from casefiles.services import case_required_languages
from mcsc.models import Language, Role
from tests.casefiles.builders import case_in, held_meeting, open_case, team
from tests.factories import community, user_with_role

pytestmark = pytest.mark.django_db

LOCAL = "%Y-%m-%dT%H:%M"


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def t():
    return team("prizren")


def detail_url(case):
    return reverse("casefiles:detail", args=[case.reference])


def step_url(case, name):
    return reverse("casefiles:step", args=[case.reference, name])


def translation_url(case, code):
    return reverse("casefiles:translation", args=[case.reference, code])


def html(response) -> str:
    return response.content.decode()


def as_user(client, user):
    client.force_login(user)
    return client


def fresh(case) -> Case:
    return Case.objects.get(pk=case.pk)


# --- (a) The acceptance: from a new incident to a closed case through the pages alone ---------


def test_a_prizren_case_for_the_turkish_community_runs_to_closed_through_the_pages(client, t):
    secretary, leadership, translator = t.secretary, t.leadership, t.translator
    turk = community("turk")

    # The secretary finds "Report a new incident" in the navigation.
    as_user(client, secretary)
    assert reverse("casefiles:new") in html(client.get(reverse("casefiles:list")))
    form_page = client.get(reverse("casefiles:new"))
    assert form_page.status_code == 200
    assert 'name="municipality"' not in html(form_page)  # only one municipality: no choice
    assert 'type="datetime-local"' in html(form_page)

    now = timezone.localtime()
    response = client.post(
        reverse("casefiles:new"),
        {
            "occurred_at": (now - dt.timedelta(days=1)).strftime(LOCAL),
            "reported_at": (now - dt.timedelta(hours=20)).strftime(LOCAL),
            "category": "property_damage",
            "affected_community": turk.pk,
            "source": "police",
            "source_reference": "PZ-2026-1234",
            "settlement": "Mamushë",
            "location": "Near the mosque",
            "coordinates": "42.3261234, 20.7245",
            "summary": "Windows of a family house broken at night.",
            "person_role": "victim",
            "person_name": "Ahmet Kaya",
            "person_contact": "+383 44 000 000",
        },
    )
    case = Case.objects.get()
    assert response.status_code == 302 and response.url == detail_url(case)
    assert case.municipality.slug == "prizren" and case.state == CaseState.REPORTED
    assert str(case.latitude) == "42.32612"
    assert case.people.get().name == "Ahmet Kaya"
    page = html(client.get(detail_url(case)))
    assert "is open" in page and step_url(case, "verify") in page

    # Verify (the form is prefilled from the intake).
    assert "Mamushë" in html(client.get(step_url(case, "verify")))
    response = client.post(
        step_url(case, "verify"),
        {
            "verification_source": "police",
            "verification_reference": "PZ-2026-1234",
            "category": "property_damage",
            "affected_community": turk.pk,
            "settlement": "Mamushë",
            "location": "Near the mosque, main road",
        },
    )
    assert response.status_code == 302
    assert fresh(case).state == CaseState.VERIFIED

    # Convene: the council meeting is recorded elsewhere (meeting pages), then chosen here.
    meeting = held_meeting(t, fresh(case))
    assert "Municipal assembly hall" in html(client.get(step_url(case, "convene")))
    response = client.post(step_url(case, "convene"), {"meeting": meeting.pk})
    assert response.status_code == 302
    assert fresh(case).state == CaseState.COUNCIL_CONVENED

    # Draft, rejected by the leadership with a comment, drafted again, approved.
    albanian = Language.objects.get(code="sq")
    draft = {
        "language": albanian.pk,
        "title": "Komuna dënon sulmin",
        "text": "Komuna e Prizrenit dënon sulmin.",
    }
    assert client.post(step_url(case, "draft_statement"), draft).status_code == 302
    as_user(client, leadership)
    approve_page = html(client.get(step_url(case, "approve")))
    assert "Komuna e Prizrenit dënon sulmin." in approve_page
    refused = client.post(step_url(case, "reject"), {"comment": ""})
    assert refused.status_code == 400 and "This field is required." in html(refused)
    response = client.post(step_url(case, "reject"), {"comment": "Name the Turkish community."})
    assert response.status_code == 302
    assert fresh(case).state == CaseState.COUNCIL_CONVENED

    as_user(client, secretary)
    redraft_page = html(client.get(step_url(case, "draft_statement")))
    assert "Name the Turkish community." in redraft_page and "was rejected" in redraft_page
    draft["text"] = "Komuna e Prizrenit dënon sulmin ndaj komunitetit turk."
    assert client.post(step_url(case, "draft_statement"), draft).status_code == 302
    as_user(client, leadership)
    response = client.post(step_url(case, "approve"), {"comment": "Good."})
    assert response.status_code == 302
    assert fresh(case).state == CaseState.STATEMENT_APPROVED

    # Publishing first shows the missing languages, each with a link to its translation.
    as_user(client, secretary)
    refused = client.post(step_url(case, "publish"), {"channels": ["website", "social_media"]})
    assert refused.status_code == 400
    refused_html = html(refused)
    assert "An approved translation is missing for" in refused_html
    missing = [lang for lang in case_required_languages(fresh(case)) if lang.code != "sq"]
    assert {lang.code for lang in missing} == {"sr-Cyrl", "tr", "bs", "rom"}
    for language in missing:
        assert language.name_en in refused_html
        assert translation_url(case, language.code) in refused_html
    assert re.search(r'value="website"[^>]*checked', refused_html)  # nothing is lost
    assert fresh(case).state == CaseState.STATEMENT_APPROVED

    # The translator writes each translation; the secretary approves them.
    as_user(client, translator)
    for language in missing:
        page = client.get(translation_url(case, language.code))
        assert page.status_code == 200 and "ndaj komunitetit turk" in html(page)
        response = client.post(
            translation_url(case, language.code),
            {"intent": "save", "title": f"Title {language.code}", "text": f"Text {language.code}"},
        )
        assert response.status_code == 302
    as_user(client, secretary)
    for language in missing:
        response = client.post(translation_url(case, language.code), {"intent": "approve"})
        assert response.status_code == 302
    assert not Translation.objects.exclude(status=TranslationStatus.APPROVED).exists()

    response = client.post(
        step_url(case, "publish"), {"channels": ["website", "notice_board"], "published_at": ""}
    )
    assert response.status_code == 302
    assert fresh(case).publication_channels == ["website", "notice_board"]

    # Outreach, follow-up (blank rows ignored), the action marked done, closing.
    turkish = Language.objects.get(code="tr")
    response = client.post(
        step_url(case, "record_outreach"),
        {
            "held_on": timezone.localdate().isoformat(),
            "place": "Mamushë community centre",
            "officials_present": "Deputy mayor for communities",
            "participants_women": "6",
            "participants_men": "9",
            "participants_other": "0",
            "concerns_raised": "Lighting on the main road.",
            "commitments_made": "Police patrols for one month.",
            "language": turkish.pk,
        },
    )
    assert response.status_code == 302
    due = (timezone.localdate() + dt.timedelta(days=30)).isoformat()
    response = client.post(
        step_url(case, "start_follow_up"),
        {
            "action_1_description": "Install street lighting",
            "action_1_owner": "Directorate of public services",
            "action_1_due_on": due,
            "action_2_description": "",
            "action_2_owner": "",
            "action_2_due_on": "",
        },
    )
    assert response.status_code == 302
    action = FollowUpAction.objects.get()
    close_page = html(client.get(step_url(case, "close")))
    assert "still open" in close_page and "Install street lighting" in close_page
    response = client.post(
        reverse("casefiles:action_update", args=[case.reference, action.pk]), {"status": "done"}
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == ActionStatus.DONE
    response = client.post(
        step_url(case, "close"),
        {"closing_summary": "Lighting installed.", "safety_before": "2", "safety_after": "4"},
    )
    assert response.status_code == 302
    case = fresh(case)
    assert case.state == CaseState.CLOSED and (case.safety_before, case.safety_after) == (2, 4)

    # The case page tells the story in words.
    page = html(client.get(detail_url(case)))
    name = secretary.get_full_name()
    assert f"{name} verified the case" in page
    assert f"{leadership.get_full_name()} rejected statement version 1" in page
    assert f"{leadership.get_full_name()} approved statement version 2" in page
    assert f"{name} closed the case" in page
    assert "Lighting installed." in page and "2 / 5" in page
    assert step_url(case, "reopen") not in page  # the secretary cannot reopen
    as_user(client, leadership)
    assert step_url(case, "reopen") in html(client.get(detail_url(case)))


# --- (b) Errors ----------------------------------------------------------------------------------


def test_dismiss_without_reason_shows_the_field_error_and_changes_nothing(client, t):
    case = open_case(t)
    client = as_user(client, t.secretary)
    events = AuditEvent.objects.count()
    response = client.post(step_url(case, "dismiss"), {"reason": "   "})
    assert response.status_code == 400
    page = html(response)
    assert 'id="id_reason_error"' in page and 'aria-invalid="true"' in page
    assert "Please correct the following" in page
    assert fresh(case).state == CaseState.REPORTED
    assert AuditEvent.objects.count() == events


def test_a_service_error_is_shown_on_its_field_and_keeps_what_was_typed(client, t):
    case = open_case(t)
    response = as_user(client, t.secretary).post(
        step_url(case, "verify"),
        {
            "verification_source": "police",
            "verification_reference": "",
            "category": "property_damage",
            "affected_community": community("turk").pk,
            "settlement": "Typed settlement",
            "location": "",
        },
    )
    assert response.status_code == 400
    page = html(response)
    assert "Give the police case number." in page and 'id="id_verification_reference_error"' in page
    assert 'value="Typed settlement"' in page
    assert fresh(case).state == CaseState.REPORTED


def test_a_step_not_possible_in_the_state_is_a_conflict(client, t):
    case = case_in(t, CaseState.VERIFIED)
    as_user(client, t.secretary)
    response = client.get(step_url(case, "publish"))
    assert response.status_code == 409 and "not possible" in html(response)
    response = client.post(
        step_url(case, "dismiss"), {"reason": "Typed after someone else verified it."}
    )
    assert response.status_code == 409
    assert "Typed after someone else verified it." in html(response)  # nothing is lost
    assert fresh(case).state == CaseState.VERIFIED


def test_convening_with_an_unfit_meeting_shows_why(client, t):
    case = case_in(t, CaseState.VERIFIED)
    meeting = held_meeting(t, case, present=1, members=4)  # no quorum
    response = as_user(client, t.secretary).post(step_url(case, "convene"), {"meeting": meeting.pk})
    assert response.status_code == 400
    assert "no quorum" in html(response)
    assert fresh(case).state == CaseState.VERIFIED


def test_scoping_a_gjilan_secretary_gets_404_on_prizren_pages(client, t):
    case = open_case(t)
    as_user(client, user_with_role(Role.SECRETARY, "gjilan"))
    assert client.get(detail_url(case)).status_code == 404
    assert client.get(step_url(case, "verify")).status_code == 404
    assert client.post(step_url(case, "dismiss"), {"reason": "x"}).status_code == 404
    assert client.get(translation_url(case, "tr")).status_code == 404
    assert client.get(reverse("casefiles:action_add", args=[case.reference])).status_code == 404
    assert case.reference not in html(client.get(reverse("casefiles:list")))
    assert fresh(case).state == CaseState.REPORTED


def test_a_monitor_gets_403_on_step_forms_and_sees_no_buttons(client, t):
    case = open_case(t)
    as_user(client, user_with_role(Role.MONITOR))
    assert client.get(step_url(case, "verify")).status_code == 403
    assert client.post(step_url(case, "dismiss"), {"reason": "x"}).status_code == 403
    assert client.get(reverse("casefiles:new")).status_code == 403
    page = html(client.get(detail_url(case)))
    assert "/steps/" not in page
    assert fresh(case).state == CaseState.REPORTED


def test_a_translator_cannot_approve_and_the_drafter_of_a_translation_neither(client, t):
    case = case_in(t, CaseState.STATEMENT_APPROVED)
    as_user(client, t.translator)
    response = client.post(
        translation_url(case, "tr"), {"intent": "save", "title": "Başlık", "text": "Metin"}
    )
    assert response.status_code == 302
    assert client.post(translation_url(case, "tr"), {"intent": "approve"}).status_code == 403
    # The secretary saves a correction, so someone else must approve it.
    as_user(client, t.secretary)
    client.post(
        translation_url(case, "tr"), {"intent": "save", "title": "Başlık", "text": "Metin 2"}
    )
    response = client.post(translation_url(case, "tr"), {"intent": "approve"})
    assert response.status_code == 403 and "someone else must review it" in html(response)
    as_user(client, t.leadership)
    assert client.post(translation_url(case, "tr"), {"intent": "approve"}).status_code == 302
    assert Translation.objects.get().status == TranslationStatus.APPROVED


def test_follow_up_actions_and_outreach_are_managed_from_their_pages(client, t):
    case = case_in(t, CaseState.FOLLOW_UP)
    action = FollowUpAction.objects.get(case=case)
    update_url = reverse("casefiles:action_update", args=[case.reference, action.pk])
    as_user(client, t.secretary)
    page = html(client.get(detail_url(case)))
    assert update_url in page and "Mark done" in page and "Drop" in page

    refused = client.post(update_url, {"status": "dropped", "drop_reason": ""})
    assert refused.status_code == 400
    assert "Say why the action is dropped." in html(refused)
    assert 'id="id_drop_reason_error"' in html(refused)
    response = client.post(update_url, {"status": "dropped", "drop_reason": "Budget moved."})
    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.status, action.drop_reason) == (ActionStatus.DROPPED, "Budget moved.")

    due = (timezone.localdate() + dt.timedelta(days=10)).isoformat()
    response = client.post(
        reverse("casefiles:action_add", args=[case.reference]),
        {"description": "Meet the community again", "owner": "Deputy mayor", "due_on": due},
    )
    assert response.status_code == 302 and case.follow_up_actions.count() == 2
    response = client.post(
        reverse("casefiles:outreach_add", args=[case.reference]),
        {
            "held_on": timezone.localdate().isoformat(),
            "place": "Mosque courtyard",
            "officials_present": "Mayor",
            "participants_women": "3",
            "participants_men": "4",
            "participants_other": "0",
            "concerns_raised": "Night patrols.",
            "commitments_made": "",
            "language": Language.objects.get(code="tr").pk,
        },
    )
    assert response.status_code == 302 and case.outreach.count() == 2
    page = html(client.get(detail_url(case)))
    assert "Mosque courtyard" in page and "Meet the community again" in page
    assert "updated the follow-up action “Install street lighting”" in page


def test_a_closed_case_cannot_take_more_actions(client, t):
    case = case_in(t, CaseState.CLOSED)
    due = timezone.localdate().isoformat()
    response = as_user(client, t.secretary).post(
        reverse("casefiles:action_add", args=[case.reference]),
        {"description": "Late action", "owner": "Someone", "due_on": due},
    )
    assert response.status_code == 409 and "Late action" in html(response)


def test_a_dismissed_case_shows_its_reason_and_leadership_reopens_it(client, t):
    case = case_in(t, CaseState.DISMISSED)
    as_user(client, user_with_role(Role.MONITOR))
    assert "Not an ethnic incident." in html(client.get(detail_url(case)))
    as_user(client, t.leadership)
    assert step_url(case, "reopen") in html(client.get(detail_url(case)))
    response = client.post(step_url(case, "reopen"), {"reason": "New police information."})
    assert response.status_code == 302
    assert fresh(case).state == CaseState.REPORTED
    page = html(client.get(detail_url(case)))
    assert "reopened the case: “New police information.”" in page


# --- (c) Personal data ---------------------------------------------------------------------------


def personal_data_views(case) -> int:
    return AuditEvent.objects.filter(case=case, action=AuditAction.CASE_PERSONAL_DATA_VIEW).count()


@pytest.mark.parametrize("role", [Role.MONITOR, Role.MEMBER])
def test_monitors_and_members_see_no_people(client, t, role):
    case = open_case(t)
    viewer = user_with_role(role) if role == Role.MONITOR else user_with_role(role, "prizren")
    page = html(as_user(client, viewer).get(detail_url(case)))
    assert "Ahmet Kaya" not in page and 'id="people"' not in page
    assert personal_data_views(case) == 0


def test_a_secretary_sees_the_people_and_the_reading_is_audited(client, t):
    case = open_case(t)
    page = html(as_user(client, t.secretary).get(detail_url(case)))
    assert 'id="people"' in page and "Ahmet Kaya" in page
    assert personal_data_views(case) == 1
    event = AuditEvent.objects.get(case=case, action=AuditAction.CASE_PERSONAL_DATA_VIEW)
    assert event.actor == t.secretary and event.payload["people"] == 1


# --- (d) Query counts ----------------------------------------------------------------------------


LIST_QUERIES = 8  # measured: 7 (session, user, roles, municipalities, communities, count, page)


@pytest.mark.parametrize("count", [5, 60])
def test_the_case_list_runs_a_fixed_number_of_queries(
    client, t, count, django_assert_max_num_queries
):
    for _ in range(count):
        open_case(t)
    monitor = user_with_role(Role.MONITOR)  # sees several municipalities: the filter shows
    as_user(client, monitor)
    with django_assert_max_num_queries(LIST_QUERIES):
        response = client.get(reverse("casefiles:list"), {"state": "reported"})
    page = html(response)
    assert page.count('data-label="Reference"') == min(count, 25)
    # The next step and the due date come without a query per case.
    assert page.count("Verify or dismiss the incident") == min(count, 25)
    assert page.count('data-label="Due"') == min(count, 25)
    assert 'name="municipality"' in page
    if count > 25:
        # Page links keep the filters.
        assert re.search(r'href="\?state=reported&amp;page=2"', page)
        second = client.get(reverse("casefiles:list"), {"state": "reported", "page": 2})
        assert html(second).count('data-label="Reference"') == 25


def test_the_case_list_filters_and_searches(client, t):
    reported = open_case(t, settlement="Landovica")
    dismissed = case_in(t, CaseState.DISMISSED, settlement="Zhur")
    as_user(client, t.secretary)
    page = html(client.get(reverse("casefiles:list"), {"state": "dismissed"}))
    assert dismissed.reference in page and reported.reference not in page
    page = html(client.get(reverse("casefiles:list"), {"q": "landov"}))
    assert reported.reference in page and dismissed.reference not in page
    assert 'name="municipality"' not in page  # one municipality: no municipality filter


# Measured: 20 (new case) and 22 (closed case), with the audit write and process history;
# 24 for a verified case, where the council's meetings are read to say whether convening can
# succeed (four queries, whatever the number of meetings) and the people who act (two).
DETAIL_QUERIES = 24


def test_the_case_detail_runs_a_fixed_number_of_queries(client, t, django_assert_max_num_queries):
    few = open_case(t)
    many = case_in(t, CaseState.CLOSED)
    as_user(client, t.secretary)
    with django_assert_max_num_queries(DETAIL_QUERIES):
        small = client.get(detail_url(few))
    with django_assert_max_num_queries(DETAIL_QUERIES):
        large = client.get(detail_url(many))
    assert small.status_code == large.status_code == 200
    page = html(large)
    assert "Install street lighting" in page and "Mamushë community centre" in page
    assert page.count('class="translation translation--') == 5  # one column per language


def test_the_case_list_offers_its_filtered_cases_as_a_download(client):
    t = team()
    open_case(t)
    client.force_login(t.secretary)
    html = client.get("/cases/?state=reported&page=1").content.decode()
    assert 'href="/compliance/cases/export/?state=reported&amp;format=csv"' in html
    response = client.get("/compliance/cases/export/?state=reported&format=csv")
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "PZ-" in body and "Ahmet Kaya" not in body
