"""The public pages: the municipality index, a municipality's statements, one statement
in one language, and the yearly statistics. Every view is ``@login_not_required``."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from casefiles.public.statements import (
    PAGE_SIZE,
    feed_url,
    municipality_languages,
    public_municipality_list,
    public_statement_get,
    public_statements,
    statement_url,
    statement_versions,
)
from casefiles.public.statistics import (
    COLUMN_LABELS,
    FIRST_YEAR,
    SMALL_COUNT,
    STEP_COLUMNS,
    Cell,
    public_statistics,
    public_table,
    statistics_years,
)
from mcsc.inputs import page_number
from mcsc.models import Language, Municipality


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
        page_number(request.GET.get("page"))
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
    table = public_table(public_statistics(municipality=municipality, year=year))
    labels = [COLUMN_LABELS[c] for c in STEP_COLUMNS]

    def cells(row: list[Cell]) -> list[dict[str, Any]]:
        return [
            {"label": label, "value": cell.text} for label, cell in zip(labels, row, strict=True)
        ]

    context = {
        "municipality": municipality,
        "year": year,
        "columns": labels,
        "rows": [{"label": row["label"], "cells": cells(row["cells"])} for row in table["rows"]],
        "total": cells(table["total"]),
        "years": statistics_years(municipality),
        "small_count": SMALL_COUNT,
    }
    return render(request, "public/statistics.html", context)
