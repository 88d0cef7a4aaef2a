"""Play the demo data (``cases``, ``councils``) through the real services.

Everything is written as the demo secretary, leadership and translator of each
municipality, so the workflow rules hold and the audit trail is a real hash chain. The
dates the services accept from the user (incident, report, meeting, publication, outreach,
actions) lie in the past weeks and months, in a sensible order; every step is played inside
``recording_at`` the moment it plausibly happened, so its stamps (verified, convened, ...),
its tasks and its audit event's ``as_of`` agree with those dates. The steps of all councils
and cases are played in one chronological order, so the audit trail's sequence follows the
moments its events are recorded for. Meeting records and minutes (``demo_meetings_seed``)
are written afterwards, at the time of seeding.
"""

from __future__ import annotations

import datetime as dt
import heapq
import itertools
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TextIO

from django.contrib.auth import get_user_model
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from casefiles import services
from casefiles.clock import recording_at
from casefiles.demo.cases import _PATH, CASES, DemoCase
from casefiles.demo.councils import (
    COUNCILS,
    DEMO_SLUGS,
    MEETING_PLACES,
    RECORD_LANGUAGE,
    RECORD_TEXT,
    SCHOOLS_ITEM,
    SHOWCASE_ACTIONS,
    SHOWCASE_CASE_SUMMARY,
    SHOWCASE_TEXT,
    SHOWCASE_TRANSLATIONS,
)
from casefiles.models import ActionStatus, Case, CaseState, FollowUpAction
from mcsc.councils.services import (
    council_get_or_create,
    council_member_add,
    meeting_attendance_record,
    meeting_create,
)
from mcsc.models import (
    AttendanceStatus,
    Community,
    Council,
    CouncilMember,
    Language,
    MeetingKind,
    Municipality,
    Seat,
)

# --- Councils and cases ---------------------------------------------------------------


@dataclass
class _Team:
    municipality: Municipality
    secretary: Any
    leadership: Any
    translator: Any
    chair: CouncilMember | None
    members: list[CouncilMember]


def _demo_user(username: str):
    User = get_user_model()
    try:
        return User.objects.get(username=username)
    except User.DoesNotExist:
        raise RuntimeError(
            f"Demo user {username!r} is missing: run `manage.py seed_demo`, which creates the "
            "demo users before the demo cases."
        ) from None


def demo_cases() -> Any:
    """The cases opened by the demo secretaries (the demo data set)."""
    return Case.objects.filter(created_by__username__in=[f"secretary.{s}" for s in DEMO_SLUGS])


def _local(day: dt.date, time: str) -> dt.datetime:
    hour, minute = (int(part) for part in time.split(":"))
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def _council(slug: str, team: _Team, today: dt.date) -> None:
    """Appoint the demo council, unless the council already has members in office."""
    _play([_council_story(slug, team, today)])


def _council_story(slug: str, team: _Team, today: dt.date) -> Story:
    """Appoint the demo council, each member on the day of their appointment, unless the
    council already has members in office; ``team`` knows the members as they join."""
    council = Council.objects.filter(municipality=team.municipality).first()
    in_office = [m for m in council.members.all() if m.is_member_on(today)] if council else []
    team.members = sorted(in_office, key=lambda m: m.pk)
    team.chair = next((m for m in team.members if m.seat == Seat.CHAIR), None)
    if in_office:
        return
    spec = COUNCILS[slug]
    appointed = today - dt.timedelta(days=spec.appointed_days_ago)
    for member in sorted(spec.members, key=lambda m: m.appointed_later_by):
        day = appointed + dt.timedelta(days=member.appointed_later_by)
        decision = spec.later_decision if member.appointed_later_by else spec.decision
        first, last = member.name.lower().split(" ", 1)
        yield _local(day, "09:00")
        council_get_or_create(municipality=team.municipality)
        added = council_member_add(
            user=team.secretary,
            municipality=team.municipality,
            name=member.name,
            seat=member.seat,
            appointed_on=day,
            community=(Community.objects.get(code=member.community) if member.community else None),
            appointment_reference=decision.format(year=day.year),
            email=f"{_ascii(first)}.{_ascii(last)}@demo.invalid",
        )
        team.members = sorted([*team.members, added], key=lambda m: m.pk)
        team.chair = next((m for m in team.members if m.seat == Seat.CHAIR), None)


def _ascii(text: str) -> str:
    table = str.maketrans("ćčđšžçëşğıöü", "ccdszcesgiou")
    return "".join(ch for ch in text.translate(table) if ch.isalnum())


def _held_meeting(team: _Team, spec: DemoCase, case: Case, index: int, starts_at: dt.datetime):
    agenda = [{"case": case}, *({"title": title} for title in spec.other_agenda)]
    if spec.meeting_kind == MeetingKind.REGULAR:
        agenda = [*({"title": title} for title in spec.other_agenda), {"case": case}]
    meeting = meeting_create(
        user=team.secretary,
        municipality=team.municipality,
        kind=spec.meeting_kind,
        starts_at=starts_at,
        place=MEETING_PLACES[spec.slug],
        agenda=agenda,
        chair=team.chair,
    )
    members = [m for m in team.members if m.is_member_on(starts_at.date())]
    council: Council = meeting.council
    required = council.quorum_minimum or len(members) // 2 + 1
    statuses = {m.pk: AttendanceStatus.PRESENT for m in members}
    # One or two members missing, varying from meeting to meeting, never the chair.
    others = [m for m in members if m != team.chair]
    if len(members) - 2 >= required and len(others) >= 2:
        statuses[others[(index + 3) % len(others)].pk] = AttendanceStatus.EXCUSED
        if index % 2:
            statuses[others[(index + 5) % len(others)].pk] = AttendanceStatus.ABSENT
    return meeting_attendance_record(user=team.secretary, meeting=meeting, attendance=statuses)


def _language(code: str) -> Language:
    return Language.objects.get(code=code)


def _reached(case: Case, state: CaseState) -> bool:
    return _PATH.index(case.state) >= _PATH.index(state)


def _recordable(moment: dt.datetime) -> dt.datetime:
    """``moment``, at the latest a minute ago: nothing is recorded as done in the future."""
    return min(moment, timezone.now() - dt.timedelta(minutes=1))


# A story takes one thing of the demo (a council, a case) through its steps. It yields the
# moment of its next step before taking it; ``_play`` resumes the story whose next step is
# the earliest inside ``recording_at`` that moment, so every step of every story is written
# in the order it happened, and the audit trail's sequence agrees with the moments its
# events are recorded for.
Story = Iterator[dt.datetime]


def _play(stories: list[Story]) -> None:
    """Take all stories through their steps in the global order of their moments."""
    queue: list[tuple[dt.datetime, int, Story]] = []
    for order, story in enumerate(stories):
        moment = next(story, None)
        if moment is not None:
            heapq.heappush(queue, (_recordable(moment), order, story))
    while queue:
        moment, order, story = heapq.heappop(queue)
        with recording_at(moment):
            following = next(story, None)
        if following is not None:
            # A story never goes back in time, even if its data would have it.
            heapq.heappush(queue, (max(_recordable(following), moment), order, story))


def _case_story(team: _Team, spec: DemoCase, index: int, now: dt.datetime) -> Story:
    """Open the case and take it along the lifecycle to ``spec.target`` through the
    services, each step at a plausible moment after the one before."""
    yield _reported_at(spec, now)
    case = _open(team, spec, now)
    year = timezone.localtime(case.reported_at).year
    verified_at = case.reported_at + dt.timedelta(hours=5)
    if spec.target == CaseState.DISMISSED:
        yield verified_at
        services.case_dismiss(
            user=team.secretary, case=case, reason=spec.dismissal_reason.format(year=year)
        )
        return
    target = spec.target
    occurred = timezone.localtime(case.occurred_at).date()

    if _reached(case, target):
        return
    source, reference = spec.verification
    yield verified_at
    case = _verify(team, spec, case, source, reference, year)

    if _reached(case, target):
        return
    starts_at = _local(occurred + dt.timedelta(days=spec.meeting_after_days), spec.meeting_time)
    # The secretary records the meeting once it is over, and the case as convened after.
    yield starts_at + dt.timedelta(hours=2)
    meeting = _held_meeting(team, spec, case, index, starts_at)
    convened_at = meeting.starts_at + dt.timedelta(hours=3)
    yield convened_at
    case = services.case_convene(user=team.secretary, case=case, meeting=meeting)

    if _reached(case, target):
        return
    published_at = _local(occurred + dt.timedelta(days=spec.publish_after_days), "12:30")
    window = max(published_at - convened_at, dt.timedelta(hours=10))
    yield from _statement(team, spec, case, target, lambda share: convened_at + window * share)
    case = Case.objects.get(pk=case.pk)

    if _reached(case, target):
        return
    yield max(published_at, convened_at + window)
    case = services.statement_publish(
        user=team.secretary,
        case=case,
        channels=spec.channels,
        published_at=published_at,
    )

    if _reached(case, target):
        return
    outreach = spec.outreach
    held_on = occurred + dt.timedelta(days=outreach.days_after_incident)
    yield _local(held_on, "18:00")
    _outreach(team, case, outreach, held_on)
    case = Case.objects.get(pk=case.pk)

    if _reached(case, target):
        return
    yield _local(held_on + dt.timedelta(days=1), "10:00")
    case = _follow_up(team, spec, case, meeting, held_on)
    yield from _follow_up_progress(team, spec, case, held_on)

    if _reached(case, target):
        return
    finished = [a.done_days for a in spec.actions if a.done_days is not None]
    summary, before, after = spec.closing
    closing_day = held_on + dt.timedelta(days=max(finished, default=13) + 1)
    yield _local(closing_day, "11:00")
    services.case_close(
        user=team.secretary,
        case=case,
        closing_summary=summary,
        safety_before=before,
        safety_after=after,
    )


def _verify(team: _Team, spec: DemoCase, case: Case, source: str, reference: str, year: int):
    return services.case_verify(
        user=team.secretary,
        case=case,
        verification_source=source,
        verification_reference=reference.format(year=year),
        category=case.category,
        affected_community=case.affected_community,
        settlement=case.settlement,
        location=case.location,
    )


def _statement(team: _Team, spec: DemoCase, case: Case, target, during_drafting) -> Story:
    """Draft (once rejected where the spec says so), approve and translate the statement."""
    source_code, *translation_codes = spec.statement
    if spec.rejected_draft is not None:
        draft, comment = spec.rejected_draft
        yield during_drafting(0.1)
        services.statement_draft(
            user=team.secretary,
            case=case,
            language=_language(source_code),
            title=draft.title,
            text=draft.text,
        )
        yield during_drafting(0.2)
        services.statement_reject(user=team.leadership, case=case, comment=comment)
    source_text = spec.statement[source_code]
    yield during_drafting(0.3)
    services.statement_draft(
        user=team.secretary,
        case=case,
        language=_language(source_code),
        title=source_text.title,
        text=source_text.text,
    )
    if target == CaseState.STATEMENT_DRAFTED:
        return
    yield during_drafting(0.5)
    services.statement_approve(user=team.leadership, case=case)
    # One language after the other between approval and publication, each reviewed soon
    # after it is saved.
    share = 0.4 / max(len(translation_codes), 1)
    for position, code in enumerate(translation_codes):
        translation = spec.statement[code]
        yield during_drafting(0.55 + share * position)
        services.translation_save(
            user=team.translator,
            case=case,
            language=_language(code),
            title=translation.title,
            text=translation.text,
        )
        if code not in spec.unapproved:
            yield during_drafting(0.55 + share * (position + 0.5))
            services.translation_approve(user=team.secretary, case=case, language=_language(code))


def _outreach(team: _Team, case: Case, outreach, held_on: dt.date) -> None:
    services.outreach_record(
        user=team.secretary,
        case=case,
        held_on=held_on,
        place=outreach.place,
        officials_present=outreach.officials_present,
        participants_women=outreach.women,
        participants_men=outreach.men,
        participants_other=0,
        concerns_raised=outreach.concerns_raised,
        commitments_made=outreach.commitments_made,
        language=_language(outreach.language),
    )


def _follow_up(team: _Team, spec: DemoCase, case: Case, meeting, held_on: dt.date) -> Case:
    case = services.follow_up_start(
        user=team.secretary,
        case=case,
        actions=[
            {
                "description": a.description,
                "owner": a.owner,
                "due_on": held_on + dt.timedelta(days=a.due_days),
            }
            for a in spec.actions
            if not a.from_meeting
        ],
    )
    agenda_item = meeting.agenda_items.get(case=case)
    for action in spec.actions:
        if action.from_meeting:
            services.follow_up_action_add(
                user=team.secretary,
                case=case,
                description=action.description,
                owner=action.owner,
                due_on=held_on + dt.timedelta(days=action.due_days),
                source_agenda_item=agenda_item,
            )
    return case


def _follow_up_progress(team: _Team, spec: DemoCase, case: Case, held_on: dt.date) -> Story:
    """Each action marked done on the day it was done; a dropped one on its due day."""
    recorded = {a.description: a for a in case.follow_up_actions.all()}
    updates = sorted(
        (
            (held_on + dt.timedelta(days=action.done_days), "16:00", action)
            if action.done_days is not None
            else (held_on + dt.timedelta(days=action.due_days), "09:00", action)
        )
        for action in spec.actions
        if action.done_days is not None or action.drop_reason
    )
    for day, time, action in updates:
        yield _local(day, time)
        if action.done_days is not None:
            services.follow_up_action_update(
                user=team.secretary,
                action=recorded[action.description],
                status=ActionStatus.DONE,
                completed_on=day,
            )
        else:
            services.follow_up_action_update(
                user=team.secretary,
                action=recorded[action.description],
                status=ActionStatus.DROPPED,
                drop_reason=action.drop_reason,
            )


def _occurred_at(spec: DemoCase, now: dt.datetime) -> dt.datetime:
    if spec.occurred_hours_ago is not None:
        return now - dt.timedelta(hours=spec.occurred_hours_ago)
    day = timezone.localtime(now).date() - dt.timedelta(days=spec.occurred_days_ago)
    return _local(day, spec.occurred_time)


def _reported_at(spec: DemoCase, now: dt.datetime) -> dt.datetime:
    return min(_occurred_at(spec, now) + dt.timedelta(minutes=spec.report_delay_minutes), now)


def _open(team: _Team, spec: DemoCase, now: dt.datetime) -> Case:
    reported_at = _reported_at(spec, now)
    year = timezone.localtime(reported_at).year
    latitude, longitude = (
        (Decimal(c) for c in spec.coordinates) if spec.coordinates else (None,) * 2
    )
    return services.case_open(
        user=team.secretary,
        municipality=team.municipality,
        occurred_at=_occurred_at(spec, now),
        reported_at=reported_at,
        settlement=spec.settlement,
        location=spec.location,
        latitude=latitude,
        longitude=longitude,
        category=spec.category,
        affected_community=Community.objects.get(code=spec.community),
        summary=spec.summary,
        source=spec.source,
        source_reference=spec.source_reference.format(year=year),
        people=spec.people,
    )


def _seed() -> None:
    now = timezone.now()
    today = timezone.localdate()
    stories: list[Story] = []
    teams: dict[str, _Team] = {}
    for slug in DEMO_SLUGS:
        team = _Team(
            municipality=Municipality.objects.get(slug=slug),
            secretary=_demo_user(f"secretary.{slug}"),
            leadership=_demo_user(f"leadership.{slug}"),
            translator=_demo_user(f"translator.{slug}"),
            chair=None,
            members=[],
        )
        stories.append(_council_story(slug, team, today))
        teams[slug] = team
    # Oldest report first, so that case numbers follow the order of the reports.
    ordered = sorted(CASES, key=lambda spec: _reported_at(spec, now))
    stories += [
        _case_story(teams[spec.slug], spec, index, now) for index, spec in enumerate(ordered)
    ]
    _play(stories)


def demo_cases_summary() -> str:
    cases = demo_cases()
    by_state = Counter(cases.values_list("state", flat=True))
    by_municipality = Counter(cases.values_list("municipality__case_prefix", flat=True))
    states = ", ".join(
        f"{state} {by_state[state]}" for state in CaseState.values if by_state[state]
    )
    places = ", ".join(f"{prefix} {n}" for prefix, n in sorted(by_municipality.items()))
    return f"Demo cases: {cases.count()} ({places}) - {states or 'none'}"


def demo_cases_seed(stdout: TextIO | None = None) -> str:
    """Create the demo councils, meetings and cases once; later runs change nothing.

    Needs the demo users (``mcsc.demo.demo_users_seed``). Writes and returns a one-line
    summary of the demo cases by state.
    """
    if not demo_cases().exists():
        # Demo steps are history, not news: no mail to the demo addresses when the
        # transaction commits.
        with (
            override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"),
            transaction.atomic(),
        ):
            _seed()
    summary = demo_cases_summary()
    (stdout or sys.stdout).write(summary + "\n")
    demo_meetings_seed(stdout)
    return summary


# --- Meeting records, minutes and an upcoming meeting -----------------------------------


def demo_meetings():
    from mcsc.models import Meeting

    return Meeting.objects.filter(created_by__username__in=[f"secretary.{s}" for s in DEMO_SLUGS])


def _record_meeting(team: _Team, meeting, text: dict[str, str], showcase: bool) -> None:
    """Discussion, decisions, guests and action items of a held demo meeting."""
    from mcsc.councils import services as council

    if showcase:
        council.agenda_item_add(user=team.secretary, meeting=meeting, title=SCHOOLS_ITEM)
    items = list(meeting.agenda_items.select_related("case").order_by("position"))
    for item in items:
        if showcase:
            key = "case" if item.case_id else "schools"
            council.agenda_item_record(
                user=team.secretary,
                item=item,
                title=item.title,
                discussion=SHOWCASE_TEXT[key]["discussion"],
                decisions=SHOWCASE_TEXT[key]["decisions"],
                translations={code: texts[key] for code, texts in SHOWCASE_TRANSLATIONS.items()},
            )
        elif item.case_id:
            values = {"reference": item.case.reference, "settlement": item.case.settlement}
            council.agenda_item_record(
                user=team.secretary,
                item=item,
                title=item.title,
                discussion=text["case_discussion"].format(**values),
                decisions=text["case_decisions"],
            )
        else:
            council.agenda_item_record(
                user=team.secretary,
                item=item,
                title=item.title,
                discussion=text["item_discussion"],
                decisions=text["item_decisions"],
            )
    name, organisation = text["guest"]
    council.guest_add(user=team.secretary, meeting=meeting, name=name, organisation=organisation)
    if not showcase:
        return
    case_item = next(item for item in items if item.case_id)
    day = timezone.localtime(meeting.starts_at).date()
    from_case = FollowUpAction.objects.filter(source_agenda_item=case_item).first()
    for spec in SHOWCASE_ACTIONS:
        council.action_item_add(
            user=team.secretary,
            meeting=meeting,
            agenda_item=case_item,
            description=spec["description"],
            owner=spec["owner"],
            due_on=from_case.due_on
            if spec["from_case"] and from_case
            else day + dt.timedelta(days=spec["due_days"]),
            translations={
                code: {"description": value} for code, value in spec["translations"].items()
            },
            follow_up_action=from_case if spec["from_case"] else None,
        )


def _meeting_records_seed(teams: dict[str, _Team]) -> None:
    """Fill the held demo meetings, approve their minutes at the next meeting (all but the
    latest, which waits for the upcoming meeting) and schedule an upcoming meeting with its
    invitation."""
    from mcsc.councils import services as council

    now = timezone.now()
    for slug, team in teams.items():
        text = RECORD_TEXT[RECORD_LANGUAGE[slug]]
        held = list(
            demo_meetings()
            .filter(municipality=team.municipality, starts_at__lte=now)
            .order_by("starts_at")
        )
        for meeting in held:
            showcase = meeting.agenda_items.filter(
                case__summary__startswith=SHOWCASE_CASE_SUMMARY
            ).exists()
            _record_meeting(team, meeting, text, showcase)
        for meeting, next_meeting in itertools.pairwise(held):
            council.minutes_approve(
                user=team.leadership, meeting=meeting, approving_meeting=next_meeting
            )
        upcoming = council.meeting_create(
            user=team.secretary,
            municipality=team.municipality,
            kind=MeetingKind.REGULAR,
            starts_at=_local(timezone.localdate() + dt.timedelta(days=9), "10:00"),
            place=MEETING_PLACES[slug],
            agenda=[{"title": title} for title in text["upcoming"]],
            chair=team.chair,
        )
        council.meeting_invite(user=team.secretary, meeting=upcoming)


def demo_meetings_seed(stdout: TextIO | None = None) -> str:
    """The demo councils' meeting records, approved minutes and an upcoming meeting, once."""
    from mcsc.models import Minutes

    if demo_cases().exists() and not Minutes.objects.filter(meeting__in=demo_meetings()).exists():
        with (
            override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"),
            transaction.atomic(),
        ):
            teams = {}
            for slug in DEMO_SLUGS:
                team = _Team(
                    municipality=Municipality.objects.get(slug=slug),
                    secretary=_demo_user(f"secretary.{slug}"),
                    leadership=_demo_user(f"leadership.{slug}"),
                    translator=_demo_user(f"translator.{slug}"),
                    chair=None,
                    members=[],
                )
                _council(slug, team, timezone.localdate())
                teams[slug] = team
            _meeting_records_seed(teams)
    approved = Minutes.objects.filter(meeting__in=demo_meetings()).count()
    upcoming = demo_meetings().filter(starts_at__gt=timezone.now()).count()
    summary = (
        f"Demo meetings: {demo_meetings().count()} "
        f"({approved} with approved minutes, {upcoming} upcoming)"
    )
    (stdout or sys.stdout).write(summary + "\n")
    return summary
