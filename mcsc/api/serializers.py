"""Serializers of the reference data API."""

from rest_framework import serializers

from mcsc.models import (
    Community,
    Language,
    Municipality,
)


class LanguageSerializer(serializers.ModelSerializer):
    class Meta:
        model = Language
        fields = ["code", "family", "name_en", "name_native", "script", "django_code"]


class CommunitySerializer(serializers.ModelSerializer):
    language = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Community
        fields = ["code", "name_en", "name_sq", "name_sr", "language", "uncertainty_note"]


class MunicipalitySerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)
    majority_community = serializers.SlugRelatedField(slug_field="code", read_only=True)
    official_languages = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    languages_in_official_use = serializers.SlugRelatedField(
        slug_field="code", many=True, read_only=True
    )

    class Meta:
        model = Municipality
        fields = [
            "code",
            "slug",
            "name_sq",
            "name_sr",
            "name_sr_cyrl",
            "name_en",
            "region",
            "official_languages",
            "languages_in_official_use",
            "majority_community",
            "uncertainty_note",
        ]
