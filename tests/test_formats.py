"""Dates, times and numbers in every interface language: day first, a 24-hour clock, and
machine-readable output (SVG geometry) that never takes a decimal comma."""

import datetime as dt
import re
import xml.etree.ElementTree as ET

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import formats, translation

from mcsc.models import Community, Language, Municipality, Region
from tests.casefiles.builders import case_in, team

LANGUAGES = [code for code, _name in settings.LANGUAGES]
MOMENT = dt.datetime(2026, 3, 4, 15, 7)
NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
GEOMETRY = {"x", "y", "x1", "x2", "y1", "y2", "width", "height", "cx", "cy", "r", "rx"}


@pytest.mark.parametrize("language", LANGUAGES)
def test_dates_are_day_first_with_a_24_hour_clock(language):
    with translation.override(language):
        for name in (
            "DATE_FORMAT",
            "DATETIME_FORMAT",
            "SHORT_DATE_FORMAT",
            "SHORT_DATETIME_FORMAT",
        ):
            text = formats.date_format(MOMENT, name)
            assert text.index("4") < text.index("2026"), (name, text)
            assert not re.search(r"03/04|a\.m\.|p\.m\.|AM|PM", text), (name, text)
        assert formats.time_format(MOMENT.time(), "TIME_FORMAT") == "15:07"


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_case_timeline_svg_keeps_its_geometry_in_every_language(client, language):
    t = team()
    case = case_in(t, "follow_up")
    client.force_login(t.secretary)
    response = client.get(
        reverse("casefiles:detail", args=[case.reference]), HTTP_ACCEPT_LANGUAGE=language
    )
    html = response.content.decode()
    [svg] = re.findall(r'<svg viewBox="0 0 760.*?</svg>', html, re.S)
    root = ET.fromstring(svg)  # noqa: S314 - our own page
    values = [
        (element.tag, name, value)
        for element in root.iter()
        for name, value in element.attrib.items()
        if name in GEOMETRY and element is not root
    ]
    assert values
    assert [v for v in values if not NUMBER.match(v[2])] == []
    assert any(tag.endswith("rect") for tag, _n, _v in values)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "community", "lang_name", "region", "municipality"),
    [
        ("en", "Serb", "Turkish", "Gjilan", "Gračanica"),
        ("sq", "Serbët", "Turqisht", "Gjilan", "Graçanicë"),
        ("sr", "Срби", "Турски", "Гњилане", "Грачаница"),
        ("sr-latn", "Srbi", "Turski", "Gnjilane", "Gračanica"),
        ("tr", "Sırplar", "Türkçe", "Gjilan", "Graçanicë"),
        ("bs", "Srbi", "Turski", "Gnjilane", "Gračanica"),
    ],
)
def test_reference_data_is_named_in_the_interface_language(
    language, community, lang_name, region, municipality
):
    with translation.override(language):
        assert Community.objects.get(code="serb").name == community
        assert Language.objects.get(code="tr").name == lang_name
        assert Region.objects.get(code="gjilan").name == region
        assert Municipality.objects.get(slug="gracanica").name == municipality
