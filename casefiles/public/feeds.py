"""Atom feeds of published statements, one per municipality and language (no login).

``/public/<municipality>/feed/<language>.atom`` lists the municipality's public statements
that exist in that language (their source language or an approved translation of the
published version), newest first, each entry with the title and full text in that
language. What is public is decided by ``casefiles.public.statements``.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import translation
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from casefiles.models import Statement
from casefiles.public.statements import PublicVersion, public_statements, statement_url, version_in
from mcsc.models import Language, Municipality

FEED_SIZE = 50


class StatementAtom1Feed(Atom1Feed):
    """Atom with each entry's full text as ``<content type="text">``."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("content"):
            handler.addQuickElement("content", item["content"], {"type": "text"})


@dataclass(frozen=True)
class FeedSubject:
    municipality: Municipality
    language: Language


@dataclass(frozen=True)
class FeedEntry:
    statement: Statement
    version: PublicVersion


def municipality_name_in(municipality: Municipality, language: Language) -> str:
    """The municipality's name in the feed's language (script), as far as it is known."""
    if language.family == "sq":
        return municipality.name_sq
    if language.code == "sr-Cyrl":
        return municipality.name_sr_cyrl
    if language.family in {"sr", "bs", "hr"}:
        return municipality.name_sr
    return municipality.name_osce_style


class MunicipalityStatementsFeed(Feed):
    feed_type = StatementAtom1Feed

    def get_object(self, request, slug: str, language_code: str) -> FeedSubject:
        return FeedSubject(
            municipality=get_object_or_404(Municipality, slug=slug),
            language=get_object_or_404(Language, code=language_code),
        )

    def get_feed(self, obj: FeedSubject, request):
        # The feed's texts are in its language (as far as the interface is translated into
        # it), and the root element says which language that is (xml:lang).
        with translation.override(obj.language.django_code or translation.get_language()):
            feed = super().get_feed(obj, request)
        feed.feed["language"] = obj.language.code
        return feed

    def title(self, obj: FeedSubject) -> str:
        return _("%(municipality)s: public statements (%(language)s)") % {
            "municipality": municipality_name_in(obj.municipality, obj.language),
            "language": obj.language.name_native,
        }

    def subtitle(self, obj: FeedSubject) -> str:
        return _(
            "Statements the municipality published about security incidents affecting "
            "communities, in %(language)s."
        ) % {"language": obj.language.name_native}

    def link(self, obj: FeedSubject) -> str:
        url = reverse("public:municipality", args=[obj.municipality.slug])
        return f"{url}?language={obj.language.code}"

    def author_name(self, obj: FeedSubject) -> str:
        return municipality_name_in(obj.municipality, obj.language)

    def items(self, obj: FeedSubject) -> list[FeedEntry]:
        statements = public_statements(municipality=obj.municipality, language=obj.language)
        entries = []
        for statement in statements[:FEED_SIZE]:
            version = version_in(statement, obj.language.code)
            if version is not None:
                entries.append(FeedEntry(statement, version))
        return entries

    def item_title(self, item: FeedEntry) -> str:
        return item.version.title  # Atom titles are text: no HTML escaping here

    def item_description(self, item: FeedEntry) -> str:
        # <summary type="html">: the start of the text, escaped.
        return escape(Truncator(item.version.text).words(40))

    def item_extra_kwargs(self, item: FeedEntry) -> dict:
        return {"content": item.version.text}

    def item_link(self, item: FeedEntry) -> str:
        return statement_url(item.statement, item.version.language.code)

    def item_pubdate(self, item: FeedEntry):
        return item.statement.case.published_at

    def item_updateddate(self, item: FeedEntry):
        return item.statement.case.published_at
