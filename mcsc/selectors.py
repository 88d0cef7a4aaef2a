"""Reads of reference data: public knowledge, not scoped."""

from django.db.models import QuerySet

from mcsc.models import (
    Community,
    Language,
    Municipality,
)


def municipality_list() -> QuerySet[Municipality]:
    return Municipality.objects.select_related("region", "majority_community").prefetch_related(
        "official_languages", "languages_in_official_use"
    )


def language_list() -> QuerySet[Language]:
    return Language.objects.all()


def community_list() -> QuerySet[Community]:
    return Community.objects.select_related("language")
