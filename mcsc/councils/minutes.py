"""The minutes of a council meeting: an HTML preview and one PDF/A-3b per official language.

The labels of the document come from the project's translations (rendered under
``translation.override`` of each language); what the secretary typed stays as entered,
except where they gave a translation for that language (``AgendaItem.translations``,
``ActionItem.translations``). Everything the user typed goes through Django's
autoescaping: it is text in the PDF, never markup.

The PDF is rendered by ``mcsc.documents`` (PDF/A-3b, embedded DejaVu fonts), whose
fetcher serves only the minutes stylesheet from ``static/minutes/`` and refuses every
other URL, so nothing in a meeting record can make the renderer read a local file or call
a server.
"""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass
from typing import Any

from django.http import Http404, HttpResponse
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils import formats, timezone, translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from mcsc.councils.meetings import (
    Quorum,
    current_minutes,
    is_editable,
    meeting_quorum,
    minutes_languages,
    working_version,
)
from mcsc.documents import StaticFilesFetcher, render_pdf, static_url
from mcsc.models import (
    AttendanceStatus,
    Language,
    Meeting,
    Minutes,
    MinutesDocument,
    MinutesStatus,
    Municipality,
    Seat,
)

log = logging.getLogger(__name__)

STYLESHEET = "minutes/minutes.css"
# The static folder the minutes may use (their stylesheet); the renderer refuses the rest.
PDF_STATIC_DIRS = ("minutes",)
# Labels in a language without an interface translation (none of the official languages
# today) fall back to English.
FALLBACK_LOCALE = "en"


class MinutesRenderError(Exception):
    """Rendering the PDF failed; the meeting record is untouched and the error is logged."""


# --- What the document shows ------------------------------------------------------------


def municipality_name_in(municipality: Municipality, language: Language) -> str:
    """The municipality's name as written in ``language``."""
    if language.code == "sr-Cyrl":
        return municipality.name_sr_cyrl
    if language.family in {"sr", "bs", "hr"}:
        return municipality.name_sr
    return municipality.name_sq


def locale_of(language: Language) -> str:
    return language.django_code or FALLBACK_LOCALE


def css_string(text: str) -> str:
    """``text`` as a CSS string literal that is also safe inside ``<style>``."""
    safe = "".join(ch if (ch.isalnum() or ch in " .,:;-_/()") else f"\\{ord(ch):x} " for ch in text)
    return f'"{safe}"'


def _page_x_of_y() -> str:
    """The translated "Page X of Y" as CSS ``content`` (strings and page counters)."""
    label = _("Page %(page)s of %(pages)s")
    parts = []
    for piece in re.split(r"(%\(page\)s|%\(pages\)s)", label):
        if piece == "%(page)s":
            parts.append("counter(page)")
        elif piece == "%(pages)s":
            parts.append("counter(pages)")
        elif piece:
            parts.append(css_string(piece))
    return " ".join(parts)


@dataclass(frozen=True)
class Letterhead:
    lang: str
    republic: str
    municipality: str
    council: str


@dataclass(frozen=True)
class AttendanceRow:
    name: str
    seat: str
    status: str  # "present", "excused", "absent" or "" (not recorded)
    status_label: str


@dataclass(frozen=True)
class ActionRow:
    position: int | None
    description: str
    owner: str
    due_on: Any


@dataclass(frozen=True)
class ItemRow:
    position: int
    title: str
    case_reference: str
    discussion: str
    decisions: str
    actions: list[ActionRow]


def letterheads(municipality: Municipality) -> list[Letterhead]:
    """The letterhead lines in each official language of the municipality."""
    heads = []
    for language in minutes_languages(municipality):
        with translation.override(locale_of(language)):
            heads.append(
                Letterhead(
                    lang=language.code,
                    republic=_("Republic of Kosovo"),
                    municipality=_("Municipality of %(name)s")
                    % {"name": municipality_name_in(municipality, language)},
                    council=_("Municipal Community Safety Council"),
                )
            )
    return heads


def _seat_order(seat: str) -> int:
    return Seat.values.index(seat) if seat in Seat.values else len(Seat.values)


def attendance_rows(meeting: Meeting) -> list[AttendanceRow]:
    """Members in office on the day (and anyone else recorded), chair first."""
    day = timezone.localtime(meeting.starts_at).date()
    recorded = {row.member_id: row.status for row in meeting.attendance.all()}
    members = [m for m in meeting.council.members.all() if m.is_member_on(day) or m.pk in recorded]
    members.sort(key=lambda m: (_seat_order(m.seat), m.name))
    labels = dict(AttendanceStatus.choices)
    return [
        AttendanceRow(
            name=m.name,
            seat=m.get_seat_display(),
            status=recorded.get(m.pk, ""),
            status_label=str(labels[recorded[m.pk]]) if m.pk in recorded else _("Not recorded"),
        )
        for m in members
    ]


def item_rows(meeting: Meeting, code: str | None) -> tuple[list[ItemRow], list[ActionRow]]:
    items = sorted(meeting.agenda_items.all(), key=lambda i: i.position)
    positions = {item.pk: item.position for item in items}
    by_item: dict[int | None, list[ActionRow]] = {}
    every_action = []
    for action in sorted(meeting.action_items.all(), key=lambda a: (a.due_on, a.pk)):
        row = ActionRow(
            position=positions.get(action.agenda_item_id),
            description=action.text("description", code),
            owner=action.owner,
            due_on=action.due_on,
        )
        by_item.setdefault(action.agenda_item_id, []).append(row)
        every_action.append(row)
    rows = [
        ItemRow(
            position=item.position,
            title=item.text("title", code),
            # The case's reference, unless the item's title already is just that.
            case_reference=(
                item.case.reference if item.case_id and item.case.reference != item.title else ""
            ),
            discussion=item.text("discussion", code),
            decisions=item.text("decisions", code),
            actions=by_item.get(item.pk, []),
        )
        for item in items
    ]
    return rows, every_action


def _date(value) -> str:
    return formats.date_format(timezone.localtime(value).date()) if value else ""


def minutes_context(
    meeting: Meeting,
    language: Language,
    *,
    minutes: Minutes | None = None,
    for_pdf: bool = True,
) -> dict[str, Any]:
    """Everything the minutes template shows, in ``language`` (call under its override).

    ``minutes`` is the version being rendered; without it, the meeting's current version
    (or the first draft when there is none yet).
    """
    if minutes is None:
        minutes = current_minutes(meeting)
    draft = minutes is None or minutes.status == MinutesStatus.DRAFT
    version = minutes.version if minutes is not None else working_version(meeting)
    reference = minutes.reference if minutes is not None else meeting.minutes_reference
    quorum: Quorum = meeting_quorum(meeting)
    items, actions = item_rows(meeting, language.code)
    attendance = attendance_rows(meeting)
    secretary = meeting.created_by
    footer = _("Minutes %(reference)s, version %(version)s") % {
        "reference": reference,
        "version": version,
    }
    return {
        "meeting": meeting,
        "municipality": meeting.municipality,
        "language": language,
        "letterheads": letterheads(meeting.municipality),
        "municipality_name": municipality_name_in(meeting.municipality, language),
        "minutes": minutes,
        "draft": draft,
        "version": version,
        "reference": reference,
        "approved_on": _date(minutes.approved_at) if minutes and not draft else "",
        "approved_at_meeting_on": (
            _date(minutes.approved_at_meeting.starts_at)
            if minutes and not draft and minutes.approved_at_meeting_id
            else ""
        ),
        "amends_version": minutes.amends.version if minutes and minutes.amends_id else None,
        "amendment_reason": minutes.reason if minutes else "",
        "quorum": quorum,
        "attendance": attendance,
        "attendance_recorded": any(row.status for row in attendance),
        "guests": list(meeting.guests.all()),
        "items": items,
        "actions": actions,
        "chair_name": meeting.chair.name if meeting.chair_id else "",
        "secretary_name": (secretary.get_full_name() or secretary.get_username())
        if secretary
        else "",
        "stylesheet_url": static_url(STYLESHEET) if for_pdf else static(STYLESHEET),
        "page_css": (
            f"@page {{ @bottom-left {{ content: {css_string(footer)}; }} "
            f"@bottom-right {{ content: {_page_x_of_y()}; }} }}"
        ),
        "for_pdf": for_pdf,
    }


def minutes_body_html(
    meeting: Meeting, language: Language, *, minutes: Minutes | None = None
) -> str:
    """The minutes' content (no ``<html>``), for the preview page."""
    with translation.override(locale_of(language)):
        context = minutes_context(meeting, language, minutes=minutes, for_pdf=False)
        return render_to_string("minutes/_body.html", context)


def minutes_html(meeting: Meeting, language: Language, *, minutes: Minutes | None = None) -> str:
    """The complete HTML document WeasyPrint renders."""
    with translation.override(locale_of(language)):
        context = minutes_context(meeting, language, minutes=minutes, for_pdf=True)
        return render_to_string("minutes/document.html", context)


def html_to_pdf(html: str, *, url_fetcher: StaticFilesFetcher | None = None) -> bytes:
    return render_pdf(html, static_dirs=PDF_STATIC_DIRS, url_fetcher=url_fetcher)


def minutes_pdf(
    meeting: Meeting,
    language: Language,
    *,
    minutes: Minutes | None = None,
    url_fetcher: StaticFilesFetcher | None = None,
) -> bytes:
    """The minutes of ``meeting`` in ``language`` as PDF bytes.

    Raises ``MinutesRenderError`` (after logging the cause) when rendering fails.
    """
    html = minutes_html(meeting, language, minutes=minutes)
    try:
        return html_to_pdf(html, url_fetcher=url_fetcher)
    except Exception as exc:
        log.exception("Rendering the minutes of meeting %s in %s failed", meeting.pk, language.code)
        raise MinutesRenderError(
            _(
                "The minutes PDF (%(language)s) could not be generated. The meeting record "
                "is unchanged. The error was logged; try again, and tell an administrator "
                "if it happens again."
            )
            % {"language": language.name_native}
        ) from exc


# --- Serving ----------------------------------------------------------------------------


def minutes_language(meeting: Meeting, code: str | None) -> Language:
    """The official language ``code`` of the meeting's municipality (404 if it is not one);
    without a code, the user's interface language if it is one, else the first."""
    languages = minutes_languages(meeting.municipality)
    if not languages:
        raise Http404(_("The municipality has no official language recorded."))
    if code:
        for language in languages:
            if language.code == code:
                return language
        raise Http404(_("The minutes are not produced in this language."))
    interface = get_language()
    return next((lang for lang in languages if lang.django_code == interface), languages[0])


def minutes_file(meeting: Meeting, version: int, language: Language) -> tuple[bytes, str]:
    """(bytes, filename) of the minutes ``version`` in ``language``: the stored bytes of an
    approved version, a fresh rendering of a draft (``MinutesRenderError`` if that fails).
    Raises Http404 for a version that neither exists nor is the current draft."""
    minutes = next((m for m in meeting.minutes.all() if m.version == version), None)
    if minutes is not None and minutes.status != MinutesStatus.DRAFT:
        document = (
            MinutesDocument.objects.filter(minutes=minutes, language=language)
            .only("pdf", "sha256")
            .first()
        )
        if document is None:
            raise Http404(_("No stored PDF in this language."))
        return bytes(document.pdf), pdf_filename(minutes.reference, version, language, draft=False)
    if version != working_version(meeting) or not is_editable(meeting):
        raise Http404(_("No such version of the minutes."))
    pdf = minutes_pdf(meeting, language, minutes=minutes)
    return pdf, pdf_filename(meeting.minutes_reference, version, language, draft=True)


def pdf_response(data: bytes, filename: str, *, draft: bool) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Content-Length"] = str(len(data))
    response["X-Content-Type-Options"] = "nosniff"
    if draft:
        response["Cache-Control"] = "no-store"
    return response


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def pdf_filename(reference: str, version: int, language: Language, *, draft: bool) -> str:
    suffix = "-draft" if draft else ""
    return f"{reference}-v{version}-{language.code}{suffix}.pdf"
