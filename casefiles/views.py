"""The case pages: list, detail, new incident, one form per step, translations, outreach
and follow-up actions.

Every read goes through the selectors (scoped to the user: 404 outside scope, 403 without
the right) and every write through one service call. A service's ``ValidationError`` is
shown on the form fields it names, a ``TransitionConflict`` re-renders the page with its
message (409), a ``PermissionDenied`` with its message (403); the form keeps what the user
typed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.apps import apps
from django.contrib import messages
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.functional import Promise
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods
from django_fsm import can_proceed

from casefiles import forms as f
from casefiles import selectors, services
from casefiles.errors import MissingLanguages, TransitionConflict
from casefiles.models import (
    ActionStatus,
    AuditAction,
    Case,
    CaseState,
    FollowUpAction,
    OutreachActivity,
    PersonRole,
    PublicationChannel,
    Statement,
    Translation,
    TranslationStatus,
)
from casefiles.reads import case_people_for_user
from mcsc.forms import PageForm, attach_service_errors
from mcsc.inputs import page_number
from mcsc.models import Community, Language, Municipality
from mcsc.permissions import (
    Action,
    municipalities_where,
    municipality_filter_for_user,
    region_filter_for_user,
    scope_filter,
    user_can,
    user_can_anywhere,
    user_scope,
)

PAGE_SIZE = 25

# The main path of the lifecycle, shown as a progress list on the case page.
MAIN_PATH = [
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


def _posted(request: HttpRequest):
    """The submitted data on POST (even if empty: an empty form is an invalid one), else None."""
    return request.POST if request.method == "POST" else None


def _case_url(case: Case, anchor: str = "") -> str:
    url = reverse("casefiles:detail", kwargs={"reference": case.reference})
    return f"{url}#{anchor}" if anchor else url


def _forbidden(request: HttpRequest, exc: PermissionDenied, case: Case | None = None):
    message = str(exc) or _("You do not have the right to do this.")
    return render(
        request, "casefiles/forbidden.html", {"message": message, "case": case}, status=403
    )


@dataclass
class Outcome:
    """What a form submission led to: the service's result, or why it did not happen."""

    status: int = 200
    result: Any = None
    conflict: str = ""
    missing_languages: list[Language] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.status == 200


def _submit(form: PageForm, call: Callable[..., Any]) -> Outcome:
    """Validate ``form`` and call the service with its data; errors end up on the form."""
    if not form.is_valid():
        return Outcome(status=400)
    try:
        return Outcome(result=call(**form.service_kwargs()))
    except TransitionConflict as exc:
        return Outcome(status=409, conflict=exc.message)
    except MissingLanguages as exc:
        # The page lists them, each with a link to its translation form.
        return Outcome(status=400, missing_languages=exc.languages)
    except ValidationError as exc:
        attach_service_errors(form, exc)
        return Outcome(status=400)
    except PermissionDenied as exc:
        form.add_error(None, str(exc) or _("You do not have the right to do this."))
        return Outcome(status=403)


# --- Case list ------------------------------------------------------------------------------


def case_list_filters(request: HttpRequest) -> tuple[f.CaseFilterForm, selectors.CaseFilters]:
    """The case list's filter form and the filters it gives (also for the list's exports).

    A municipality or region outside the user's scope raises Http404 (as the selector
    would); a filter that is not valid is on the form's errors and left out of the filters,
    and the page answers 400.
    """
    user = request.user
    scope = user_scope(user)
    several = scope.is_global or len(scope.municipality_ids) > 1
    municipalities = (
        list(scope_filter(user, Municipality.objects.select_related("region"), via="pk"))
        if several
        else None
    )
    regions = (
        sorted({m.region for m in municipalities}, key=lambda r: r.name) if municipalities else None
    )
    form = f.CaseFilterForm(
        request.GET,
        municipalities=municipalities,
        regions=regions,
        communities=Community.objects.order_by("name_en"),
    )
    form.is_valid()
    data = form.cleaned_data  # only the valid filters
    # The municipality and region are checked against the scope whether or not the form
    # offers them (it does only to users who see several municipalities).
    places: dict[str, str | None] = {}
    for name, check in (
        ("municipality", municipality_filter_for_user),
        ("region", region_filter_for_user),
    ):
        try:
            found = check(user=user, code=request.GET.get(name))
        except ValidationError as exc:
            form.errors.pop(name, None)  # "not one of the choices" says less
            form.add_error(name if name in form.fields else None, exc.message_dict[name])
            found = None
        places[name] = found.code if found is not None else None
    filters = selectors.CaseFilters(
        state=data.get("state") or None,
        category=data.get("category") or None,
        community=data.get("community") or None,
        municipality=places["municipality"],
        date_from=data.get("date_from"),
        date_to=data.get("date_to"),
        search=(data.get("q") or "").strip() or None,
        overdue=True if data.get("overdue") else None,
        region=places["region"],
        figure=data.get("figure") or None,
        sort=data.get("sort") or None,
    )
    return form, filters


@require_http_methods(["GET"])
def case_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    form, filters = case_list_filters(request)
    cases = selectors.case_list(user=user, filters=filters)
    page = Paginator(cases, PAGE_SIZE).get_page(page_number(request.GET.get("page")))
    filtered = any(v for k, v in request.GET.items() if k != "page")
    # The search field is always in view; the other filters fold away unless in use.
    more_filters = form.errors or any(v for k, v in request.GET.items() if k not in ("page", "q"))
    return render(
        request,
        "casefiles/list.html",
        {
            "form": form,
            "page_obj": page,
            "cases": page.object_list,
            "rows": [(case, selectors.case_next_step(case)) for case in page.object_list],
            "filtered": filtered,
            "more_filters": bool(more_filters),
            "may_open": user_can_anywhere(user, Action.CASE_OPEN),
        },
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET"])
def case_search(request: HttpRequest) -> HttpResponse:
    """The header's search box: an exact reference opens the case, anything else the case
    list searched for it (a reference outside the scope finds nothing there either)."""
    term = request.GET.get("q", "").strip()
    case = selectors.case_find_by_reference(user=request.user, term=term)
    if case is not None:
        return redirect(_case_url(case))
    url = reverse("casefiles:list")
    return redirect(f"{url}?{urlencode({'q': term})}" if term else url)


# --- New incident ---------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def case_new(request: HttpRequest) -> HttpResponse:
    allowed = municipalities_where(request.user, Action.CASE_OPEN)
    if not allowed.exists():
        return _forbidden(request, PermissionDenied(_("You may not open cases.")))
    form = f.CaseOpenForm(_posted(request), municipalities=allowed)
    status = 200
    if request.method == "POST":
        outcome = _submit(form, lambda **data: services.case_open(user=request.user, **data))
        if outcome.ok:
            case = outcome.result
            messages.success(
                request,
                _("Case %(reference)s is open. Next: verify the incident.")
                % {"reference": case.reference},
            )
            return redirect(_case_url(case))
        status = outcome.status
    return render(request, "casefiles/new.html", {"form": form}, status=status)


# --- Case detail ----------------------------------------------------------------------------


@require_http_methods(["GET"])
def case_detail(request: HttpRequest, reference: str) -> HttpResponse:
    user = request.user
    case = selectors.case_detail_get_for_user(user=user, reference=reference)
    people = case_people_for_user(user=user, case=case, via="page")
    show_people = people is not None
    people = people or []

    statements = list(case.statements.all())  # newest first
    current = statements[0] if statements else None
    required = services.case_required_languages(case)
    languages = _languages_seen(case, statements, required)
    may_translate = case.state in services.TRANSLATABLE_STATES and (
        user_can(user, Action.TRANSLATION_EDIT, case)
        or user_can(user, Action.TRANSLATION_REVIEW, case)
    )
    may_manage_follow_up = case.state in services.FOLLOW_UP_STATES and user_can(
        user, Action.FOLLOW_UP_MANAGE, case
    )
    history, data_views = [], []
    if user_can(user, Action.AUDIT_VIEW, case):
        events = list(selectors.case_audit_events(user=user, case=case))
        history, data_views = _history(case, events, languages)

    context = {
        "case": case,
        "progress": _progress(case),
        # Steps that would be refused are listed too, disabled, with why and what to do.
        "actions": [
            {
                "name": option.name,
                "label": STEPS[option.name].label,
                "url": reverse("casefiles:step", args=[case.reference, option.name]),
                "danger": STEPS[option.name].danger,
                "available": option.available,
                "blocked_by": option.blocked_by,
            }
            for option in selectors.case_steps(user=user, case=case)
        ],
        "statements": statements,
        "current_statement": current,
        "translation_grid": _translation_grid(current, required) if current else [],
        "required_languages": required,
        "may_translate": may_translate,
        "channels": [PublicationChannel(c).label for c in case.publication_channels or []],
        "outreach": _outreach_with_commitments(case),
        "follow_up_actions": list(case.follow_up_actions.all()),
        "may_manage_follow_up": may_manage_follow_up,
        "may_add_outreach": case.state in services.FOLLOW_UP_STATES
        and user_can(user, Action.OUTREACH_RECORD, case),
        "show_people": show_people,
        "people": people,
        "history": history,
        "data_views": data_views,
        "may_audit": user_can(user, Action.AUDIT_VIEW, case),
    }
    return render(request, "casefiles/detail.html", context)


def _progress(case: Case) -> list[dict]:
    if case.state == CaseState.DISMISSED:
        path = [CaseState.REPORTED, CaseState.DISMISSED]
    else:
        path = MAIN_PATH
    current = path.index(case.state)
    return [
        {
            "label": CaseState(state).label,
            "status": "done" if i < current else ("current" if i == current else "todo"),
        }
        for i, state in enumerate(path)
    ]


def _languages_seen(case: Case, statements: list[Statement], required: list[Language]):
    """Every language the prefetched records mention, by code (for the history)."""
    seen = {language.code: language for language in required}
    for statement in statements:
        seen.setdefault(statement.language.code, statement.language)
        for translation in statement.translations.all():
            seen.setdefault(translation.language.code, translation.language)
    for activity in case.outreach.all():
        seen.setdefault(activity.language.code, activity.language)
    return seen


def _translation_grid(statement: Statement, required: list[Language]) -> list[dict]:
    """One column per required language, the source text first."""
    by_code = {t.language.code: t for t in statement.translations.all()}
    columns = [
        {
            "language": statement.language,
            "kind": "source",
            "status_label": _("Source text"),
            "title": statement.title,
            "text": statement.text,
        }
    ]
    for language in required:
        if language.code == statement.language.code:
            continue
        translation = by_code.get(language.code)
        if translation is None:
            kind, label = "missing", _("Missing")
        elif translation.status == TranslationStatus.APPROVED:
            kind, label = "approved", _("Approved")
        else:
            kind, label = "draft", _("Awaiting review")
        columns.append(
            {
                "language": language,
                "kind": kind,
                "status_label": label,
                "translation": translation,
                "title": translation.title if translation else "",
                "text": translation.text if translation else "",
            }
        )
    return columns


# --- The audit history in words ---------------------------------------------------------------


class _Values(dict):
    def __missing__(self, key: str) -> str:
        return "?"


HISTORY_SENTENCES: dict[str, Promise] = {
    AuditAction.CASE_OPEN: gettext_lazy("%(actor)s opened the case"),
    AuditAction.CASE_UPDATE: gettext_lazy("%(actor)s corrected the incident data"),
    AuditAction.CASE_VERIFY: gettext_lazy("%(actor)s verified the case"),
    AuditAction.CASE_DISMISS: gettext_lazy("%(actor)s dismissed the case"),
    AuditAction.CASE_CONVENE: gettext_lazy(
        "%(actor)s recorded the council meeting of %(meeting_at)s"
    ),
    AuditAction.CASE_REOPEN: gettext_lazy("%(actor)s reopened the case: “%(reason)s”"),
    AuditAction.CASE_CLOSE: gettext_lazy("%(actor)s closed the case"),
    AuditAction.CASE_PERSONAL_DATA_VIEW: gettext_lazy("%(actor)s viewed the personal data"),
    AuditAction.PERSON_ADD: gettext_lazy("%(actor)s recorded a person (%(role)s)"),
    AuditAction.STATEMENT_DRAFT: gettext_lazy(
        "%(actor)s drafted statement version %(version)s in %(language)s"
    ),
    AuditAction.STATEMENT_APPROVE: gettext_lazy("%(actor)s approved statement version %(version)s"),
    AuditAction.STATEMENT_REJECT: gettext_lazy(
        "%(actor)s rejected statement version %(version)s: “%(comment)s”"
    ),
    AuditAction.STATEMENT_PUBLISH: gettext_lazy(
        "%(actor)s published statement version %(statement_version)s in %(languages)s"
    ),
    AuditAction.TRANSLATION_SAVE: gettext_lazy(
        "%(actor)s saved the %(language)s translation of statement version %(statement_version)s"
    ),
    AuditAction.TRANSLATION_APPROVE: gettext_lazy(
        "%(actor)s approved the %(language)s translation of statement version %(statement_version)s"
    ),
    AuditAction.OUTREACH_RECORD: gettext_lazy(
        "%(actor)s recorded the outreach in %(place)s on %(held_on)s (%(participants)s people)"
    ),
    AuditAction.OUTREACH_ADD: gettext_lazy(
        "%(actor)s added an outreach activity in %(place)s on %(held_on)s (%(participants)s people)"
    ),
    AuditAction.FOLLOW_UP_START: gettext_lazy(
        "%(actor)s started follow-up (actions recorded: %(actions)s)"
    ),
    AuditAction.FOLLOW_UP_ACTION_ADD: gettext_lazy(
        "%(actor)s added the follow-up action “%(description)s”"
    ),
    AuditAction.FOLLOW_UP_ACTION_UPDATE: gettext_lazy(
        "%(actor)s updated the follow-up action “%(description)s”"
    ),
}

# Stamps the event's own time already says, and references to rows shown elsewhere.
_HIDDEN_CHANGES = {
    "verified_at",
    "dismissed_at",
    "convened_at",
    "outreach_at",
    "follow_up_started_at",
    "closed_at",
    "translator_id",
    "reviewer_id",
}


def _actor_name(event) -> str:
    if event.actor is not None:
        return event.actor.get_full_name() or event.actor.get_username()
    return event.actor_name or _("the system")


def _display_value(value: Any, model_field, *, communities: dict, meeting) -> str:
    if value is None or value == "" or value == []:
        return "—"
    name = getattr(model_field, "name", "")
    if name == "affected_community":
        community = communities.get(value)
        return community.name if community else str(value)
    if name == "convened_meeting":
        return str(meeting) if meeting is not None and meeting.pk == value else f"#{value}"
    if name == "publication_channels":
        return ", ".join(
            str(PublicationChannel(v).label) if v in PublicationChannel.values else str(v)
            for v in value
        )
    choices = dict(model_field.flatchoices) if getattr(model_field, "choices", None) else {}
    if value in choices:
        return str(choices[value])
    if isinstance(value, str):
        moment = parse_datetime(value) if "T" in value else None
        if moment is not None:
            return formats.date_format(timezone.localtime(moment), "j M Y H:i")
        day = parse_date(value) if len(value) == 10 else None
        if day is not None:
            return formats.date_format(day, "j M Y")
    return str(value)


def _history(case: Case, events: list, languages: dict) -> tuple[list[dict], list[dict]]:
    """Readable lines of the audit trail; personal-data reads apart (they are many)."""
    community_ids = {
        value
        for event in events
        for value in (event.changes or {}).get("affected_community_id", [])
        if value is not None
    }
    communities = Community.objects.in_bulk(community_ids) if community_ids else {}
    actions = {str(action.pk): action for action in case.follow_up_actions.all()}
    lines, data_views = [], []
    for event in events:
        actor = _actor_name(event)
        when = timezone.localtime(event.happened_at)
        if event.action == AuditAction.CASE_PERSONAL_DATA_VIEW:
            data_views.append({"actor": actor, "when": when})
            continue
        if event.action == AuditAction.CASE_MONITOR_VIEW:
            continue  # monitors' reads are many; the audit trail page (/audit/) lists them
        payload = dict(event.payload or {})
        activity = payload.pop("activity", None) or {}
        values = _Values({**payload, **activity, "actor": actor})
        for key in ("language",):
            if key in values and values[key] in languages:
                values[key] = languages[values[key]].name
        if "languages" in payload:
            codes = sorted(
                payload["languages"],
                key=lambda code: (languages[code].sort_order if code in languages else 999, code),
            )
            values["languages"] = ", ".join(
                languages[code].name if code in languages else code for code in codes
            )
        if event.object_type == "casefiles.followupaction":
            action = actions.get(event.object_id)
            values["description"] = (
                Truncator(action.description).chars(60) if action is not None else "?"
            )
        if "meeting_at" in payload:
            values["meeting_at"] = _display_value(
                payload["meeting_at"], None, communities={}, meeting=None
            )
        if "held_on" in activity:
            values["held_on"] = _display_value(
                activity["held_on"], None, communities={}, meeting=None
            )
        if "role" in payload:
            values["role"] = (
                PersonRole(payload["role"]).label
                if payload["role"] in PersonRole.values
                else payload["role"]
            )
        sentence = HISTORY_SENTENCES.get(event.action)
        text = (str(sentence) % values) if sentence else f"{actor}: {event.get_action_display()}"
        changes = []
        if event.action != AuditAction.CASE_OPEN and event.object_type:
            try:
                model = apps.get_model(event.object_type)
            except (LookupError, ValueError):
                model = None
            for key, pair in sorted((event.changes or {}).items()):
                if key in _HIDDEN_CHANGES or not isinstance(pair, list) or len(pair) != 2:
                    continue
                model_field = None
                if model is not None:
                    try:
                        model_field = model._meta.get_field(key.removesuffix("_id"))
                    except FieldDoesNotExist:  # an unknown key is shown by its name
                        model_field = None
                label = model_field.verbose_name if model_field is not None else key
                old, new = (
                    _display_value(
                        v, model_field, communities=communities, meeting=case.convened_meeting
                    )
                    for v in pair
                )
                changes.append(
                    {"field": label, "old": old, "new": new, "set": pair[0] in (None, "", [])}
                )
        lines.append(
            {
                "action": event.action,
                "language": payload.get("language", ""),
                "text": text,
                "when": when,
                "changes": changes,
                "transition": bool(event.to_state and event.from_state),
                "to_state": CaseState(event.to_state).label
                if event.to_state in CaseState.values
                else "",
            }
        )
    return lines, data_views


# --- One form per step ------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    form_class: type[f.StepForm]
    service: Callable[..., Any]
    title: Promise
    label: Promise  # the button on the case page
    submit: Promise  # the button of the form
    done: Promise  # the message after success
    intro: Promise | str = ""
    danger: bool = False


STEPS: dict[str, Step] = {
    "verify": Step(
        f.VerifyForm,
        services.case_verify,
        gettext_lazy("Verify the incident"),
        gettext_lazy("Verify"),
        gettext_lazy("Verify the incident"),
        gettext_lazy("The incident is verified. Next: convene the council."),
        gettext_lazy(
            "Record how the incident was confirmed, and correct its category, community and "
            "place if needed."
        ),
    ),
    "dismiss": Step(
        f.DismissForm,
        services.case_dismiss,
        gettext_lazy("Dismiss the incident"),
        gettext_lazy("Dismiss"),
        gettext_lazy("Dismiss the incident"),
        gettext_lazy("The case is dismissed."),
        gettext_lazy(
            "Dismiss an incident that could not be verified or is not serious. Leadership can "
            "reopen it."
        ),
        danger=True,
    ),
    "convene": Step(
        f.ConveneForm,
        services.case_convene,
        gettext_lazy("Record the council meeting"),
        gettext_lazy("Record the council meeting"),
        gettext_lazy("Record this meeting"),
        gettext_lazy("The council meeting is recorded. Next: draft the statement."),
        gettext_lazy(
            "Choose the council meeting that discussed the case. It must have taken place after "
            "the incident, have the case on its agenda, and have its attendance recorded with "
            "a quorum."
        ),
    ),
    "draft_statement": Step(
        f.DraftStatementForm,
        services.statement_draft,
        gettext_lazy("Draft the public statement"),
        gettext_lazy("Draft the statement"),
        gettext_lazy("Submit for approval"),
        gettext_lazy("The statement is submitted for approval."),
        gettext_lazy(
            "Write the statement condemning the incident. Leadership approves it; then it is "
            "translated into every required language."
        ),
    ),
    "approve": Step(
        f.ApproveForm,
        services.statement_approve,
        gettext_lazy("Approve the statement"),
        gettext_lazy("Approve the statement"),
        gettext_lazy("Approve"),
        gettext_lazy("The statement is approved. Next: translations, then publication."),
    ),
    "reject": Step(
        f.RejectForm,
        services.statement_reject,
        gettext_lazy("Reject the statement"),
        gettext_lazy("Reject the statement"),
        gettext_lazy("Reject and return to the secretary"),
        gettext_lazy("The statement is returned to the secretary with your comment."),
        danger=True,
    ),
    "publish": Step(
        f.PublishForm,
        services.statement_publish,
        gettext_lazy("Publish the statement"),
        gettext_lazy("Publish the statement"),
        gettext_lazy("Record the publication"),
        gettext_lazy("The statement is published. Next: outreach to the affected community."),
        gettext_lazy(
            "Publication needs an approved translation in every required language. Record "
            "where and when the statement was published."
        ),
    ),
    "record_outreach": Step(
        f.OutreachForm,
        services.outreach_record,
        gettext_lazy("Record the outreach"),
        gettext_lazy("Record the outreach"),
        gettext_lazy("Record the outreach"),
        gettext_lazy("The outreach is recorded. Next: follow-up."),
        gettext_lazy("Record the meeting with the affected community."),
    ),
    "start_follow_up": Step(
        f.StartFollowUpForm,
        services.follow_up_start,
        gettext_lazy("Start follow-up"),
        gettext_lazy("Start follow-up"),
        gettext_lazy("Start follow-up"),
        gettext_lazy("Follow-up has started."),
        gettext_lazy(
            "List what will be done, by whom and by when (up to three actions now; you can add "
            "more later). Leave unused rows empty."
        ),
    ),
    "close": Step(
        f.CloseForm,
        services.case_close,
        gettext_lazy("Close the case"),
        gettext_lazy("Close the case"),
        gettext_lazy("Close the case"),
        gettext_lazy("The case is closed."),
        gettext_lazy(
            "Every follow-up action must be done or dropped with a reason. Record what was "
            "achieved and how safe the affected community feels."
        ),
    ),
    "reopen": Step(
        f.ReopenForm,
        services.case_reopen,
        gettext_lazy("Reopen the case"),
        gettext_lazy("Reopen the case"),
        gettext_lazy("Reopen"),
        gettext_lazy("The case is reopened."),
        gettext_lazy(
            "A closed case returns to follow-up; a dismissed case returns to verification."
        ),
    ),
}
assert set(STEPS) == set(selectors.TRANSITION_ACTIONS)


def _step_form_kwargs(name: str, case: Case, required: list[Language]) -> dict[str, Any]:
    if name == "draft_statement":
        kwargs: dict[str, Any] = {"required_languages": required}
        previous = services.current_statement(case)
        if previous is not None:
            kwargs["initial"] = {
                "language": previous.language_id,
                "title": previous.title,
                "text": previous.text,
            }
        elif required:
            kwargs["initial"] = {"language": required[0].pk}
        return kwargs
    return {}


def _step_context(name: str, case: Case, required: list[Language]) -> dict[str, Any]:
    context: dict[str, Any] = {}
    if name in ("draft_statement", "approve", "reject", "publish"):
        statement = services.current_statement(case)
        context["statement"] = statement
        context["required_languages"] = required
    if name == "publish":
        statement = context["statement"]
        if statement is not None:
            statement = (
                Statement.objects.select_related("language")
                .prefetch_related(
                    "translations__language",
                )
                .get(pk=statement.pk)
            )
            context["statement"] = statement
            context["translation_grid"] = _translation_grid(statement, required)
        context["missing_languages"] = services.statement_missing_languages(case, statement)
    if name in ("close",):
        context["follow_up_actions"] = list(case.follow_up_actions.all())
        context["open_actions"] = [
            a for a in context["follow_up_actions"] if a.status == ActionStatus.OPEN
        ]
    return context


@require_http_methods(["GET", "POST"])
def case_step(request: HttpRequest, reference: str, transition: str) -> HttpResponse:
    step = STEPS.get(transition)
    if step is None:
        raise Http404(_("There is no step “%(name)s”.") % {"name": transition})
    user = request.user
    try:
        case = selectors.case_get_for_user(
            user=user, reference=reference, action=selectors.TRANSITION_ACTIONS[transition]
        )
    except PermissionDenied as exc:
        return _forbidden(request, exc)
    required = services.case_required_languages(case)
    form_kwargs = _step_form_kwargs(transition, case, required)
    convene = None
    if transition == "convene" and case.state == CaseState.VERIFIED:
        # The meetings that count, and what the others lack (templates/casefiles/step_convene.html).
        convene = selectors.convene_options(user=user, case=case)
        form_kwargs["meetings"] = [option.meeting for option in convene.qualifying]
    form = step.form_class(_posted(request), case=case, user=user, **form_kwargs)
    status, conflict, missing = 200, "", None
    if request.method == "POST":
        outcome = _submit(form, lambda **data: step.service(user=user, case=case, **data))
        if outcome.ok:
            messages.success(request, str(step.done))
            return redirect(_case_url(case))
        status, conflict, missing = outcome.status, outcome.conflict, outcome.missing_languages
    elif not can_proceed(getattr(case, transition)):
        status = 409
        conflict = _("This step is not possible while the case is “%(state)s”.") % {
            "state": case.get_state_display()
        }
    blocked_by: tuple = ()
    if request.method == "GET" and status == 200 and convene is None:
        # Rather than a form that will be refused, say why and where to go instead (the
        # convene page does so meeting by meeting, from its own options).
        option = next(
            (o for o in selectors.case_steps(user=user, case=case) if o.name == transition), None
        )
        blocked_by = option.blocked_by if option is not None else ()
    context = {
        "case": case,
        "step": step,
        "transition": transition,
        "form": None if (status == 409 and request.method == "GET") or blocked_by else form,
        "conflict": conflict,
        "blocked_by": blocked_by,
        "case_url": _case_url(case),
        **_step_context(transition, case, required),
    }
    if missing:
        context["missing_languages"] = missing
        context["publish_refused"] = True
    if convene is not None:
        context["convene"] = convene
        context["convene_url"] = request.path
        if not convene.qualifying:
            context["form"] = None  # nothing to choose: the page offers the ways out
    if transition == "publish":
        kinds = {c["language"].code: c for c in context.get("translation_grid", [])}
        context["missing_items"] = [
            {
                "language": language,
                "kind": kinds[language.code]["kind"] if language.code in kinds else "missing",
                "label": kinds[language.code]["status_label"]
                if language.code in kinds
                else _("Missing"),
            }
            for language in context.get("missing_languages", [])
        ]
    templates = [f"casefiles/step_{transition}.html", "casefiles/step.html"]
    return render(request, templates, context, status=status)


# --- Translations ---------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def translation_edit(request: HttpRequest, reference: str, language_code: str) -> HttpResponse:
    user = request.user
    case = selectors.case_get_for_user(user=user, reference=reference)
    may_edit = user_can(user, Action.TRANSLATION_EDIT, case)
    may_review = user_can(user, Action.TRANSLATION_REVIEW, case)
    if not (may_edit or may_review):
        return _forbidden(
            request, PermissionDenied(_("You may not edit or review translations here.")), case
        )
    language = get_object_or_404(Language.objects.all(), code=language_code)
    statement = services.current_statement(case)
    required = services.case_required_languages(case)
    if statement is None or language not in required or language == statement.language:
        raise Http404(_("This statement needs no translation into this language."))
    translation = (
        Translation.objects.select_related("translator", "reviewer")
        .filter(statement=statement, language=language)
        .first()
    )
    initial = {"title": translation.title, "text": translation.text} if translation else {}
    wants_approval = request.POST.get("intent") == "approve"
    form = f.TranslationForm(
        request.POST if request.method == "POST" and not wants_approval else None,
        initial=initial,
        language=language,
    )
    status, conflict, approval_errors = 200, "", []
    if case.state not in services.TRANSLATABLE_STATES:
        conflict = _(
            "Translations can be edited while the statement is drafted or approved, "
            "not while the case is “%(state)s”."
        ) % {"state": case.get_state_display()}
    if request.method == "POST" and wants_approval:
        if not may_review:
            return _forbidden(
                request, PermissionDenied(_("You may not review translations.")), case
            )
        try:
            services.translation_approve(user=user, case=case, language=language)
        except TransitionConflict as exc:
            status, conflict = 409, exc.message
        except ValidationError as exc:
            status, approval_errors = 400, exc.messages
        except PermissionDenied as exc:
            status, approval_errors = 403, [str(exc)]
        else:
            messages.success(
                request,
                _("The %(language)s translation is approved.") % {"language": language.name},
            )
            return redirect(_case_url(case, "statement"))
    elif request.method == "POST":
        if not may_edit:
            return _forbidden(
                request, PermissionDenied(_("You may review translations, not edit them.")), case
            )
        outcome = _submit(
            form,
            lambda title, text: services.translation_save(
                user=user, case=case, language=language, title=title, text=text
            ),
        )
        if outcome.ok:
            messages.success(
                request,
                _("The %(language)s translation is saved and awaits review.")
                % {"language": language.name},
            )
            return redirect(_case_url(case, "statement"))
        status, conflict = outcome.status, outcome.conflict or conflict
    may_approve = (
        may_review
        and translation is not None
        and translation.status == TranslationStatus.DRAFT
        and translation.translator_id != user.pk
    )
    return render(
        request,
        "casefiles/translation.html",
        {
            "case": case,
            "statement": statement,
            "language": language,
            "translation": translation,
            "form": form,
            # After a refused save the form stays, so that nothing typed is lost.
            "may_edit": may_edit and (not conflict or form.is_bound),
            "may_approve": may_approve and not conflict,
            "approval_errors": approval_errors,
            "conflict": conflict,
            "case_url": _case_url(case, "statement"),
        },
        status=status,
    )


# --- Outreach activities and follow-up actions --------------------------------------------------


def _simple_form_page(
    request: HttpRequest,
    *,
    case: Case,
    form: PageForm,
    call: Callable[..., Any],
    title: str,
    submit: str,
    done: str,
    anchor: str,
    intro: str = "",
    template: str = "casefiles/form_page.html",
    extra: dict | None = None,
) -> HttpResponse:
    status, conflict = 200, ""
    if request.method == "POST":
        outcome = _submit(form, call)
        if outcome.ok:
            messages.success(request, done)
            return redirect(_case_url(case, anchor))
        status, conflict = outcome.status, outcome.conflict
    return render(
        request,
        template,
        {
            "case": case,
            "form": form,
            "title": title,
            "submit": submit,
            "intro": intro,
            "conflict": conflict,
            "case_url": _case_url(case, anchor),
            **(extra or {}),
        },
        status=status,
    )


def _case_for(request: HttpRequest, reference: str, action: Action) -> Case:
    return selectors.case_get_for_user(user=request.user, reference=reference, action=action)


@require_http_methods(["GET", "POST"])
def outreach_add(request: HttpRequest, reference: str) -> HttpResponse:
    try:
        case = _case_for(request, reference, Action.OUTREACH_RECORD)
    except PermissionDenied as exc:
        return _forbidden(request, exc)
    form = f.OutreachForm(_posted(request), case=case, user=request.user)
    return _simple_form_page(
        request,
        case=case,
        form=form,
        call=lambda **data: services.outreach_add(user=request.user, case=case, **data),
        title=_("Add an outreach activity"),
        submit=_("Add the activity"),
        done=_("The outreach activity is recorded."),
        anchor="outreach",
        template="casefiles/step_record_outreach.html",
        extra={"step": None},
    )


@require_http_methods(["GET", "POST"])
def action_add(request: HttpRequest, reference: str) -> HttpResponse:
    try:
        case = _case_for(request, reference, Action.FOLLOW_UP_MANAGE)
    except PermissionDenied as exc:
        return _forbidden(request, exc)
    form = f.FollowUpActionForm(_posted(request))
    return _simple_form_page(
        request,
        case=case,
        form=form,
        call=lambda **data: services.follow_up_action_add(user=request.user, case=case, **data),
        title=_("Add a follow-up action"),
        submit=_("Add the action"),
        done=_("The follow-up action is added."),
        anchor="follow-up",
    )


def _outreach_with_commitments(case: Case) -> list[OutreachActivity]:
    """The case's outreach activities, each with its commitments and whether each is a
    follow-up action already (from the prefetched actions: no query)."""
    taken = {
        (action.source_outreach_id, action.source_commitment)
        for action in case.follow_up_actions.all()
        if action.source_outreach_id is not None
    }
    activities = list(case.outreach.all())
    for activity in activities:
        activity.commitments = [
            {"text": line, "taken": (activity.pk, line) in taken}
            for line in activity.commitment_lines()
        ]
        activity.commitments_open = any(not c["taken"] for c in activity.commitments)
    return activities


@require_http_methods(["GET", "POST"])
def outreach_actions(request: HttpRequest, reference: str, outreach_id: int) -> HttpResponse:
    """An outreach activity's commitments made into follow-up actions, one click each."""
    try:
        case = _case_for(request, reference, Action.FOLLOW_UP_MANAGE)
    except PermissionDenied as exc:
        return _forbidden(request, exc)
    outreach = get_object_or_404(OutreachActivity.objects.all(), pk=outreach_id, case=case)
    form = f.OutreachActionsForm(
        _posted(request), outreach=outreach, taken=services.commitments_taken(outreach)
    )
    return _simple_form_page(
        request,
        case=case,
        form=form,
        call=lambda **data: services.follow_up_actions_from_outreach(
            user=request.user, case=case, outreach=outreach, **data
        ),
        title=_("Add commitments as follow-up actions"),
        submit=_("Add the follow-up actions"),
        done=_("The commitments are added as follow-up actions."),
        anchor="follow-up",
        template="casefiles/outreach_actions.html",
        extra={"outreach": outreach},
    )


@require_http_methods(["GET", "POST"])
def action_update(request: HttpRequest, reference: str, action_id: int) -> HttpResponse:
    try:
        case = _case_for(request, reference, Action.FOLLOW_UP_MANAGE)
    except PermissionDenied as exc:
        return _forbidden(request, exc)
    action = get_object_or_404(FollowUpAction.objects.all(), pk=action_id, case=case)
    form = f.FollowUpActionUpdateForm(
        _posted(request),
        initial={
            "status": action.status,
            "drop_reason": action.drop_reason,
            "completed_on": action.completed_on,
        },
    )
    return _simple_form_page(
        request,
        case=case,
        form=form,
        call=lambda **data: services.follow_up_action_update(
            user=request.user, action=action, **data
        ),
        title=_("Update a follow-up action"),
        submit=_("Save"),
        done=_("The follow-up action is updated."),
        anchor="follow-up",
        template="casefiles/action_update.html",
        extra={"action": action},
    )


__all__ = [
    "action_add",
    "action_update",
    "case_detail",
    "case_list",
    "case_new",
    "case_step",
    "outreach_actions",
    "outreach_add",
    "translation_edit",
]
