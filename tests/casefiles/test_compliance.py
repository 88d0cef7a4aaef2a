"""The compliance figures (casefiles.compliance) on a hand-built fixture with known dates.

Ten cases of Gjilan/Gnjilane in Q1 2026 go through the real services with the clock
frozen at each step (the services stamp ``timezone.now()``), so every median, share, count
and score below is worked out by hand in the comments, not merely checked for presence.
The report is taken on 30 April 2026 at noon.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import get_resolver, reverse
from django.utils import timezone
from freezegun import freeze_time

from casefiles import selectors, services
from casefiles.compliance import charts
from casefiles.compliance.figures import FIGURES
from casefiles.compliance.periods import Period, PeriodError
from casefiles.compliance.report import StepFigures, compliance_report, response_score
from casefiles.models import AuditAction, AuditEvent, Case
from mcsc.councils.services import council_member_add, meeting_attendance_record, meeting_create
from mcsc.models import AttendanceStatus, Language, Role, Seat
from mcsc.permissions import scope_filter
from tests.casefiles.builders import Team, team, translate_all
from tests.factories import community, municipality, user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _urls_loaded_before_the_clock_is_frozen():
    """Loading the URLconf imports psycopg's C module, which refuses freezegun's datetime."""
    assert get_resolver().url_patterns


GJILAN = "04"  # statistical office codes
PRIZREN = "20"


def local(month: int, day: int, hour: int = 10, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime(2026, month, day, hour, minute))


NOW = local(4, 30, 12)
Q1 = Period.parse("2026-Q1")
DAY = dt.timedelta(days=1)
HOUR = dt.timedelta(hours=1)


@dataclass(frozen=True)
class Plan:
    """One case: step times in days after the incident (None: the step is not taken)."""

    name: str
    occurred: dt.datetime
    community: str = "serb"
    category: str = "property_damage"
    verify: float | None = None
    dismiss: float | None = None
    meeting: float | None = None  # the council meets; convening is recorded 2 hours later
    present: tuple[str, ...] = ()
    approve_only: bool = False  # statement drafted and approved, not published
    publish: float | None = None
    outreach_day: int | None = None  # held on the incident's date + n, recorded at 18:00
    follow_up: bool = False
    close_at: dt.datetime | None = None


ALL = ("chair", "police", "serb", "turk", "roma", "civil")

PLANS = [
    # verify 1.0, convene 2.0, publish 4.0, outreach 7, closed 30.0: every step on time.
    Plan(
        "C1",
        local(1, 5),
        verify=1,
        meeting=2,
        present=("chair", "police", "serb", "civil"),
        publish=4,
        outreach_day=7,
        follow_up=True,
        close_at=local(2, 4),
    ),
    # verified late (3 days), council late (5 days after verification), published on time,
    # outreach late (12 days after publication); in follow-up, overdue. Serb member absent.
    Plan(
        "C2",
        local(1, 12),
        category="person_verbal",
        verify=3,
        meeting=8,
        present=("chair", "police", "turk", "civil"),
        publish=10,
        outreach_day=22,
        follow_up=True,
    ),
    # published late (3.92 days after convening), closed late (50.7 days after outreach).
    Plan(
        "C3",
        local(1, 20),
        verify=0.5,
        meeting=2,
        present=ALL,
        publish=6,
        outreach_day=8,
        follow_up=True,
        close_at=local(3, 20),
    ),
    # statement approved, never published: publication overdue.
    Plan(
        "C4",
        local(2, 2),
        category="site_graffiti",
        verify=1,
        meeting=2,
        present=("chair", "police", "serb", "roma"),
        approve_only=True,
    ),
    # verified, council never convened: overdue.
    Plan("C5", local(2, 10), verify=1),
    # dismissed after 2 days (verification decision late).
    Plan("C6", local(2, 15), dismiss=2),
    # never verified: overdue.
    Plan("C7", local(2, 20), category="person_physical"),
    # Roma community (Romani required in Gjilan), published in every required language;
    # the community is corrected to Bosniak after publication, so Bosnian is now missing.
    Plan(
        "C8",
        local(3, 2),
        community="roma",
        verify=1,
        meeting=2,
        present=("chair", "police", "roma", "civil"),
        publish=3,
        outreach_day=7,
    ),
    # Turkish community; outreach exactly on its deadline day; closed 26.0 days after the
    # incident (after the change to summer time, hence 11:00).
    Plan(
        "C9",
        local(3, 10),
        community="turk",
        category="site_desecration",
        verify=1,
        meeting=2,
        present=("chair", "police", "turk", "civil"),
        publish=3,
        outreach_day=10,
        follow_up=True,
        close_at=local(4, 5, 11),
    ),
    # convened, statement not yet drafted: publication overdue. Police and civil society
    # absent.
    Plan(
        "C10",
        local(3, 25),
        verify=1,
        meeting=2,
        present=("chair", "serb", "turk", "roma"),
    ),
]


@dataclass
class Fixture:
    t: Team
    cases: dict[str, Case]
    members: dict[str, object]

    def refs(self, *names: str) -> set[str]:
        return {self.cases[n].reference for n in names}


def _members(t: Team) -> dict[str, object]:
    specs = {
        "chair": (Seat.CHAIR, None),
        "police": (Seat.POLICE_COMMANDER, None),
        "serb": (Seat.COMMUNITY_REPRESENTATIVE, "serb"),
        "turk": (Seat.COMMUNITY_REPRESENTATIVE, "turk"),
        "roma": (Seat.COMMUNITY_REPRESENTATIVE, "roma"),
        "civil": (Seat.CIVIL_SOCIETY, None),
    }
    with freeze_time(local(1, 1)):
        return {
            key: council_member_add(
                user=t.secretary,
                municipality=municipality(t.slug),
                name=f"Member {key}",
                seat=seat,
                appointed_on=dt.date(2024, 1, 1),
                community=community(code) if code else None,
            )
            for key, (seat, code) in specs.items()
        }


def _meeting(t: Team, members, *, starts_at, kind, present, agenda=(), record=True):
    meeting = meeting_create(
        user=t.secretary,
        municipality=municipality(t.slug),
        kind=kind,
        starts_at=starts_at,
        place="Assembly hall",
        agenda=list(agenda) or [{"title": "Security situation"}],
    )
    if record:
        meeting_attendance_record(
            user=t.secretary,
            meeting=meeting,
            attendance={
                m.pk: AttendanceStatus.PRESENT if key in present else AttendanceStatus.ABSENT
                for key, m in members.items()
            },
        )
    return meeting


def open_at(t: Team, occurred: dt.datetime, **fields) -> Case:
    with freeze_time(occurred + 2 * HOUR):
        return services.case_open(
            user=t.secretary,
            municipality=municipality(t.slug),
            occurred_at=occurred,
            reported_at=occurred + 2 * HOUR,
            settlement="Cërnicë",
            category=fields.get("category", "property_damage"),
            affected_community=community(fields.get("community", "serb")),
            summary="Synthetic incident for the compliance tests.",
            source="police",
            people=[{"role": "victim", "name": "Jovana Test-Victim", "contact": "+383 44 1"}],
        )


def _run(t: Team, members, plan: Plan) -> Case:
    o = plan.occurred
    case = open_at(t, o, community=plan.community, category=plan.category)
    if plan.dismiss is not None:
        with freeze_time(o + plan.dismiss * DAY):
            return services.case_dismiss(user=t.secretary, case=case, reason="Not serious.")
    if plan.verify is None:
        return case
    with freeze_time(o + plan.verify * DAY):
        case = services.case_verify(
            user=t.secretary,
            case=case,
            verification_source="police",
            verification_reference="GL-1",
            category=case.category,
            affected_community=case.affected_community,
            settlement=case.settlement,
        )
    if plan.meeting is None:
        return case
    starts = o + plan.meeting * DAY
    with freeze_time(starts + HOUR):
        meeting = _meeting(
            t,
            members,
            starts_at=starts,
            kind="extraordinary",
            present=plan.present,
            agenda=[{"case": case}],
        )
    with freeze_time(starts + 2 * HOUR):
        case = services.case_convene(user=t.secretary, case=case, meeting=meeting)
    if plan.publish is None and not plan.approve_only:
        return case
    with freeze_time(starts + 3 * HOUR):
        services.statement_draft(
            user=t.secretary,
            case=case,
            language=Language.objects.get(code="sq"),
            title="Komuna dënon sulmin",
            text="Komuna dënon ashpër sulmin.",
        )
        services.statement_approve(user=t.leadership, case=case)
        translate_all(t, case)
    if plan.approve_only:
        return Case.objects.get(pk=case.pk)
    with freeze_time(o + plan.publish * DAY):
        case = services.statement_publish(user=t.secretary, case=case, channels=["website"])
    if plan.outreach_day is None:
        return case
    held_on = timezone.localtime(o).date() + dt.timedelta(days=plan.outreach_day)
    recorded = timezone.make_aware(dt.datetime.combine(held_on, dt.time(18)))
    with freeze_time(recorded):
        services.outreach_record(
            user=t.secretary,
            case=case,
            held_on=held_on,
            place="Community centre",
            officials_present="Deputy mayor for communities",
            participants_women=3,
            participants_men=4,
            participants_other=0,
            concerns_raised="Safety at night.",
            language=Language.objects.get(code="sr-Cyrl"),
        )
    if not plan.follow_up:
        return Case.objects.get(pk=case.pk)
    with freeze_time(recorded + HOUR):
        case = services.follow_up_start(
            user=t.secretary,
            case=case,
            actions=[{"description": "Lighting", "owner": "Public services", "due_on": held_on}],
        )
    if plan.close_at is None:
        return case
    with freeze_time(plan.close_at):
        for action in case.follow_up_actions.all():
            services.follow_up_action_update(user=t.secretary, action=action, status="done")
        return services.case_close(
            user=t.secretary,
            case=case,
            closing_summary="Resolved.",
            safety_before=2,
            safety_after=4,
        )


def build_fixture() -> Fixture:
    """The ten Gjilan cases of Q1 2026, their meetings, one Gjilan case of April, and one
    Prizren case of Q1 (another region)."""
    t = team("gjilan")
    members = _members(t)
    cases = {plan.name: _run(t, members, plan) for plan in PLANS}
    # C8's community is corrected after publication: Bosnian becomes a required language.
    with freeze_time(local(3, 12)):
        services.case_update(
            user=t.secretary, case=cases["C8"], affected_community=community("bosniak")
        )
    # Two regular meetings: one without quorum (chair and police only), one whose
    # attendance was never recorded; and one in May, after the report (not yet held).
    with freeze_time(local(2, 25, 12)):
        _meeting(t, members, starts_at=local(2, 25), kind="regular", present=("chair", "police"))
    with freeze_time(local(3, 15, 12)):
        _meeting(t, members, starts_at=local(3, 15), kind="regular", present=(), record=False)
    with freeze_time(local(4, 20)):
        _meeting(t, members, starts_at=local(5, 10), kind="regular", present=ALL)
    cases["C11"] = open_at(t, local(4, 2))
    p = team("prizren")
    cases["P1"] = open_at(p, local(2, 1), community="turk")
    return Fixture(
        t=t, cases={k: Case.objects.get(pk=v.pk) for k, v in cases.items()}, members=members
    )


@pytest.fixture
def fx() -> Fixture:
    return build_fixture()


@pytest.fixture
def monitor():
    return user_with_role(Role.MONITOR)


def report_for(user, period=Q1, **kwargs):
    with freeze_time(NOW):
        return compliance_report(user=user, period=period, now=NOW, **kwargs)


def test_the_ten_cases_give_the_figures_worked_out_by_hand(fx, monitor):
    report = report_for(monitor, municipality=GJILAN)
    assert [g.code for g in report.municipalities] == [GJILAN]
    g = report.municipalities[0]

    assert g.incidents == 10
    assert (g.verified, g.dismissed, g.awaiting_verification) == (8, 1, 1)
    assert (g.convened, g.community_represented) == (7, 5)  # C2 and C8: community absent
    assert (g.published, g.published_all_languages) == (5, 4)  # C8 lacks Bosnian now
    assert (g.outreach, g.closed, g.overdue) == (5, 3, 6)
    assert g.verified_share == 0.8 and g.dismissed_share == 0.1
    assert g.convened_share == 0.875  # 7 of the 8 verified
    assert g.community_represented_share == 0.7143  # 5 of the 7 convened
    assert g.published_share == 0.625 and g.published_all_languages_share == 0.5
    assert g.outreach_share == 0.625 and g.closed_share == 0.375
    assert g.stages == {
        "awaiting": 1,
        "dismissed": 1,
        "stage_verified": 1,
        "stage_convened": 2,
        "stage_published": 0,
        "stage_outreach": 2,
        "closed": 3,
    }
    # Days from the incident to publication: 4, 10, 6, 3, 3.
    assert g.statement_days == [0, 0, 0, 3, 1, 1, 0, 0]

    def step(name) -> StepFigures:
        return g.step(name)

    # Verification: 0.5, 1, 1, 1, 1, 1, 1, 2 (C6 dismissed), 3 (C2) days after the incident.
    # Median: the 5th of 9 = 1.0; 90%: position 7.2 -> 2 + 0.2 x (3 - 2) = 2.2.
    # Late: C2 (2.92 days after the report) and C6 (1.92); C7 waits past its deadline.
    assert step("verify") == StepFigures(
        step="verify",
        label="Verification",
        done=9,
        expected=10,
        on_time=7,
        late=2,
        overdue=1,
        median_days=1.0,
        p90_days=2.2,
        completeness=0.9,
        timeliness=0.7778,
        points=85.1,  # 100 x (0.6 x 0.9 + 0.4 x 7/9)
    )
    # Council: 2, 2, 2, 2, 2, 2, 8 days -> median 2.0; position 5.4 -> 2 + 0.4 x 6 = 4.4.
    # Expected: the 7 convened + C5 (verified) + C7 (reported); late: C2 (5 days after
    # verification); overdue: C5.
    s = step("convene")
    assert (s.done, s.expected, s.on_time, s.late, s.overdue) == (7, 9, 6, 1, 1)
    assert (s.median_days, s.p90_days) == (2.0, 4.4)
    assert (s.completeness, s.timeliness, s.points) == (0.7778, 0.8571, 81.0)
    # Statement: 3, 3, 4, 6, 10 days -> median 4.0; position 3.6 -> 6 + 0.6 x 4 = 8.4.
    # Late: C3 (3.9 days after convening); overdue: C4 (approved) and C10 (convened).
    s = step("publish")
    assert (s.done, s.expected, s.on_time, s.late, s.overdue) == (5, 9, 4, 1, 2)
    assert (s.median_days, s.p90_days) == (4.0, 8.4)
    assert (s.completeness, s.timeliness, s.points) == (0.5556, 0.8, 65.3)
    # Outreach (whole days): 7, 7, 8, 10, 22 -> median 8.0; position 3.6 -> 10 + 0.6 x 12.
    # Late: C2 (12 days after publication); C9 exactly on its 7th day is on time.
    s = step("outreach")
    assert (s.done, s.expected, s.on_time, s.late, s.overdue) == (5, 9, 4, 1, 0)
    assert (s.median_days, s.p90_days) == (8.0, 17.2)
    assert (s.completeness, s.timeliness, s.points) == (0.5556, 0.8, 65.3)
    # Closed: 26, 30, 59 days -> median 30.0; position 1.8 -> 30 + 0.8 x 29 = 53.2.
    # Expected: the 3 closed + C2, C4, C5, C7, C8 (43 days since the report have passed);
    # C10, reported on 25 March, is not expected before 7 May. Late: C3. Overdue: C2, C8.
    s = step("follow_up")
    assert (s.done, s.expected, s.on_time, s.late, s.overdue) == (3, 8, 2, 1, 2)
    assert (s.median_days, s.p90_days) == (30.0, 53.2)
    assert (s.completeness, s.timeliness, s.points) == (0.375, 0.6667, 49.2)
    # Score: mean of 0.8511, 0.8095, 0.6533, 0.6533, 0.4917 = 0.6918 -> 69.2.
    assert g.score == 69.2

    m = g.meetings
    # Q1: 7 extraordinary meetings (one per convened case) and 2 regular ones; the May
    # meeting is outside the quarter.
    assert (m.held, m.regular, m.extraordinary) == (9, 2, 7)
    # Attendance recorded at 8 (not the second regular one); quorum (4 of 6 members)
    # everywhere but the first regular meeting (2 present).
    assert (m.with_attendance, m.with_quorum, m.quorum_rate) == (8, 7, 0.875)
    assert (m.with_community_representative, m.community_representation_rate) == (7, 0.875)
    seats = {s.seat: (s.present, s.recorded, s.rate) for s in m.seats}
    assert seats == {
        Seat.CHAIR: (8, 8, 1.0),
        Seat.POLICE_COMMANDER: (7, 8, 0.875),
        Seat.COMMUNITY_REPRESENTATIVE: (12, 24, 0.5),
        Seat.CIVIL_SOCIETY: (5, 8, 0.625),
    }

    months = {(m.month.month, m.category): m.incidents for m in report.monthly}
    assert months == {
        (1, "property_damage"): 2,
        (1, "person_verbal"): 1,
        (2, "site_graffiti"): 1,
        (2, "property_damage"): 2,
        (2, "person_physical"): 1,
        (3, "property_damage"): 2,
        (3, "site_desecration"): 1,
    }
    assert [b.cases for b in report.statement_days] == g.statement_days


def test_each_figure_drills_down_to_exactly_the_cases_it_counts(fx, monitor):
    report = report_for(monitor, municipality=GJILAN)
    g = report.municipalities[0]
    expected = {
        "verified": fx.refs("C1", "C2", "C3", "C4", "C5", "C8", "C9", "C10"),
        "dismissed": fx.refs("C6"),
        "awaiting": fx.refs("C7"),
        "convened": fx.refs("C1", "C2", "C3", "C4", "C8", "C9", "C10"),
        "represented": fx.refs("C1", "C3", "C4", "C9", "C10"),
        "published": fx.refs("C1", "C2", "C3", "C8", "C9"),
        "all_languages": fx.refs("C1", "C2", "C3", "C9"),
        "outreach": fx.refs("C1", "C2", "C3", "C8", "C9"),
        "closed": fx.refs("C1", "C3", "C9"),
        "overdue": fx.refs("C2", "C4", "C5", "C7", "C8", "C10"),
        "late_verify": fx.refs("C2", "C6"),
        "late_convene": fx.refs("C2"),
        "late_publish": fx.refs("C3"),
        "late_outreach": fx.refs("C2"),
        "late_follow_up": fx.refs("C3"),
        "overdue_verify": fx.refs("C7"),
        "overdue_convene": fx.refs("C5"),
        "overdue_publish": fx.refs("C4", "C10"),
        "overdue_follow_up": fx.refs("C2", "C8"),
        "expected_follow_up": fx.refs("C1", "C3", "C9", "C2", "C4", "C5", "C7", "C8"),
        "statement_days_3": fx.refs("C1", "C8", "C9"),
        "statement_days_4": fx.refs("C3"),
        "statement_days_5": fx.refs("C2"),
    }
    counts = {
        "verified": g.verified,
        "dismissed": g.dismissed,
        "awaiting": g.awaiting_verification,
        "convened": g.convened,
        "represented": g.community_represented,
        "published": g.published,
        "all_languages": g.published_all_languages,
        "outreach": g.outreach,
        "closed": g.closed,
        "overdue": g.overdue,
        **{key: g.stages[key] for key in g.stages},
        **{f"statement_days_{i}": n for i, n in enumerate(g.statement_days)},
        **{
            f"{kind}_{s.step}": getattr(s, kind)
            for s in g.steps
            for kind in ("done", "expected", "on_time", "late", "overdue")
        },
    }
    assert set(counts) == set(FIGURES)  # every figure has a drill-down key and back
    with freeze_time(NOW):
        for key, count in counts.items():
            filters = selectors.CaseFilters(
                municipality=GJILAN, date_from=Q1.start, date_to=Q1.end, figure=key
            )
            listed = {c.reference for c in selectors.case_list(user=monitor, filters=filters)}
            assert len(listed) == count, key
            if key in expected:
                assert listed == expected[key], key


def test_the_drill_down_links_of_the_page_list_the_counted_cases(fx, monitor, client):
    client.force_login(monitor)
    with freeze_time(NOW):
        response = client.get(reverse("compliance:dashboard"), {"period": "2026-Q1"})
        assert response.status_code == 200
        checked = 0
        seen: dict[str, int] = {}
        for row in response.context["rows"]:
            if not row.has_cases:  # not shown on the page (no incidents)
                continue
            cells = [*row.response, *row.stages, *row.statement_days]
            cells += [s[k] for s in row.steps for k in ("done", "expected", "late", "overdue")]
            for cell in cells:
                assert seen.setdefault(cell.url, cell.n) == cell.n
        for url, n in seen.items():
            listed = client.get(url)
            assert listed.context["page_obj"].paginator.count == n, url
            checked += 1
    assert checked > 100


def test_regions_and_the_total_pool_the_municipalities(fx, monitor):
    report = report_for(monitor)
    by_code = {g.code: g for g in report.municipalities}
    assert by_code[GJILAN].incidents == 10 and by_code[PRIZREN].incidents == 1
    regions = {g.code: g for g in report.regions}
    assert regions["gjilan"].incidents == 10 and regions["prizren"].incidents == 1
    assert report.total.incidents == 11 and report.total.verified == 8
    # The pooled percentiles: verification days of all 9 decided cases (P1 is undecided).
    assert report.total.step("verify").median_days == 1.0
    assert regions["gjilan"].score == by_code[GJILAN].score == 69.2
    # P1 reported on 1 February, never verified: verification 0 of 1 expected.
    assert regions["prizren"].step("verify").completeness == 0.0
    assert by_code[PRIZREN].score == 0.0
    # Whole year: C11 (April) counts too; the May meeting is not held yet on 30 April.
    year = report_for(monitor, period=Period.parse("2026"))
    gjilan = next(g for g in year.municipalities if g.code == GJILAN)
    assert gjilan.incidents == 11 and gjilan.meetings.held == 9


def test_a_changed_set_of_required_languages_is_seen(fx, monitor):
    gjilan = municipality("gjilan")
    gjilan.languages_in_official_use.add(Language.objects.get(code="bs"))
    g = report_for(monitor, municipality=GJILAN).municipalities[0]
    assert (g.published, g.published_all_languages) == (5, 0)
    gjilan.languages_in_official_use.remove(Language.objects.get(code="bs"))
    assert report_for(monitor, municipality=GJILAN).municipalities[0].published_all_languages == 4


def test_a_monitor_of_the_gjilan_region_sees_no_prizren_figure_case_or_audit_event(fx, client):
    regional = user_with_role(Role.MONITOR, region_code="gjilan")
    report = report_for(regional)
    assert PRIZREN not in report.scope_codes
    assert {g.region_code for g in report.municipalities} == {"gjilan"}
    assert report.total.incidents == 10

    client.force_login(regional)
    with freeze_time(NOW):
        page = client.get(reverse("compliance:dashboard"), {"period": "2026-Q1"})
        api = client.get(reverse("api-compliance"), {"period": "2026-Q1"})
        csv = b"".join(
            client.get(reverse("compliance:export", args=["csv"]), {"period": "2026-Q1"})
        ).decode("utf-8-sig")
        cases_csv = b"".join(
            client.get(reverse("compliance:case_export"), {"format": "csv"})
        ).decode("utf-8-sig")
        listed = client.get(reverse("casefiles:list"))
        for outside in (
            client.get(reverse("casefiles:list"), {"municipality": PRIZREN}),
            client.get(reverse("compliance:dashboard"), {"municipality": PRIZREN}),
            client.get(reverse("compliance:dashboard"), {"region": "prizren"}),
            client.get(reverse("api-compliance"), {"municipality": PRIZREN}),
            client.get(reverse("compliance:export", args=["pdf"]), {"region": "prizren"}),
        ):
            assert outside.status_code == 404
    for text in (page.content.decode(), api.content.decode(), csv, cases_csv):
        assert "Prizren" not in text and "PZ-" not in text
    assert fx.cases["P1"].reference not in listed.content.decode()
    assert all(c.municipality.region.code == "gjilan" for c in listed.context["cases"])

    # The Prizren secretary's export is in Prizren's audit trail, which the monitor of the
    # Gjilan region does not see; the monitor's own exports name no Prizren municipality.
    prizren_secretary = user_with_role(Role.SECRETARY, "prizren")
    client.force_login(prizren_secretary)
    b"".join(client.get(reverse("compliance:export", args=["csv"])))
    event = AuditEvent.objects.filter(action=AuditAction.EXPORT).latest("sequence")
    assert event.municipality.code == PRIZREN
    visible = scope_filter(regional, AuditEvent.objects.all())
    assert not visible.filter(municipality__region__code="prizren").exists()
    assert not visible.filter(case__municipality__code=PRIZREN).exists()
    exported = AuditEvent.objects.filter(action=AuditAction.EXPORT, actor=regional)
    assert exported.count() == 2
    assert all(PRIZREN not in e.payload["scope"].get("municipalities", []) for e in exported)


def test_secretaries_see_their_municipality_and_translators_nothing(fx, client):
    report = report_for(fx.t.secretary)
    assert report.scope_codes == [GJILAN]
    assert report.regions[0].incidents == 10
    client.force_login(fx.t.secretary)
    page = client.get(reverse("compliance:dashboard"))
    assert page.status_code == 200 and 'href="/compliance/"' in page.content.decode()
    client.force_login(fx.t.translator)
    assert client.get(reverse("compliance:dashboard")).status_code == 403
    assert client.get(reverse("compliance:export", args=["csv"])).status_code == 403
    assert client.get(reverse("api-compliance")).status_code == 403
    assert 'href="/compliance/"' not in client.get(reverse("home")).content.decode()
    member = user_with_role(Role.MEMBER, "gjilan")
    client.force_login(member)
    assert client.get(reverse("compliance:dashboard")).status_code == 403


def _page_queries(client, user) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("compliance:dashboard"), {"period": "2026"})
    assert response.status_code == 200
    return len(queries)


def test_the_page_runs_a_fixed_number_of_queries(client, monitor, django_assert_max_num_queries):
    t = team("gjilan")
    members = _members(t)
    with freeze_time(NOW):
        # Warm-up (content types, sessions) so that both sizes are measured alike.
        _page_queries(client, monitor)
    for plan in PLANS[:2]:
        _run(t, members, plan)
    with freeze_time(NOW):
        few = _page_queries(client, monitor)
    for plan in PLANS[2:]:
        _run(t, members, plan)
    with freeze_time(NOW):
        many = _page_queries(client, monitor)
        assert few == many, (few, many)
        # Session, user, role assignments, region municipalities, municipalities in scope,
        # scope for the form, case figures (2), percentiles,
        # months, meetings, seats; on PostgreSQL also the savepoint, SET LOCAL jit = off
        # and the release.
        limit = 11 if connection.vendor == "sqlite" else 14
        with django_assert_max_num_queries(limit):
            client.get(reverse("compliance:dashboard"), {"period": "2026"})


def test_periods():
    assert Period.parse("2026") == Period(
        dt.date(2026, 1, 1), dt.date(2026, 12, 31), "2026", "year"
    )
    q3 = Period.parse("2026-Q3")
    assert (q3.start, q3.end, q3.kind) == (dt.date(2026, 7, 1), dt.date(2026, 9, 30), "quarter")
    assert Period.parse("2026-Q4").end == dt.date(2026, 12, 31)
    custom = Period.parse(None, "2026-02-03", "2026-02-10")
    assert (custom.start, custom.end, custom.query()) == (
        dt.date(2026, 2, 3),
        dt.date(2026, 2, 10),
        {"from": "2026-02-03", "to": "2026-02-10"},
    )
    assert Period.parse(today=dt.date(2025, 5, 1)).key == "2025"
    assert custom.start_at == timezone.make_aware(dt.datetime(2026, 2, 3))
    assert custom.end_before == timezone.make_aware(dt.datetime(2026, 2, 11))
    for bad in ("26", "2026-Q5", "last year"):
        with pytest.raises(PeriodError):
            Period.parse(bad)
    with pytest.raises(PeriodError):
        Period.parse(None, "2026-03-01", "2026-02-01")
    with pytest.raises(PeriodError):
        Period.parse(None, "1 March", None)


def test_a_bad_period_is_explained_on_the_page(client, monitor):
    client.force_login(monitor)
    response = client.get(reverse("compliance:dashboard"), {"period": "2026-Q7"})
    assert response.status_code == 400
    assert "quarter (2026-Q3)" in response.content.decode()


def test_the_score_formula():
    def s(done, expected, on_time):
        return StepFigures(
            "x", "x", done, expected, on_time, done - on_time, 0, None, None, None, None, None
        )

    assert response_score([s(10, 10, 10)] * 5) == 100.0
    assert response_score([s(0, 10, 0)]) == 0.0
    assert response_score([s(5, 10, 5)]) == 70.0  # 0.6 x 0.5 + 0.4 x 1
    assert response_score([s(10, 10, 5)]) == 80.0  # 0.6 x 1 + 0.4 x 0.5
    # Steps not yet expected do not count; no expected step, no score.
    assert response_score([s(10, 10, 10), s(0, 0, 0)]) == 100.0
    assert response_score([s(0, 0, 0)]) is None


def test_the_formula_is_on_the_page(client, monitor):
    client.force_login(monitor)
    text = client.get(reverse("compliance:dashboard")).content.decode()
    assert "0.6 × completeness + 0.4 × timeliness" in text
    assert 'id="score-formula"' in text


def test_charts_are_accessible_svg_with_escaped_labels():
    svg = charts.stacked_bars(
        uid="t",
        title="Title <b>",
        desc="Desc & more",
        categories=['<script>alert("x")</script>', "Prizren"],
        series=[
            charts.Series("Closed", [1, 2], charts.Style("#000000", "dots")),
            charts.Series("Open", [0, 3], charts.Style("#ffffff", "solid")),
        ],
    )
    assert svg.startswith("<svg") and 'role="img"' in svg
    assert 'aria-labelledby="t-title t-desc"' in svg
    assert '<title id="t-title">Title &lt;b&gt;</title>' in svg
    assert '<desc id="t-desc">Desc &amp; more</desc>' in svg
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert '<pattern id="t-p0"' in svg and 'fill="url(#t-p0)"' in svg  # not colour alone
    assert ">5</text>" in svg  # the total of a bar, written out
    ranking = charts.ranking(uid="r", title="R", desc="D", rows=[("A", 80.5), ("B", None)])
    assert ">80.5</text>" in ranking and ">—</text>" in ranking
