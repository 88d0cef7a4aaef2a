"""The reference data API: municipalities, languages and communities (read-only)."""

from rest_framework import viewsets

from mcsc.api.serializers import CommunitySerializer, LanguageSerializer, MunicipalitySerializer
from mcsc.selectors import community_list, language_list, municipality_list


class MunicipalityViewSet(viewsets.ReadOnlyModelViewSet):
    """The 38 municipalities of Kosovo with their languages (reference data, readable by
    every signed-in user)."""

    serializer_class = MunicipalitySerializer
    lookup_field = "code"
    pagination_class = None

    def get_queryset(self):
        return municipality_list()


class LanguageViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = LanguageSerializer
    lookup_field = "code"
    lookup_value_regex = "[A-Za-z-]+"
    pagination_class = None

    def get_queryset(self):
        return language_list()


class CommunityViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = CommunitySerializer
    lookup_field = "code"
    pagination_class = None

    def get_queryset(self):
        return community_list()
