"""The council pages: council (members, meetings, attendance rates), meetings (record,
agenda, attendance, guests, action items, invitation) and minutes (preview, PDF per
language, approval, amendment).

Every read goes through the scoped selectors (404 outside scope, 403 without the right)
and every write through one service call, whose ``ValidationError`` is shown on the form.
A meeting whose minutes are approved is frozen: its edit pages explain how to amend.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mcsc.councils import forms as f
from mcsc.councils import selectors, services
from mcsc.councils.meetings import (
    MinutesApproved,
    current_minutes,
    is_editable,
    is_held,
    meeting_quorum,
    minutes_languages,
    quorum_from,
    working_version,
)
from mcsc.councils.minutes import (
    MinutesRenderError,
    minutes_body_html,
    minutes_file,
    minutes_language,
    pdf_response,
)
from mcsc.forms import PageForm, attach_service_errors
from mcsc.models import (
    Council,
    CouncilMember,
    Meeting,
    MinutesStatus,
    Municipality,
    Seat,
)
from mcsc.permissions import (
    Action,
    get_for_user,
    municipality_filter_for_user,
    scope_filter,
    user_can,
)

# --- Helpers ----------------------------------------------------------------------------


def _posted(request: HttpRequest):
    return request.POST if request.method == "POST" else None


def _meeting_url(meeting: Meeting | int, anchor: str = "") -> str:
    pk = meeting if isinstance(meeting, int) else meeting.pk
    url = reverse("mcsc:meeting", kwargs={"pk": pk})
    return f"{url}#{anchor}" if anchor else url


def _council_url(municipality: Municipality) -> str:
    return f"{reverse('mcsc:council')}?municipality={municipality.code}"


def _submit(form, call: Callable[..., Any]) -> tuple[int, Any]:
    """Validate ``form``, run the service; (200, result) or (status, None) with errors on
    the form."""
    if not form.is_valid():
        return 400, None
    try:
        return 200, call()
    except MinutesApproved as exc:
        form.add_error(None, exc.messages[0])
        return 409, None
    except ValidationError as exc:
        attach_service_errors(form, exc)
        return 400, None
    except PermissionDenied as exc:
        form.add_error(None, str(exc) or _("You do not have the right to do this."))
        return 403, None


def _municipality_from_query(request: HttpRequest, action: Action) -> Municipality:
    """``?municipality=<code>`` (404 outside the scope, 400 malformed: ``ValidationError``,
    answered by ``config.guards``), or the user's only municipality."""
    code = (request.GET.get("municipality") or request.POST.get("municipality") or "").strip()
    if code:
        return municipality_filter_for_user(user=request.user, code=code, action=action)
    visible = list(scope_filter(request.user, Municipality.objects.all(), via="pk")[:2])
    if len(visible) != 1:
        raise Http404(_("Choose a municipality."))
    if not user_can(request.user, action, visible[0]):
        raise PermissionDenied(_("You do not have the right to do this in this municipality."))
    return visible[0]


def _next_url(request: HttpRequest) -> str:
    """``?next=``: where to go after saving, when it is a path of this site (anything else,
    another site included, is ignored)."""
    target = (request.GET.get("next") or "").strip()
    if (
        len(target) <= 2000
        and target.startswith("/")
        and not target.startswith(("//", "/\\"))
        and url_has_allowed_host_and_scheme(
            target, allowed_hosts=None, require_https=request.is_secure()
        )
    ):
        return target
    return ""


def _with_next(url: str, target: str) -> str:
    return f"{url}?{urlencode({'next': target})}" if target else url


def _convene_url(case: Any) -> str:
    return reverse("casefiles:step", kwargs={"reference": case.reference, "transition": "convene"})


def _agenda_picker(
    request: HttpRequest, municipality: Municipality, *, posted_keys=(), first: Any = None
) -> tuple[list[Any], dict[str, Any]]:
    """The cases an agenda form offers: the search over every open case of the municipality
    (``?q=``), plus on POST the cases chosen (checked against municipality and scope by the
    selector), plus ``first``. Returns the rows and the search's context."""
    search = f.CaseSearchForm(request.GET or None)
    term = search.cleaned_data["q"].strip() if search.is_bound and search.is_valid() else ""
    found, more = selectors.agenda_case_search(
        user=request.user, municipality=municipality, search=term
    )
    keys = [key for key in posted_keys if key]
    chosen = (
        selectors.agenda_cases_chosen(user=request.user, municipality=municipality, keys=keys)
        if keys
        else []
    )
    rows, seen = [], set()
    for case in [first, *chosen, *found]:
        if case is not None and case.pk not in seen:
            seen.add(case.pk)
            rows.append(case)
    kept = {
        key: request.GET[key]
        for key in ("case", "schedule", "next", "municipality")
        if request.GET.get(key)
    }
    return rows, {
        "search_form": search,
        "search_term": term,
        "search_found": found,
        "search_more": more,
        "search_kept": kept,
    }


def _cases_of(municipality: Municipality) -> list[Any]:
    from casefiles.models import Case

    return list(
        Case.objects.filter(municipality=municipality)
        .only("id", "reference", "category", "state", "municipality_id")
        .order_by("-reported_at")[:200]
    )


def _frozen(request: HttpRequest, meeting: Meeting, title: str) -> HttpResponse:
    """The page shown instead of an edit form when the minutes are approved."""
    minutes = current_minutes(meeting)
    return render(
        request,
        "mcsc/meeting_frozen.html",
        {
            "meeting": meeting,
            "title": title,
            "message": MinutesApproved(minutes).messages[0],
            "can_amend": user_can(request.user, Action.MEETING_MANAGE, meeting),
        },
        status=409,
    )


def _form_page(
    request: HttpRequest,
    *,
    meeting: Meeting | None,
    form,
    title: str,
    submit: str,
    status: int = 200,
    intro: str = "",
    back: str = "",
    template: str = "mcsc/form_page.html",
    **extra: Any,
) -> HttpResponse:
    return render(
        request,
        template,
        {
            "meeting": meeting,
            "form": form,
            "title": title,
            "submit": submit,
            "intro": intro,
            "back": back or (_meeting_url(meeting) if meeting else reverse("mcsc:council")),
            **extra,
        },
        status=status,
    )


# --- Council ----------------------------------------------------------------------------


def _year_start(now: dt.datetime) -> dt.datetime:
    local = timezone.localtime(now)
    return local.replace(month=1, day=1, hour=0, minute=0, second=0, microsecond=0)


@require_GET
def council(request: HttpRequest) -> HttpResponse:
    user = request.user
    code = (request.GET.get("municipality") or "").strip()
    if not code:
        visible = list(scope_filter(user, Municipality.objects.all(), via="pk"))
        if len(visible) != 1:
            return render(request, "mcsc/council_choose.html", {"municipalities": visible})
        municipality = visible[0]
    else:
        municipality = municipality_filter_for_user(user=user, code=code)
    council_row = Council.objects.filter(municipality=municipality).first()
    now = timezone.now()
    members, rates, upcoming, past = [], {}, [], []
    if council_row is not None:
        members = selectors.council_members(council_row)
        rates = selectors.attendance_rates(council_row, since=_year_start(now), until=now)
        upcoming, past = selectors.council_meetings(council_row, now=now)
    for meeting in past:
        meeting.quorum = quorum_from(
            meeting,
            members=members,
            attendance=meeting.attendance.all(),
            quorum_minimum=council_row.quorum_minimum,
        )
        meeting.attendance_recorded = bool(meeting.attendance.all())
    for meeting in [*upcoming, *past]:
        meeting.current_minutes = current_minutes(meeting)
    today = timezone.localdate()
    rows = [
        {"member": m, "in_office": m.is_member_on(today), "rate": rates.get(m.pk)} for m in members
    ]
    return render(
        request,
        "mcsc/council.html",
        {
            "municipality": municipality,
            "council": council_row,
            "rows": rows,
            "current_count": sum(1 for r in rows if r["in_office"]),
            "upcoming": upcoming,
            "past": past,
            "year": timezone.localtime(now).year,
            "show_contacts": user_can(user, Action.VIEW_PERSONAL_DATA, municipality),
            "can_manage": user_can(user, Action.COUNCIL_MANAGE, municipality),
            "can_meet": user_can(user, Action.MEETING_MANAGE, municipality),
            "quorum_rule": council_row.quorum_minimum if council_row else None,
        },
    )


@require_http_methods(["GET", "POST"])
def council_settings(request: HttpRequest) -> HttpResponse:
    municipality = _municipality_from_query(request, Action.COUNCIL_MANAGE)
    council_row = selectors.council_of(municipality)  # unsaved until the first POST
    form = f.CouncilSettingsForm(
        _posted(request),
        initial={"name": council_row.name, "quorum_minimum": council_row.quorum_minimum},
    )
    status = 200
    if request.method == "POST":
        status, result = _submit(
            form,
            lambda: services.council_update(
                user=request.user,
                council=services.council_get_or_create(municipality=municipality),
                name=form.cleaned_data["name"] or "",
                quorum_minimum=form.cleaned_data["quorum_minimum"],
            ),
        )
        if result is not None:
            messages.success(request, _("The council's settings were saved."))
            return redirect(_council_url(municipality))
    return _form_page(
        request,
        meeting=None,
        form=form,
        title=_("Council settings"),
        submit=_("Save"),
        status=status,
        back=_council_url(municipality),
        municipality=municipality,
    )


@require_http_methods(["GET", "POST"])
def member_add(request: HttpRequest) -> HttpResponse:
    municipality = _municipality_from_query(request, Action.COUNCIL_MANAGE)
    form = f.MemberForm(_posted(request), ending=False)
    status = 200
    if request.method == "POST":
        status, member = _submit(
            form,
            lambda: services.council_member_add(
                user=request.user,
                municipality=municipality,
                **{
                    k: "" if v is None and k != "community" else v
                    for k, v in form.cleaned_data.items()
                },
            ),
        )
        if member is not None:
            messages.success(request, _("%(name)s was added to the council.") % {"name": member})
            return redirect(_council_url(municipality))
    return _form_page(
        request,
        meeting=None,
        form=form,
        title=_("Add a council member"),
        submit=_("Add the member"),
        status=status,
        intro=_("Members are appointed by the municipal assembly: give its decision."),
        back=_council_url(municipality),
        municipality=municipality,
    )


@require_http_methods(["GET", "POST"])
def member_edit(request: HttpRequest, pk: int) -> HttpResponse:
    member = get_for_user(
        request.user,
        CouncilMember.objects.select_related("municipality", "community"),
        action=Action.COUNCIL_MANAGE,
        pk=pk,
    )
    fields = ["name", "seat", "community", "appointed_on", "appointment_reference"]
    fields += ["ended_on", "email", "phone"]
    form = f.MemberForm(_posted(request), initial={k: getattr(member, k) for k in fields})
    status = 200
    if request.method == "POST":

        def call():
            data = dict(form.cleaned_data)
            for key in ("appointment_reference", "email", "phone"):
                data[key] = data.get(key) or ""
            return services.council_member_update(user=request.user, member=member, **data)

        status, result = _submit(form, call)
        if result is not None:
            messages.success(request, _("The member's record was saved."))
            return redirect(_council_url(member.municipality))
    return _form_page(
        request,
        meeting=None,
        form=form,
        title=_("Council member: %(name)s") % {"name": member.name},
        submit=_("Save"),
        status=status,
        intro=_(
            "To record that the member left the council, give the date the membership "
            "ended. The member stays in the council's history and in past minutes."
        ),
        back=_council_url(member.municipality),
        municipality=member.municipality,
    )


# --- Meetings ---------------------------------------------------------------------------


def _seat_order(member: CouncilMember) -> int:
    return Seat.values.index(member.seat) if member.seat in Seat.values else len(Seat.values)


def _members_in_office(meeting_or_council, day: dt.date) -> list[CouncilMember]:
    return [m for m in meeting_or_council.members.all() if m.is_member_on(day)]


def _agenda_keys(request: HttpRequest, prefix: str) -> list[str]:
    """The case ids posted in an agenda form (rows ``<prefix>-N-case``, or ``case``)."""
    if request.method != "POST":
        return []
    if not prefix:
        return [request.POST.get("case", "")]
    return [
        value
        for key, value in request.POST.items()
        if key.startswith(f"{prefix}-") and key.endswith("-case")
    ][:50]


@require_http_methods(["GET", "POST"])
def meeting_new(request: HttpRequest) -> HttpResponse:
    reference = (request.GET.get("case") or "").strip()
    # ``?case=<reference>``: a meeting recorded (or, with ``&schedule=1``, scheduled) for
    # this case, which goes first on its agenda; then back to the case's convene step.
    case = selectors.agenda_case_get(user=request.user, reference=reference) if reference else None
    schedule = request.GET.get("schedule") == "1"
    if case is not None:
        municipality = case.municipality
    else:
        municipality = _municipality_from_query(request, Action.MEETING_MANAGE)
    council_row = selectors.council_of(municipality)  # meeting_create saves it
    members = _members_in_office(council_row, timezone.localdate()) if council_row.pk else []
    cases, search = _agenda_picker(
        request, municipality, posted_keys=_agenda_keys(request, "agenda")
    )
    data = _posted(request)
    initial: dict[str, Any] = {"kind": "regular"}
    if case is not None:
        initial["kind"] = "extraordinary"
        if not schedule:
            initial["starts_at"] = timezone.localtime().replace(second=0, microsecond=0)
    form = f.MeetingForm(data, members=members, initial=initial)
    agenda = f.AgendaFormSet(data, prefix="agenda", cases=cases)
    status = 200
    if request.method == "POST":
        agenda_ok = agenda.is_valid()

        def create():
            if not agenda_ok:
                raise ValidationError(_("Check the agenda items below."))
            return services.meeting_create(
                user=request.user,
                municipality=municipality,
                kind=form.cleaned_data["kind"],
                starts_at=form.cleaned_data["starts_at"],
                place=form.cleaned_data["place"],
                chair=form.cleaned_data["chair"],
                agenda=agenda.agenda(),
                held=None if case is None else not schedule,
                for_case=case,
            )

        status, meeting = _submit(form, create)
        if meeting is not None and case is None:
            messages.success(request, _("The meeting was recorded."))
            return redirect(_meeting_url(meeting))
        if meeting is not None:
            back = _next_url(request) or _convene_url(case)
            when = formats.date_format(timezone.localtime(meeting.starts_at), "j M Y H:i")
            values = {"reference": case.reference, "date": when}
            if schedule:
                messages.success(
                    request,
                    _("The meeting of %(date)s is scheduled with case %(reference)s on its agenda.")
                    % values,
                )
                return redirect(back)
            messages.success(
                request,
                _(
                    "The meeting of %(date)s is recorded with case %(reference)s on its agenda. "
                    "Now record who attended."
                )
                % values,
            )
            return redirect(
                _with_next(reverse("mcsc:meeting-attendance", kwargs={"pk": meeting.pk}), back)
            )
    if case is None:
        title, intro = _("Schedule or record a meeting"), ""
        back = _council_url(municipality)
    else:
        back = _next_url(request) or _convene_url(case)
        occurred = formats.date_format(timezone.localtime(case.occurred_at), "j M Y H:i")
        values = {"reference": case.reference, "date": occurred}
        if schedule:
            title = _("Schedule a meeting for case %(reference)s") % values
            intro = (
                _(
                    "Give the date of the coming meeting. Case %(reference)s is put first on its "
                    "agenda. Once the meeting has taken place, record its attendance; the case can "
                    "then record it as the council meeting that discussed it."
                )
                % values
            )
        else:
            title = _("Record the council meeting for case %(reference)s") % values
            intro = (
                _(
                    "Record the meeting that discussed the case: it took place today or earlier, "
                    "after the incident (%(date)s). Case %(reference)s is put first on its agenda; "
                    "next you record who attended."
                )
                % values
            )
    return _form_page(
        request,
        meeting=None,
        form=form,
        title=title,
        submit=_("Save the meeting"),
        status=status,
        intro=intro,
        back=back,
        template="mcsc/meeting_new.html",
        agenda=agenda,
        municipality=municipality,
        for_case=case,
        schedule=schedule,
        **search,
    )


@require_GET
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    meeting = selectors.meeting_get_for_user(user=user, pk=pk)
    languages = minutes_languages(meeting.municipality)
    versions = sorted(meeting.minutes.all(), key=lambda m: m.version, reverse=True)
    current = versions[0] if versions else None
    editable = is_editable(meeting)
    can_approve = user_can(user, Action.MINUTES_APPROVE, meeting)
    attendance_by_member = {row.member_id: row for row in meeting.attendance.all()}
    day = timezone.localtime(meeting.starts_at).date()
    attendance_rows = [
        {"member": m, "status": attendance_by_member.get(m.pk)}
        for m in sorted(meeting.council.members.all(), key=lambda m: (_seat_order(m), m.name))
        if m.is_member_on(day) or m.pk in attendance_by_member
    ]
    actions = sorted(meeting.action_items.all(), key=lambda a: (a.due_on, a.pk))
    return render(
        request,
        "mcsc/meeting_detail.html",
        {
            "meeting": meeting,
            "municipality": meeting.municipality,
            "items": sorted(meeting.agenda_items.all(), key=lambda i: i.position),
            "attendance_rows": attendance_rows,
            "attendance_recorded": bool(attendance_by_member),
            "guests": list(meeting.guests.all()),
            "actions": actions,
            "quorum": meeting_quorum(meeting),
            "held": is_held(meeting),
            "editable": editable,
            "frozen_message": "" if editable else MinutesApproved(current).messages[0],
            "versions": versions,
            "current_minutes": current,
            "working_version": working_version(meeting),
            "official_languages": languages,
            "can_manage": user_can(user, Action.MEETING_MANAGE, meeting),
            "can_follow_up": user_can(user, Action.FOLLOW_UP_MANAGE, meeting),
            "can_approve": can_approve and editable,
        },
    )


def _meeting_for_edit(request: HttpRequest, pk: int) -> Meeting:
    return selectors.meeting_get_for_user(user=request.user, pk=pk, action=Action.MEETING_MANAGE)


@require_http_methods(["GET", "POST"])
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting_for_edit(request, pk)
    title = _("Edit the meeting")
    if not is_editable(meeting):
        return _frozen(request, meeting, title)
    members = list(meeting.council.members.all())
    form = f.MeetingForm(
        _posted(request),
        members=members,
        initial={
            "kind": meeting.kind,
            "starts_at": timezone.localtime(meeting.starts_at),
            "place": meeting.place,
            "chair": str(meeting.chair_id) if meeting.chair_id else "",
        },
    )
    status = 200
    if request.method == "POST":
        status, result = _submit(
            form,
            lambda: services.meeting_update(
                user=request.user,
                meeting=meeting,
                kind=form.cleaned_data["kind"],
                starts_at=form.cleaned_data["starts_at"],
                place=form.cleaned_data["place"],
                chair=form.cleaned_data["chair"],
            ),
        )
        if result is not None:
            messages.success(request, _("The meeting was saved."))
            return redirect(_meeting_url(meeting))
    return _form_page(
        request, meeting=meeting, form=form, title=title, submit=_("Save"), status=status
    )


@require_http_methods(["GET", "POST"])
def meeting_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting_for_edit(request, pk)
    title = _("Attendance")
    if not is_editable(meeting):
        return _frozen(request, meeting, title)
    recorded = {row.member_id: row.status for row in meeting.attendance.all()}
    day = timezone.localtime(meeting.starts_at).date()
    members = [m for m in meeting.council.members.all() if m.is_member_on(day) or m.pk in recorded]
    members.sort(key=lambda m: (_seat_order(m), m.name))
    all_present = request.method == "POST" and "all_present" in request.POST
    form = f.AttendanceForm(
        None if all_present else _posted(request), members=members, recorded=recorded
    )
    status = 200
    if all_present:
        # The shortcut for the common case: every member listed was present.
        status, result = _submit(
            PageForm({}),
            lambda: services.meeting_attendance_record(
                user=request.user, meeting=meeting, attendance=form.attendance(all_present=True)
            ),
        )
        if result is not None:
            messages.success(request, _("Everyone was recorded as present."))
            return redirect(_next_url(request) or _meeting_url(meeting, "attendance"))
        form.add_error(None, _("The attendance could not be saved."))
    elif request.method == "POST":
        status, result = _submit(
            form,
            lambda: services.meeting_attendance_record(
                user=request.user, meeting=meeting, attendance=form.attendance()
            ),
        )
        if result is not None:
            messages.success(request, _("The attendance was saved."))
            return redirect(_next_url(request) or _meeting_url(meeting, "attendance"))
    return _form_page(
        request,
        meeting=meeting,
        form=form,
        title=title,
        submit=_("Save the attendance"),
        status=status,
        intro=_("For each member in office on the day of the meeting: present, excused or absent."),
        template="mcsc/meeting_attendance.html",
        members=members,
        back=_next_url(request),
        municipality=meeting.municipality,
    )


@require_http_methods(["GET", "POST"])
def agenda_item_new(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting_for_edit(request, pk)
    title = _("Add an agenda item")
    if not is_editable(meeting):
        return _frozen(request, meeting, title)
    cases, search = _agenda_picker(
        request, meeting.municipality, posted_keys=_agenda_keys(request, "")
    )
    form = f.AgendaItemAddForm(_posted(request), cases=cases)
    status = 200
    if request.method == "POST":
        status, item = _submit(
            form,
            lambda: services.agenda_item_add(
                user=request.user,
                meeting=meeting,
                title=form.cleaned_data["title"],
                case=form.cleaned_data["case"],
            ),
        )
        if item is not None:
            if item.case_id:
                message = _("Case %(reference)s was put on the agenda as item %(position)d.") % {
                    "reference": item.case.reference,
                    "position": item.position,
                }
            else:
                message = _("The item was added to the agenda.")
            messages.success(request, message)
            return redirect(_next_url(request) or _meeting_url(meeting, f"item-{item.position}"))
    return _form_page(
        request,
        meeting=meeting,
        form=form,
        title=title,
        submit=_("Add"),
        status=status,
        back=_next_url(request),
        template="mcsc/agenda_item_new.html",
        **search,
    )


@require_http_methods(["GET", "POST"])
def agenda_item_edit(request: HttpRequest, pk: int, position: int) -> HttpResponse:
    meeting = _meeting_for_edit(request, pk)
    item = next((i for i in meeting.agenda_items.all() if i.position == position), None)
    if item is None:
        raise Http404(_("Not found."))
    title = _("Item %(position)d: discussion and decisions") % {"position": item.position}
    if not is_editable(meeting):
        return _frozen(request, meeting, title)
    languages = minutes_languages(meeting.municipality)
    form = f.AgendaItemForm(_posted(request), item=item, languages=languages)
    status = 200
    if request.method == "POST":
        status, result = _submit(
            form,
            lambda: services.agenda_item_record(
                user=request.user,
                item=item,
                title=form.cleaned_data["title"],
                discussion=form.cleaned_data["discussion"],
                decisions=form.cleaned_data["decisions"],
                translations=form.translations(),
            ),
        )
        if result is not None:
            messages.success(request, _("The item was saved."))
            return redirect(_meeting_url(meeting, f"item-{item.position}"))
    return _form_page(
        request,
        meeting=meeting,
        form=form,
        title=title,
        submit=_("Save"),
        status=status,
        intro=_(
            "Write the discussion and the decisions as they should appear in the minutes. "
            "Translations are optional: the minutes in a language use the translation where "
            "you give one, and this text otherwise."
        ),
        template="mcsc/translated_form.html",
        item=item,
    )


@require_http_methods(["GET", "POST"])
def meeting_guests(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting_for_edit(request, pk)
    title = _("Guests")
    if not is_editable(meeting):
        return _frozen(request, meeting, title)
    form = f.GuestForm(_posted(request) if "remove" not in request.POST else None)
    status = 200
    if request.method == "POST":
        if "remove" in request.POST:
            guest = next(
                (g for g in meeting.guests.all() if str(g.pk) == request.POST["remove"]), None
            )
            if guest is None:
                raise Http404(_("Not found."))
            try:
                services.guest_remove(user=request.user, guest=guest)
            except MinutesApproved as exc:
                form.add_error(None, exc.messages[0])
                status = 409
            else:
                messages.success(request, _("%(name)s was removed.") % {"name": guest.name})
                return redirect(reverse("mcsc:meeting-guests", kwargs={"pk": meeting.pk}))
        else:
            status, guest = _submit(
                form,
                lambda: services.guest_add(
                    user=request.user,
                    meeting=meeting,
                    name=form.cleaned_data["name"],
                    organisation=form.cleaned_data["organisation"],
                ),
            )
            if guest is not None:
                messages.success(request, _("%(name)s was added.") % {"name": guest.name})
                return redirect(reverse("mcsc:meeting-guests", kwargs={"pk": meeting.pk}))
    return _form_page(
        request,
        meeting=meeting,
        form=form,
        title=title,
        submit=_("Add the guest"),
        status=status,
        template="mcsc/meeting_guests.html",
        guests=list(meeting.guests.all()),
    )


@require_http_methods(["GET", "POST"])
def action_item_new(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting_for_edit(request, pk)
    title = _("Add an action item")
    if not is_editable(meeting):
        return _frozen(request, meeting, title)
    items = sorted(meeting.agenda_items.all(), key=lambda i: i.position)
    initial = {}
    if request.GET.get("item"):
        initial["agenda_item"] = request.GET["item"]
    form = f.ActionItemForm(
        _posted(request),
        initial=initial,
        items=items,
        cases=_cases_of(meeting.municipality),
        languages=minutes_languages(meeting.municipality),
    )
    status = 200
    if request.method == "POST":
        status, action = _submit(
            form,
            lambda: services.action_item_add(
                user=request.user,
                meeting=meeting,
                description=form.cleaned_data["description"],
                owner=form.cleaned_data["owner"],
                due_on=form.cleaned_data["due_on"],
                agenda_item=form.cleaned_data["agenda_item"],
                case=form.cleaned_data["case"],
                translations=form.translations(),
            ),
        )
        if action is not None:
            messages.success(request, _("The action item was added."))
            return redirect(_meeting_url(meeting, "actions"))
    return _form_page(
        request,
        meeting=meeting,
        form=form,
        title=title,
        submit=_("Add the action item"),
        status=status,
        template="mcsc/translated_form.html",
    )


@require_http_methods(["GET", "POST"])
def action_item_attach(request: HttpRequest, pk: int, action_pk: int) -> HttpResponse:
    meeting = selectors.meeting_get_for_user(
        user=request.user, pk=pk, action=Action.FOLLOW_UP_MANAGE
    )
    action = next((a for a in meeting.action_items.all() if a.pk == action_pk), None)
    if action is None:
        raise Http404(_("Not found."))
    form = f.AttachForm(_posted(request), cases=_cases_of(meeting.municipality))
    status = 200
    if request.method == "POST":
        status, result = _submit(
            form,
            lambda: services.action_item_to_follow_up(
                user=request.user, action=action, case=form.cleaned_data["case"]
            ),
        )
        if result is not None:
            messages.success(
                request,
                _("The action item is now a follow-up action of case %(reference)s.")
                % {"reference": result.case.reference},
            )
            return redirect(_meeting_url(meeting, "actions"))
    return _form_page(
        request,
        meeting=meeting,
        form=form,
        title=_("Make the action item a follow-up action"),
        submit=_("Add to the case's follow-up"),
        status=status,
        intro=_(
            "The action (%(description)s, owner %(owner)s, due %(due)s) becomes a follow-up "
            "action of the case. Cases take follow-up actions after the outreach is recorded "
            "and until they are closed."
        )
        % {"description": action.description, "owner": action.owner, "due": action.due_on},
    )


@require_POST
def meeting_invite(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting_for_edit(request, pk)
    try:
        count = services.meeting_invite(user=request.user, meeting=meeting)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("The invitation with the agenda is being sent to %(count)d members.")
            % {"count": count},
        )
    return redirect(_meeting_url(meeting))


# --- Minutes ----------------------------------------------------------------------------


@require_GET
def minutes_preview(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get_for_user(user=request.user, pk=pk)
    language = minutes_language(meeting, request.GET.get("language"))
    current = current_minutes(meeting)
    return render(
        request,
        "mcsc/minutes_preview.html",
        {
            "meeting": meeting,
            "language": language,
            "official_languages": minutes_languages(meeting.municipality),
            "current_minutes": current,
            "version": working_version(meeting) if is_editable(meeting) else current.version,
            "editable": is_editable(meeting),
            "body": minutes_body_html(meeting, language),
        },
    )


@require_GET
def minutes_download(request: HttpRequest, pk: int, version: int, language: str) -> HttpResponse:
    meeting = selectors.meeting_get_for_user(user=request.user, pk=pk)
    chosen = minutes_language(meeting, language)
    try:
        data, filename = minutes_file(meeting, version, chosen)
    except MinutesRenderError as exc:
        return render(
            request,
            "mcsc/minutes_error.html",
            {"meeting": meeting, "message": str(exc)},
            status=503,
        )
    return pdf_response(data, filename, draft=filename.endswith("-draft.pdf"))


@require_http_methods(["GET", "POST"])
def minutes_approve(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get_for_user(
        user=request.user, pk=pk, action=Action.MINUTES_APPROVE
    )
    title = _("Approve the minutes")
    if not is_editable(meeting):
        return _frozen(request, meeting, title)
    later = list(
        Meeting.objects.filter(
            council_id=meeting.council_id,
            starts_at__gt=meeting.starts_at,
            starts_at__lte=timezone.now(),
        ).order_by("starts_at")
    )
    form = f.ApproveForm(
        _posted(request),
        meetings=later,
        initial={"approving_meeting": later[0].pk if later else ""},
    )
    status = 200
    render_error = ""
    if request.method == "POST":
        try:
            status, minutes = _submit(
                form,
                lambda: services.minutes_approve(
                    user=request.user,
                    meeting=meeting,
                    approving_meeting=form.cleaned_data["approving_meeting"],
                ),
            )
        except MinutesRenderError as exc:
            status, minutes, render_error = 503, None, str(exc)
            form.add_error(None, render_error)
        if minutes is not None:
            messages.success(
                request,
                _("Version %(version)d of the minutes is approved; its PDFs are stored.")
                % {"version": minutes.version},
            )
            return redirect(_meeting_url(meeting, "minutes"))
    return _form_page(
        request,
        meeting=meeting,
        form=form,
        title=title,
        submit=_("Approve the minutes"),
        status=status,
        intro=_(
            "Approving freezes the minutes: one PDF per official language is generated and "
            "stored, and their SHA-256 fingerprints are written to the audit trail. Later "
            "corrections need an amendment (a new version). Read the preview first."
        ),
        template="mcsc/minutes_approve.html",
        no_later_meeting=not later,
    )


@require_http_methods(["GET", "POST"])
def minutes_amend(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting_for_edit(request, pk)
    current = current_minutes(meeting)
    if current is None or current.status == MinutesStatus.DRAFT:
        messages.info(request, _("The minutes are not approved yet: edit the meeting record."))
        return redirect(_meeting_url(meeting))
    form = f.AmendForm(_posted(request))
    status = 200
    if request.method == "POST":
        status, amendment = _submit(
            form,
            lambda: services.minutes_amend(
                user=request.user, meeting=meeting, reason=form.cleaned_data["reason"]
            ),
        )
        if amendment is not None:
            messages.success(
                request,
                _(
                    "Version %(version)d of the minutes was started. Correct the meeting "
                    "record; the leadership then approves the new version."
                )
                % {"version": amendment.version},
            )
            return redirect(_meeting_url(meeting))
    return _form_page(
        request,
        meeting=meeting,
        form=form,
        title=_("Amend the minutes"),
        submit=_("Start the amendment"),
        status=status,
        intro=_(
            "Version %(version)d stays on record, with its stored PDFs. The amendment is "
            "version %(next)d: it points at the version it corrects and is approved in turn."
        )
        % {"version": current.version, "next": current.version + 1},
    )
