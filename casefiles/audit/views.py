"""The audit trail for monitors (and the municipality's own staff): browse, checkpoint.

Who sees what: an event is shown to a user who holds the audit right (``AUDIT_VIEW``) in
the event's municipality. Events of no municipality (system-wide ones, such as checkpoints
taken) are shown only to users who hold that right everywhere: administrators and
monitors of all municipalities. A regional monitor sees the region's municipalities only.

Checkpoints: the chain is one chain over all events. A checkpoint is its length and head
hash, which reveal no content, so any user with the audit right may take one, whatever
their scope; each download is itself an ``audit.checkpoint`` event (written after the
checkpoint was computed, so the checkpoint describes the chain just before it), which is
why a checkpoint is taken only by a POST.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from dataclasses import dataclass, replace
from typing import Any

from django import forms
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_http_methods

from casefiles.audit.checkpoints import (
    audit_checkpoint_record,
    audit_verify_checkpoint,
    checkpoint_clean,
)
from casefiles.models import READ_ACTIONS, AuditAction, AuditEvent, Case, CaseState
from mcsc.forms import PageForm, date_field
from mcsc.inputs import page_number
from mcsc.permissions import (
    ROLE_ACTIONS,
    Action,
    get_for_user,
    municipalities_where,
    municipality_filter_for_user,
    scope_filter,
    user_can_anywhere,
    user_scope,
)

PAGE_SIZE = 50

# Keys of changes/payloads that could hold personal data if a future service put it
# there; the summary names them as "personal data" and never shows them raw.
PERSONAL_KEYS = frozenset({"name", "contact", "notes", "people"})


# --- Selectors ------------------------------------------------------------------------------


def audit_scope_q(user: Any) -> Q:
    """Events whose municipality the user may audit; system-wide ones only for global users."""
    scope = user_scope(user)
    if any(Action.AUDIT_VIEW in ROLE_ACTIONS[role] for role in scope.everywhere):
        return Q()
    allowed = sorted(mid for mid in scope.by_municipality if scope.allows(Action.AUDIT_VIEW, mid))
    return Q(municipality_id__in=allowed)


def require_audit_right(user: Any) -> None:
    if not user_can_anywhere(user, Action.AUDIT_VIEW):
        raise PermissionDenied(_("You do not have the right to see the audit trail."))


@dataclass(frozen=True)
class AuditFilters:
    municipality: str | None = None  # statistical office code
    case: str | None = None  # case reference
    actor: str | None = None  # username
    action: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    # Leave out the requesting user's own reads (``READ_ACTIONS``): the page does by
    # default, so that a monitor's trail is not their own page views.
    hide_own_reads: bool = False


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def audit_event_list(*, user: Any, filters: AuditFilters | None = None) -> QuerySet[AuditEvent]:
    """The events the user may see, newest first, narrowed by ``filters``.

    A municipality or case outside what the user may audit raises Http404 (its existence
    is not revealed); a case visible to the user without the audit right, PermissionDenied;
    a malformed municipality code, ValidationError.
    """
    require_audit_right(user)
    filters = filters or AuditFilters()
    events = scope_filter(user, AuditEvent.objects.all()).filter(audit_scope_q(user))
    municipality = municipality_filter_for_user(
        user=user, code=filters.municipality, action=Action.AUDIT_VIEW
    )
    if municipality is not None:
        events = events.filter(municipality=municipality)
    if filters.case:
        case = get_for_user(
            user,
            Case.objects.all(),
            action=Action.AUDIT_VIEW,
            reference=filters.case.strip().upper(),
        )
        events = events.filter(case=case)
    if filters.actor:
        events = events.filter(actor_name__iexact=filters.actor.strip())
    if filters.action:
        events = events.filter(action=filters.action)
    if filters.date_from:
        events = events.filter(created_at__gte=_day_start(filters.date_from))
    if filters.date_to:
        events = events.filter(created_at__lt=_day_start(filters.date_to + dt.timedelta(days=1)))
    if filters.hide_own_reads:
        events = events.exclude(actor_id=user.pk, action__in=sorted(READ_ACTIONS))
    return events.select_related("municipality", "case").order_by("-sequence")


# Events that record reading or signing in, not a change: the home page's newest changes
# leave them out (the audit trail shows them), so that reads, a monitor's own among them,
# do not push the changes off the list.
NOT_CHANGES = sorted(READ_ACTIONS | {AuditAction.AUTH_SIGN_IN, AuditAction.AUTH_SIGN_OUT})


def audit_newest_changes(*, user: Any, limit: int = 8) -> list[AuditEvent]:
    """The newest events the user may audit that changed something."""
    return list(audit_event_list(user=user).exclude(action__in=NOT_CHANGES)[:limit])


def _state_label(value: str) -> str:
    return str(CaseState(value).label) if value in CaseState.values else value


# Keys of a meeting's record that are not fields of one model.
_RECORD_KEYS = {
    "attendance": gettext_lazy("attendance"),
    "agenda": gettext_lazy("agenda"),
    "guests": gettext_lazy("guests"),
    "action_items": gettext_lazy("action items"),
}


@functools.cache
def _field_labels() -> dict[str, Any]:
    """Field name -> its (translatable) verbose name, over the models whose changes the
    trail records."""
    labels: dict[str, Any] = dict(_RECORD_KEYS)
    for config in (apps.get_app_config("casefiles"), apps.get_app_config("mcsc")):
        for model in config.get_models():
            for field in model._meta.get_fields():
                if hasattr(field, "verbose_name"):
                    labels.setdefault(field.name, field.verbose_name)
    return labels


def _change_label(key: str) -> str:
    """ "agenda.3.title" -> "agenda › title", in the interface language."""
    labels = _field_labels()
    return " › ".join(str(labels.get(part, part)) for part in key.split(".") if not part.isdigit())


def audit_changes_summary(event: AuditEvent) -> str:
    """The names of the fields an event changed (never their values), as a reader of the
    interface language knows them."""
    keys = sorted(event.changes or {})
    shown = [_change_label(key) for key in keys if key not in PERSONAL_KEYS]
    if len(shown) < len(keys):
        shown.append(str(_("personal data")))
    return ", ".join(shown)


def audit_row(event: AuditEvent) -> dict[str, Any]:
    action = AuditAction(event.action).label if event.action in AuditAction.values else event.action
    return {
        "sequence": event.sequence,
        "created_at": timezone.localtime(event.created_at),
        # A step recorded for an earlier moment (demo data, cases first kept on paper).
        "as_of": timezone.localtime(event.as_of) if event.as_of else None,
        "actor": event.actor_name,
        "action": event.action,
        "action_label": action,
        "municipality": event.municipality,
        "case": event.case,
        "from_state": _state_label(event.from_state) if event.from_state else "",
        "to_state": _state_label(event.to_state) if event.to_state else "",
        "changes": audit_changes_summary(event),
        "hash": event.hash,
    }


# --- Forms ----------------------------------------------------------------------------------


class AuditFilterForm(PageForm):
    """The filters of the audit trail (a GET form: every field optional)."""

    municipality = forms.ChoiceField(label=gettext_lazy("Municipality"), required=False)
    case = forms.CharField(
        label=gettext_lazy("Case reference"),
        required=False,
        max_length=20,
        help_text=gettext_lazy("The reference shown on the case page"),
    )
    actor = forms.CharField(label=gettext_lazy("User name"), required=False, max_length=150)
    action = forms.ChoiceField(
        label=pgettext_lazy("audit event kind", "Action"),
        required=False,
        choices=[("", gettext_lazy("All")), *AuditAction.choices],
    )
    date_from = date_field(gettext_lazy("From"), required=False)
    date_to = date_field(gettext_lazy("Until"), required=False)
    own_reads = forms.BooleanField(
        label=gettext_lazy("Show my own reads"),
        required=False,
        help_text=gettext_lazy("Case pages you opened, your exports and checkpoints."),
    )
    # Not a filter of what happened, only of whose reads are left out.
    NOT_FILTERS = ("own_reads",)

    def __init__(self, *args, municipalities=None, **kwargs):
        super().__init__(*args, **kwargs)
        if municipalities is None:
            del self.fields["municipality"]
        else:
            self.fields["municipality"].choices = [("", _("All"))] + [
                (m.code, str(m)) for m in municipalities
            ]

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            self.add_error("date_to", _("The end date cannot come before the start date."))
        return data

    def filters(self) -> AuditFilters:
        data = self.cleaned_data  # only the valid filters
        return AuditFilters(
            municipality=data.get("municipality") or None,
            case=data.get("case") or None,
            actor=data.get("actor") or None,
            action=data.get("action") or None,
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            hide_own_reads=not data.get("own_reads"),
        )

    def is_filtered(self) -> bool:
        return any(
            self.cleaned_data.get(name) for name in self.fields if name not in self.NOT_FILTERS
        )


class CheckpointForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Checkpoint file"),
        required=False,
        help_text=gettext_lazy("The .json file downloaded earlier."),
    )
    text = forms.CharField(
        label=gettext_lazy("Or paste the checkpoint"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5, "spellcheck": "false"}),
        help_text=gettext_lazy('For example {"count": 120, "head_hash": "…", "time": "…"}'),
    )

    def clean(self):
        data = super().clean()
        upload, text = data.get("file"), (data.get("text") or "").strip()
        if upload is None and not text:
            raise forms.ValidationError(_("Choose a checkpoint file or paste one."))
        if upload is not None:
            if upload.size > 64 * 1024:
                raise forms.ValidationError(_("This file is too large to be a checkpoint."))
            raw = upload.read()
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                raise forms.ValidationError(_("This file is not a checkpoint.")) from None
        try:
            data["checkpoint"] = checkpoint_clean(text)
        except ValueError as exc:
            raise forms.ValidationError(
                _("This is not a valid checkpoint: %(reason)s.") % {"reason": exc}
            ) from None
        return data


# --- Views ----------------------------------------------------------------------------------


@require_http_methods(["GET"])
def audit_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    require_audit_right(user)
    allowed = municipalities_where(user, Action.AUDIT_VIEW)
    scope = user_scope(user)
    several = scope.is_global or len(scope.municipality_ids) > 1
    form = AuditFilterForm(request.GET, municipalities=list(allowed) if several else None)
    form.is_valid()
    # Checked against the scope whether or not the form offers the field (it does only to
    # users who audit several municipalities): outside it, 404; malformed, a form error.
    try:
        municipality = municipality_filter_for_user(
            user=user, code=request.GET.get("municipality"), action=Action.AUDIT_VIEW
        )
    except ValidationError as exc:
        form.errors.pop("municipality", None)  # "not one of the choices" says less
        target = "municipality" if "municipality" in form.fields else None
        form.add_error(target, exc.message_dict["municipality"])
        municipality = None
    filters = replace(form.filters(), municipality=municipality.code if municipality else None)
    events = audit_event_list(user=user, filters=filters)
    page = Paginator(events, PAGE_SIZE).get_page(page_number(request.GET.get("page")))
    # One click shows or hides the user's own reads, keeping the other filters.
    toggled = request.GET.copy()
    toggled.pop("page", None)
    if filters.hide_own_reads:
        toggled["own_reads"] = "on"
    else:
        toggled.pop("own_reads", None)
    context = {
        "form": form,
        "page_obj": page,
        "rows": [audit_row(event) for event in page.object_list],
        "filtered": form.is_filtered(),
        "global_scope": not audit_scope_q(user),
        "hide_own_reads": filters.hide_own_reads,
        "own_reads_toggle": f"?{toggled.urlencode()}",
    }
    return render(request, "audit/list.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def checkpoint_download(request: HttpRequest) -> HttpResponse:
    """The checkpoint file, taken by the button of the checkpoint page (a POST: taking one
    writes an audit event). A GET changes nothing and leads to that page."""
    require_audit_right(request.user)
    if request.method != "POST":
        return redirect("audit:checkpoint", permanent=False)
    checkpoint = audit_checkpoint_record(actor=request.user, via="page")
    response = HttpResponse(
        json.dumps(checkpoint, indent=2) + "\n", content_type="application/json"
    )
    filename = f"mcsc-audit-checkpoint-{checkpoint['count']}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET", "POST"])
def checkpoint_verify(request: HttpRequest) -> HttpResponse:
    require_audit_right(request.user)
    posted = request.method == "POST"
    form = CheckpointForm(request.POST, request.FILES) if posted else CheckpointForm()
    result, status = None, 200
    if posted:
        if form.is_valid():
            checkpoint = form.cleaned_data["checkpoint"]
            report = audit_verify_checkpoint(checkpoint)
            result = {"checkpoint": checkpoint, "report": report}
        else:
            status = 400
    return render(request, "audit/checkpoint.html", {"form": form, "result": result}, status=status)
