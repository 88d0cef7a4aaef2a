"""How the compliance dashboard scales with the number of cases, on PostgreSQL.

    scripts/with-postgres.sh .venv/bin/python bench/compliance_bench.py [--sizes 1000 50000]

Reads ``DATABASE_URL`` (``scripts/with-postgres.sh`` points it at a throwaway cluster;
without it the script falls back to an in-memory SQLite database, for a quick look only).
It migrates, then for each size tops the data up to N synthetic cases spread over the 38
municipalities (weighted by population) with a realistic spread of states and step
timestamps, one council per municipality with a meeting every week and its attendance,
published statements with their translations, outreach activities, and one hash-chained
audit event per case (appended after the chain's current head, hashes computed in a loop
and inserted in batches). Rows go in with ``bulk_create``; the services would take hours.

For each size it prints the median of 5 runs (after a warm-up) of:

- ``report``:   ``casefiles.compliance.report.compliance_report`` for the current year, for a
                monitor of all municipalities, and its number of queries;
- ``page``:     the whole dashboard request through Django's test client (session,
                scope, report, the four SVG charts, template), and its number of queries;
- ``baseline``: ``SELECT municipality_id, COUNT(*) FROM casefiles_case GROUP BY 1``;

and the ratios report / baseline and page / baseline.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
os.environ.setdefault("DATABASE_URL", "sqlite://:memory:")
os.environ.setdefault("LOG_LEVEL", "WARNING")

import django

django.setup()

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from casefiles.audit.chain import event_hash
from casefiles.compliance.periods import Period
from casefiles.compliance.report import compliance_report
from casefiles.models import (
    AuditAction,
    AuditEvent,
    AuditHead,
    Case,
    CaseState,
    Category,
    OutreachActivity,
    Source,
    Statement,
    StatementStatus,
    Translation,
    TranslationStatus,
)
from mcsc.languages import required_languages
from mcsc.models import (
    Attendance,
    AttendanceStatus,
    Community,
    Council,
    CouncilMember,
    Language,
    Meeting,
    MeetingKind,
    Municipality,
    Role,
    RoleAssignment,
    Seat,
)
from workflows.models import DeadlinePolicy

BATCH = 5000
RUNS = 5
# Share of cases by the furthest state reached, roughly what a year of incidents looks
# like once most have run their course.
STATES = [
    (CaseState.REPORTED, 4),
    (CaseState.DISMISSED, 8),
    (CaseState.VERIFIED, 5),
    (CaseState.COUNCIL_CONVENED, 5),
    (CaseState.STATEMENT_DRAFTED, 3),
    (CaseState.STATEMENT_APPROVED, 4),
    (CaseState.STATEMENT_PUBLISHED, 8),
    (CaseState.OUTREACH_CONDUCTED, 10),
    (CaseState.FOLLOW_UP, 15),
    (CaseState.CLOSED, 38),
]
PATH = [
    CaseState.REPORTED,
    CaseState.VERIFIED,
    CaseState.COUNCIL_CONVENED,
    CaseState.STATEMENT_DRAFTED,
    CaseState.STATEMENT_APPROVED,
    CaseState.STATEMENT_PUBLISHED,
    CaseState.OUTREACH_CONDUCTED,
    CaseState.FOLLOW_UP,
    CaseState.CLOSED,
]
COMMUNITIES = [("serb", 30), ("roma", 15), ("ashkali", 10), ("egyptian", 5), ("bosniak", 10)]
COMMUNITIES += [("turk", 10), ("gorani", 5), ("albanian", 15)]


class World:
    """The reference rows and synthetic fixtures every batch of cases uses."""

    def __init__(self, rng: random.Random, now: dt.datetime):
        self.rng, self.now = rng, now
        # In UTC: adding days to a Europe/Belgrade datetime is wall-clock arithmetic, which
        # goes wrong across the change to summer time.
        self.year_start = timezone.make_aware(dt.datetime(now.year, 1, 1)).astimezone(dt.UTC)
        self.municipalities = list(
            Municipality.objects.prefetch_related("official_languages", "languages_in_official_use")
        )
        self.weights = [m.population_2011 or 10000 for m in self.municipalities]
        self.communities = {c.code: c for c in Community.objects.select_related("language")}
        self.languages = {language.code: language for language in Language.objects.all()}
        User = get_user_model()
        self.user, _ = User.objects.get_or_create(username="bench.secretary")
        self.monitor, created = User.objects.get_or_create(username="bench.monitor")
        if created:
            RoleAssignment.objects.create(user=self.monitor, role=Role.MONITOR)
        self.meetings = self._councils()
        self.required: dict[tuple[int, str], list[Language]] = {}

    def _councils(self) -> dict[int, list[Meeting]]:
        """A council of six per municipality and a meeting every week of the year."""
        if Meeting.objects.filter(place="Bench hall").exists():
            meetings = Meeting.objects.filter(place="Bench hall").order_by("starts_at")
            by_municipality: dict[int, list[Meeting]] = {}
            for meeting in meetings:
                by_municipality.setdefault(meeting.municipality_id, []).append(meeting)
            return by_municipality
        with transaction.atomic():
            for m in self.municipalities[:3]:  # some municipalities have their own deadlines
                DeadlinePolicy.objects.get_or_create(
                    municipality=m, defaults={"verify_days": 2, "publish_days": 3}
                )
            councils = Council.objects.bulk_create(
                [Council(municipality=m) for m in self.municipalities], ignore_conflicts=True
            )
            councils = {c.municipality_id: c for c in Council.objects.all()}
            seats = [
                (Seat.CHAIR, None),
                (Seat.POLICE_COMMANDER, None),
                (Seat.COMMUNITY_REPRESENTATIVE, "serb"),
                (Seat.COMMUNITY_REPRESENTATIVE, "roma"),
                (Seat.COMMUNITY_REPRESENTATIVE, "turk"),
                (Seat.CIVIL_SOCIETY, None),
            ]
            members = CouncilMember.objects.bulk_create(
                [
                    CouncilMember(
                        council=councils[m.pk],
                        municipality=m,
                        name=f"Member {i}",
                        seat=seat,
                        community=self.communities[code] if code else None,
                        appointed_on=dt.date(2020, 1, 1),
                    )
                    for m in self.municipalities
                    for i, (seat, code) in enumerate(seats)
                ]
            )
            by_council: dict[int, list[CouncilMember]] = {}
            for member in members:
                by_council.setdefault(member.council_id, []).append(member)
            meetings = []
            day = self.year_start + dt.timedelta(hours=10)
            week = 0
            while day < self.now:
                for m in self.municipalities:
                    meetings.append(
                        Meeting(
                            council=councils[m.pk],
                            municipality=m,
                            kind=MeetingKind.REGULAR
                            if week % 4 == 0
                            else MeetingKind.EXTRAORDINARY,
                            starts_at=day + dt.timedelta(days=self.rng.randrange(0, 5)),
                            place="Bench hall",
                            created_by=self.user,
                        )
                    )
                day += dt.timedelta(days=7)
                week += 1
            meetings = Meeting.objects.bulk_create(meetings, batch_size=BATCH)
            attendance = []
            for meeting in meetings:
                for member in by_council[meeting.council_id]:
                    present = self.rng.random() < 0.8
                    attendance.append(
                        Attendance(
                            meeting=meeting,
                            member=member,
                            status=AttendanceStatus.PRESENT if present else AttendanceStatus.ABSENT,
                        )
                    )
            Attendance.objects.bulk_create(attendance, batch_size=BATCH)
        by_municipality = {}
        for meeting in sorted(meetings, key=lambda m: m.starts_at):
            by_municipality.setdefault(meeting.municipality_id, []).append(meeting)
        return by_municipality

    def required_for(self, municipality: Municipality, community: Community) -> list[Language]:
        key = (municipality.pk, community.code)
        if key not in self.required:
            self.required[key] = required_languages(municipality=municipality, community=community)
        return self.required[key]


def _days(rng: random.Random, mean: float) -> dt.timedelta:
    return dt.timedelta(days=rng.expovariate(1 / mean))


def _meeting_after(meetings: list[Meeting], moment: dt.datetime) -> Meeting | None:
    low, high = 0, len(meetings)
    while low < high:
        middle = (low + high) // 2
        if meetings[middle].starts_at <= moment:
            low = middle + 1
        else:
            high = middle
    return meetings[low] if low < len(meetings) else None


def synthetic_case(world: World, number: int) -> tuple[Case, dict]:
    """One case with timestamps up to its target state (cut back where they would lie in
    the future), and what its step records need."""
    rng, now = world.rng, world.now
    municipality = rng.choices(world.municipalities, world.weights)[0]
    community = world.communities[rng.choices(*zip(*COMMUNITIES, strict=True))[0]]
    span = (now - dt.timedelta(days=1) - world.year_start).total_seconds()
    occurred = world.year_start + dt.timedelta(seconds=rng.uniform(0, span))
    reported = occurred + dt.timedelta(hours=rng.uniform(0.5, 48))
    target = rng.choices(*zip(*STATES, strict=True))[0]
    fields: dict = {}
    extra: dict = {}
    state = CaseState.REPORTED
    last = reported
    if target == CaseState.DISMISSED:
        dismissed = reported + _days(rng, 2)
        if dismissed < now:
            state, last = CaseState.DISMISSED, dismissed
            fields.update(dismissed_at=dismissed, dismissal_reason="Not an ethnic incident.")
    else:
        goal = PATH.index(target)
        verified = reported + _days(rng, 1.2)
        if goal >= 1 and verified < now:
            state, last = CaseState.VERIFIED, verified
            fields["verified_at"] = verified
            fields["verification_source"] = "police"
            meeting = _meeting_after(world.meetings[municipality.pk], verified)
            if goal >= 2 and meeting and meeting.starts_at + dt.timedelta(hours=2) < now:
                convened = meeting.starts_at + dt.timedelta(hours=2)
                state, last = CaseState.COUNCIL_CONVENED, convened
                fields.update(convened_meeting=meeting, convened_at=convened)
                published = convened + _days(rng, 2.5)
                if goal >= 3:
                    state = PATH[min(goal, 4)]
                if goal >= 5 and published < now:
                    state, last = CaseState.STATEMENT_PUBLISHED, published
                    fields.update(published_at=published, publication_channels=["website"])
                    extra["statement"] = rng.random() > 0.04  # a few lack a translation
                    held = timezone.localtime(published + _days(rng, 5)).date()
                    outreach_at = timezone.make_aware(dt.datetime.combine(held, dt.time(18)))
                    if goal >= 6 and outreach_at < now:
                        state, last = CaseState.OUTREACH_CONDUCTED, outreach_at
                        fields["outreach_at"] = outreach_at
                        extra["held_on"] = held
                        started = outreach_at + dt.timedelta(days=1)
                        if goal >= 7 and started < now:
                            state, last = CaseState.FOLLOW_UP, started
                            fields["follow_up_started_at"] = started
                            closed = outreach_at + dt.timedelta(days=rng.uniform(7, 70))
                            if goal >= 8 and closed < now:
                                state, last = CaseState.CLOSED, closed
                                fields.update(closed_at=closed, closing_summary="Done.")
    due_at = _due(state, fields, reported, municipality)
    case = Case(
        reference=f"{municipality.case_prefix}-B{number:07d}",
        municipality=municipality,
        year=occurred.year,
        number=1_000_000 + number,
        state=state,
        state_changed_at=last,
        due_at=due_at,
        occurred_at=occurred,
        reported_at=reported,
        settlement="Bench settlement",
        category=rng.choice(Category.values),
        affected_community=community,
        summary="Synthetic incident (benchmark).",
        source=rng.choice(Source.values),
        created_by=world.user,
        **fields,
    )
    return case, extra


def _due(state: str, fields: dict, reported: dt.datetime, municipality) -> dt.datetime | None:
    from workflows.deadlines import STATE_STEP

    if state not in STATE_STEP:
        return None
    step, start_field = STATE_STEP[state]
    start = reported if start_field == "reported_at" else fields.get(start_field)
    return start + dt.timedelta(days=settings.MCSC_DEADLINE_DAYS[step]) if start else None


def add_cases(world: World, target: int) -> int:
    """Insert cases (and their records and audit events) until there are ``target``."""
    existing = Case.objects.count()
    missing = target - existing
    for offset in range(0, max(missing, 0), BATCH):
        size = min(BATCH, missing - offset)
        with transaction.atomic():
            built = [synthetic_case(world, existing + offset + i) for i in range(size)]
            cases = Case.objects.bulk_create([case for case, _ in built])
            statements, translations, outreach = [], [], []
            for case, extra in built:
                if "statement" in extra:
                    statements.append(
                        Statement(
                            case=case,
                            version=1,
                            language=world.languages["sq"],
                            title="Statement",
                            text="The municipality condemns the attack.",
                            status=StatementStatus.PUBLISHED,
                            drafted_by=world.user,
                        )
                    )
                if "held_on" in extra:
                    outreach.append(
                        OutreachActivity(
                            case=case,
                            held_on=extra["held_on"],
                            place="Community centre",
                            officials_present="Deputy mayor",
                            participants_women=4,
                            participants_men=5,
                            concerns_raised="Safety.",
                            language=case.affected_community.language,
                            recorded_by=world.user,
                        )
                    )
            statements = Statement.objects.bulk_create(statements)
            complete = {
                case.pk: extra["statement"] for case, extra in built if "statement" in extra
            }
            for statement in statements:
                case = statement.case
                languages = [
                    language
                    for language in world.required_for(case.municipality, case.affected_community)
                    if language.code != "sq"
                ]
                if not complete[case.pk] and languages:
                    languages = languages[1:]
                translations += [
                    Translation(
                        statement=statement,
                        language=language,
                        title="Title",
                        text="Text",
                        status=TranslationStatus.APPROVED,
                        translator=world.user,
                    )
                    for language in languages
                ]
            Translation.objects.bulk_create(translations, batch_size=BATCH)
            OutreachActivity.objects.bulk_create(outreach, batch_size=BATCH)
            _audit(world, cases)
    return Case.objects.count()


def _audit(world: World, cases: list[Case]) -> None:
    """One ``case.open`` event per case, chained after the current head."""
    head = AuditHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        head = AuditHead.objects.create(singleton=1)
        head = AuditHead.objects.select_for_update().get(pk=1)
    events, sequence, previous = [], head.count, head.hash
    for case in cases:
        sequence += 1
        event = AuditEvent(
            sequence=sequence,
            created_at=case.reported_at,
            actor=world.user,
            actor_name=world.user.username,
            action=AuditAction.CASE_OPEN,
            municipality_id=case.municipality_id,
            case_id=case.pk,
            object_type="casefiles.case",
            object_id=str(case.pk),
            to_state=CaseState.REPORTED,
            payload={"reference": case.reference},
            previous_hash=previous,
        )
        event.hash = event_hash(event)
        previous = event.hash
        events.append(event)
    AuditEvent.objects.bulk_create(events, batch_size=BATCH)
    head.count, head.hash = sequence, previous
    head.save(update_fields=["count", "hash"])


def _median_ms(call, runs: int = RUNS) -> tuple[float, int]:
    call()  # warm-up
    times, queries = [], 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            call()
            times.append((time.perf_counter() - start) * 1000)
        queries = len(captured)
    return statistics.median(times), queries


def measure(world: World) -> dict:
    period = Period.year(world.now.year)

    def report():
        # A fresh user object each time, as in a request (the scope is cached on it).
        user = get_user_model().objects.get(pk=world.monitor.pk)
        return compliance_report(user=user, period=period)

    client = Client()
    client.force_login(world.monitor)

    def page():
        response = client.get("/compliance/", {"period": period.key})
        assert response.status_code == 200, response.status_code

    def baseline():
        with connection.cursor() as cursor:
            cursor.execute("SELECT municipality_id, COUNT(*) FROM casefiles_case GROUP BY 1")
            return cursor.fetchall()

    report_ms, report_queries = _median_ms(report)
    page_ms, page_queries = _median_ms(page)
    baseline_ms, _ = _median_ms(baseline)
    return {
        "report_ms": report_ms,
        "report_queries": report_queries,
        "page_ms": page_ms,
        "page_queries": page_queries,
        "baseline_ms": baseline_ms,
        "incidents": report().total.incidents,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 50000])
    parser.add_argument("--seed", type=int, default=20260101)
    args = parser.parse_args()
    vendor = connection.vendor
    if vendor != "postgresql":
        print(f"warning: running on {vendor}, not PostgreSQL (set DATABASE_URL)", file=sys.stderr)
    call_command("migrate", verbosity=0)
    now = timezone.now()
    world = World(random.Random(args.seed), now)
    version = connection.cursor().connection.info.server_version if vendor == "postgresql" else ""
    print(
        f"{vendor} {version} — {len(world.municipalities)} municipalities, "
        f"{sum(len(m) for m in world.meetings.values())} meetings, period {now.year}"
    )
    header = (
        f"{'cases':>8} {'in period':>9} {'report ms':>10} {'q':>3} {'page ms':>9} {'q':>3} "
        f"{'baseline ms':>12} {'report/base':>12} {'page/base':>10} {'insert s':>9}"
    )
    print(header)
    print("-" * len(header))
    for size in sorted(args.sizes):
        start = time.perf_counter()
        count = add_cases(world, size)
        if vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        inserted = time.perf_counter() - start
        m = measure(world)
        print(
            f"{count:>8,} {m['incidents']:>9,} {m['report_ms']:>10.1f} {m['report_queries']:>3} "
            f"{m['page_ms']:>9.1f} {m['page_queries']:>3} {m['baseline_ms']:>12.2f} "
            f"{m['report_ms'] / m['baseline_ms']:>12.1f} {m['page_ms'] / m['baseline_ms']:>10.1f} "
            f"{inserted:>9.1f}"
        )
        sys.stdout.flush()


if __name__ == "__main__":
    main()
