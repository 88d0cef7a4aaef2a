"""Public transparency pages (no login): published statements and anonymised statistics.

What is public, and only that:

- a statement is public once the municipality published it: the case is in
  ``statement_published`` or a later state (outreach conducted, follow-up, closed; a
  reopened closed case is back in follow-up, so it stays public), and the statement
  version is the one marked published. Drafts, approved-but-unpublished statements,
  rejected versions, unapproved translations and dismissed incidents never are;
- a statement is shown in its source language and in each *approved* translation of that
  published version, with the municipality's name and the publication date. Nothing else
  of the case: no settlement, location, summary, people or category;
- yearly statistics count verified incidents (never reported-but-unverified or dismissed
  ones) by category and by how far the response went. Counts of 1 or 2 are shown as
  "fewer than 3" so that no count points at a person or a household.

Every view is ``@login_not_required``; everything else keeps needing a login.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from casefiles.models import (
    Case,
    CaseState,
    Category,
    Statement,
    StatementStatus,
    Translation,
    TranslationStatus,
)
from mcsc.models import Language, Municipality

# The states in which the case's statement has been published (and stays so).
PUBLIC_STATES = (
    CaseState.STATEMENT_PUBLISHED,
    CaseState.OUTREACH_CONDUCTED,
    CaseState.FOLLOW_UP,
    CaseState.CLOSED,
)
PAGE_SIZE = 25
FIRST_YEAR = 2000  # statistics pages exist from this year to the current one
SMALL_COUNT = 3  # counts below this are shown as "fewer than 3"


# --- Selectors ------------------------------------------------------------------------------


def public_statements(
    *, municipality: Municipality | None = None, language: Language | None = None
) -> QuerySet[Statement]:
    """Published statement versions of cases in a public state, newest publication first.

    With ``language``, only those that exist in it (source or approved translation). Each
    statement carries ``public_translations``: its approved translations.
    """
    newer_published = Statement.objects.filter(
        case=OuterRef("case"), status=StatementStatus.PUBLISHED, version__gt=OuterRef("version")
    )
    statements = Statement.objects.filter(
        status=StatementStatus.PUBLISHED,
        case__state__in=PUBLIC_STATES,
        case__published_at__isnull=False,
    ).exclude(Exists(newer_published))
    if municipality is not None:
        statements = statements.filter(case__municipality=municipality)
    if language is not None:
        in_language = Translation.objects.filter(
            statement=OuterRef("pk"), language=language, status=TranslationStatus.APPROVED
        )
        statements = statements.filter(Q(language=language) | Q(Exists(in_language)))
    approved = Translation.objects.filter(status=TranslationStatus.APPROVED).select_related(
        "language"
    )
    return (
        statements.select_related("case__municipality", "language")
        .prefetch_related(
            Prefetch("translations", queryset=approved, to_attr="public_translations")
        )
        .order_by("-case__published_at", "-case_id")
    )


@dataclass(frozen=True)
class PublicVersion:
    """A published statement in one language."""

    language: Language
    title: str
    text: str
    is_source: bool = False


def statement_versions(statement: Statement) -> list[PublicVersion]:
    """The statement in every language it was published in (source first by sort order)."""
    versions = [PublicVersion(statement.language, statement.title, statement.text, True)]
    versions += [
        PublicVersion(t.language, t.title, t.text)
        for t in statement.public_translations
        if t.language_id != statement.language_id
    ]
    return sorted(versions, key=lambda v: (v.language.sort_order, v.language.code))


def version_in(statement: Statement, code: str) -> PublicVersion | None:
    return next((v for v in statement_versions(statement) if v.language.code == code), None)


def public_statement_get(*, municipality: Municipality, reference: str) -> Statement:
    """The public statement of one case of ``municipality``; 404 unless it is public."""
    statement = public_statements(municipality=municipality).filter(case__reference=reference)
    found = statement.first()
    if found is None:
        raise Http404(_("No published statement has this address."))
    return found


def public_municipality_list() -> QuerySet[Municipality]:
    """Every municipality, with ``published``: its number of public statements."""
    return Municipality.objects.annotate(
        published=Count(
            "cases",
            filter=Q(
                cases__state__in=PUBLIC_STATES,
                cases__published_at__isnull=False,
                cases__statements__status=StatementStatus.PUBLISHED,
            ),
            distinct=True,
        )
    ).order_by("name_sq")


def municipality_languages(municipality: Municipality) -> list[Language]:
    """Its official languages and languages in official use, and every language one of its
    public statements exists in: the languages a reader can ask for (one query)."""
    public = public_statements(municipality=municipality)
    source = public.values("language_id")
    translated = Translation.objects.filter(
        statement__in=public.values("pk"), status=TranslationStatus.APPROVED
    ).values("language_id")
    return list(
        Language.objects.filter(
            Q(official_in=municipality)
            | Q(in_official_use_in=municipality)
            | Q(pk__in=source)
            | Q(pk__in=translated)
        )
        .distinct()
        .order_by("sort_order", "code")
    )


def _incident_year_bounds(year: int) -> tuple[dt.datetime, dt.datetime]:
    start = timezone.make_aware(dt.datetime(year, 1, 1))  # local midnight
    end = timezone.make_aware(dt.datetime(year + 1, 1, 1))
    return start, end


def _counted_cases(municipality: Municipality) -> QuerySet[Case]:
    """The incidents statistics count: verified ones, never dismissed or unverified."""
    return Case.objects.filter(municipality=municipality, verified_at__isnull=False).exclude(
        state__in=[CaseState.DISMISSED, CaseState.REPORTED]
    )


def statistics_years(municipality: Municipality) -> list[int]:
    """Years with counted incidents, and the current year, newest first."""
    years = {d.year for d in _counted_cases(municipality).dates("occurred_at", "year")}
    years.add(timezone.localdate().year)
    return sorted(years, reverse=True)


# How far the response went, each step with the states that mean it was done.
STEP_STATES: dict[str, tuple[str, ...]] = {
    "convened": (
        CaseState.COUNCIL_CONVENED,
        CaseState.STATEMENT_DRAFTED,
        CaseState.STATEMENT_APPROVED,
        *PUBLIC_STATES,
    ),
    "published": PUBLIC_STATES,
    "outreach": (CaseState.OUTREACH_CONDUCTED, CaseState.FOLLOW_UP, CaseState.CLOSED),
    "closed": (CaseState.CLOSED,),
}
STEP_COLUMNS = ["incidents", *STEP_STATES]
COLUMN_LABELS = {
    "incidents": gettext_lazy("Verified incidents"),
    "convened": gettext_lazy("Council convened"),
    "published": gettext_lazy("Statement published"),
    "outreach": gettext_lazy("Outreach conducted"),
    "closed": gettext_lazy("Closed after follow-up"),
}


def public_statistics(*, municipality: Municipality, year: int) -> dict[str, Any]:
    """Counts of verified incidents of ``year`` by category and step reached (one query).

    ``rows``: one per category (every category, zeros included), then ``total``; each a
    dict of raw counts per column. Suppression for display is ``display_count``'s job.
    """
    start, end = _incident_year_bounds(year)
    counts = (
        _counted_cases(municipality)
        .filter(occurred_at__gte=start, occurred_at__lt=end)
        .values("category")
        .annotate(
            incidents=Count("id"),
            **{
                step: Count("id", filter=Q(state__in=states))
                for step, states in STEP_STATES.items()
            },
        )
        .order_by()
    )
    by_category = {row["category"]: row for row in counts}
    rows = []
    for category in Category:
        found = by_category.get(category.value, {})
        rows.append(
            {"label": category.label, **{column: found.get(column, 0) for column in STEP_COLUMNS}}
        )
    total = {column: sum(row[column] for row in rows) for column in STEP_COLUMNS}
    return {"rows": rows, "total": total}


def display_count(value: int) -> str:
    """A count as the public sees it: 0 as 0, 1 and 2 as "fewer than 3", then the number."""
    if 0 < value < SMALL_COUNT:
        return _("fewer than %(limit)d") % {"limit": SMALL_COUNT}
    return str(value)


# --- Views ----------------------------------------------------------------------------------


def statement_url(statement: Statement, language_code: str) -> str:
    return reverse(
        "public:statement",
        args=[statement.case.municipality.slug, statement.case.reference, language_code],
    )


def feed_url(municipality: Municipality, language_code: str) -> str:
    return reverse("public:feed", args=[municipality.slug, language_code])


def _preferred_language(request: HttpRequest, languages: list[Language]) -> Language | None:
    """The language asked for (``?language=``), else the interface's, else the first."""
    by_code = {language.code: language for language in languages}
    asked = request.GET.get("language", "")
    if asked in by_code:
        return by_code[asked]
    interface = (get_language() or "").lower()
    for language in languages:
        if language.django_code and language.django_code.lower() == interface:
            return language
    return languages[0] if languages else None


@login_not_required
@require_http_methods(["GET"])
def public_index(request: HttpRequest) -> HttpResponse:
    municipalities = list(public_municipality_list())
    return render(
        request,
        "public/index.html",
        {
            "municipalities": municipalities,
            "total": sum(m.published for m in municipalities),
        },
    )


@login_not_required
@require_http_methods(["GET"])
def public_municipality(request: HttpRequest, slug: str) -> HttpResponse:
    municipality = get_object_or_404(Municipality, slug=slug)
    languages = municipality_languages(municipality)
    chosen = _preferred_language(request, languages)
    page = Paginator(public_statements(municipality=municipality), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    entries = []
    for statement in page.object_list:
        versions = statement_versions(statement)
        shown = next(
            (v for v in versions if chosen and v.language.pk == chosen.pk),
            next(v for v in versions if v.is_source),
        )
        entries.append(
            {
                "statement": statement,
                "shown": shown,
                "url": statement_url(statement, shown.language.code),
                "versions": [
                    {"version": v, "url": statement_url(statement, v.language.code)}
                    for v in versions
                ],
            }
        )
    context = {
        "municipality": municipality,
        "statement_languages": languages,
        "chosen": chosen,
        "page_obj": page,
        "entries": entries,
        "feeds": [
            {"language": lang, "url": feed_url(municipality, lang.code)} for lang in languages
        ],
        "years": statistics_years(municipality),
    }
    return render(request, "public/municipality.html", context)


@login_not_required
@require_http_methods(["GET"])
def public_statement(
    request: HttpRequest, slug: str, reference: str, language_code: str
) -> HttpResponse:
    municipality = get_object_or_404(Municipality, slug=slug)
    statement = public_statement_get(municipality=municipality, reference=reference)
    versions = statement_versions(statement)
    current = next((v for v in versions if v.language.code == language_code), None)
    if current is None:
        raise Http404(_("This statement was not published in this language."))
    context = {
        "municipality": municipality,
        "statement": statement,
        "published_at": timezone.localtime(statement.case.published_at),
        "current": current,
        "versions": [
            {"version": v, "url": statement_url(statement, v.language.code)} for v in versions
        ],
        "feed_url": feed_url(municipality, current.language.code),
    }
    return render(request, "public/statement.html", context)


@login_not_required
@require_http_methods(["GET"])
def public_statistics_view(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    municipality = get_object_or_404(Municipality, slug=slug)
    if not FIRST_YEAR <= year <= timezone.localdate().year:
        raise Http404(_("There are no statistics for this year."))
    stats = public_statistics(municipality=municipality, year=year)

    def cells(counts: dict[str, int]) -> list[dict[str, Any]]:
        return [
            {"label": COLUMN_LABELS[c], "value": display_count(counts[c])} for c in STEP_COLUMNS
        ]

    context = {
        "municipality": municipality,
        "year": year,
        "columns": [COLUMN_LABELS[c] for c in STEP_COLUMNS],
        "rows": [{"label": row["label"], "cells": cells(row)} for row in stats["rows"]],
        "total": cells(stats["total"]),
        "years": statistics_years(municipality),
        "small_count": SMALL_COUNT,
    }
    return render(request, "public/statistics.html", context)
