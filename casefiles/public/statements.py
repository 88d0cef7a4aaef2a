"""Which statements are public, in which languages, and their addresses."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from casefiles.models import (
    CaseState,
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


def statement_url(statement: Statement, language_code: str) -> str:
    return reverse(
        "public:statement",
        args=[statement.case.municipality.slug, statement.case.reference, language_code],
    )


def feed_url(municipality: Municipality, language_code: str) -> str:
    return reverse("public:feed", args=[municipality.slug, language_code])
