"""An incident's coordinates: one rule in the service for pages and API (inside Kosovo,
both or neither), pasted as one pair on the page, shown as a link to OpenStreetMap."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from casefiles.forms import parse_coordinates
from casefiles.models import Case
from mcsc.profiles import profile_language_set
from tests.casefiles.builders import api_client, open_case, page_client, team
from tests.factories import community

pytestmark = pytest.mark.django_db

LOCAL = "%Y-%m-%dT%H:%M"


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def refused(t, **coordinates) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        open_case(t, **coordinates)
    return caught.value.message_dict


@pytest.mark.parametrize(
    "text",
    [
        "42.6629, 21.1655",
        "42.6629,21.1655",
        "42.6629 21.1655",
        "42,6629; 21,1655",
        "42,6629, 21,1655",
        "42.6629° N, 21.1655° E",
        " 42.662900 21.165500 ",
    ],
)
def test_a_pasted_pair_is_read_in_the_forms_map_apps_and_phones_give(text):
    assert parse_coordinates(text) == (Decimal("42.66290"), Decimal("21.16550"))


@pytest.mark.parametrize("text", ["42.6629", "north of the mosque", "42.1 21.1 3", "42..1, 21"])
def test_a_single_number_or_words_are_not_a_pair(text):
    with pytest.raises(ValidationError):
        parse_coordinates(text)


def test_the_service_accepts_a_place_in_kosovo_and_refuses_one_outside():
    t = team("prizren")
    case = open_case(t, latitude=Decimal("42.20930"), longitude=Decimal("20.74080"))
    assert (case.latitude, case.longitude) == (Decimal("42.20930"), Decimal("20.74080"))
    # Tirana (Albania) and Niš (Serbia): each number says what is wrong with it.
    tirana = refused(t, latitude=Decimal("41.32750"), longitude=Decimal("19.81870"))
    assert set(tirana) == {"latitude", "longitude"}
    assert "outside Kosovo" in tirana["latitude"][0] and "41.84" in tirana["latitude"][0]
    nis = refused(t, latitude=Decimal("43.32000"), longitude=Decimal("21.90000"))
    assert set(nis) == {"latitude", "longitude"}


def test_swapped_numbers_and_half_a_pair_are_named_as_such():
    t = team("prizren")
    swapped = refused(t, latitude=Decimal("20.74080"), longitude=Decimal("42.20930"))
    assert list(swapped) == ["latitude"] and "swapped" in swapped["latitude"][0]
    half = refused(t, latitude=Decimal("42.20930"))
    assert half == {"longitude": ["Give both the latitude and the longitude, or neither."]}
    assert Case.objects.count() == 0


def test_the_api_applies_the_same_rule_to_corrections():
    t = team("prizren")
    case = open_case(t, latitude=Decimal("42.20930"), longitude=Decimal("20.74080"))
    client = api_client(t.secretary)
    url = reverse("api-case-detail", args=[case.reference])

    response = client.patch(url, {"longitude": "22.50000"}, format="json")
    assert response.status_code == 400 and list(response.json()) == ["longitude"]
    assert "outside Kosovo" in response.json()["longitude"][0]
    response = client.patch(url, {"latitude": None}, format="json")
    assert response.status_code == 400 and list(response.json()) == ["latitude"]

    response = client.patch(url, {"latitude": None, "longitude": None}, format="json")
    assert response.status_code == 200
    case.refresh_from_db()
    assert case.latitude is None and case.longitude is None


def intake(**extra) -> dict:
    now = timezone.localtime()
    return {
        "occurred_at": (now - dt.timedelta(days=1)).strftime(LOCAL),
        "reported_at": (now - dt.timedelta(hours=20)).strftime(LOCAL),
        "category": "property_damage",
        "affected_community": community("turk").pk,
        "source": "police",
        "settlement": "Mamushë",
        "summary": "Windows of a family house broken at night.",
        **extra,
    }


def test_the_intake_page_takes_a_pasted_pair_and_shows_the_services_message_on_it():
    t = team("prizren")
    client = page_client(t.secretary)

    response = client.post(reverse("casefiles:new"), intake(coordinates="41.3275, 19.8187"))
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="id_coordinates_error"' in page and "outside Kosovo" in page
    assert Case.objects.count() == 0

    response = client.post(reverse("casefiles:new"), intake(coordinates="42,20930; 20,74080"))
    assert response.status_code == 302
    case = Case.objects.get()
    assert (case.latitude, case.longitude) == (Decimal("42.20930"), Decimal("20.74080"))


def test_the_case_page_links_the_place_on_openstreetmap_with_a_decimal_point_in_the_url():
    t = team("prizren")
    case = open_case(t, latitude=Decimal("42.20930"), longitude=Decimal("20.74080"))
    client = page_client(t.secretary)
    url = reverse("casefiles:detail", args=[case.reference])
    link = "https://www.openstreetmap.org/?mlat=42.20930&amp;mlon=20.74080#map=17/42.20930/20.74080"

    page = client.get(url).content.decode()
    assert f'href="{link}" rel="external noopener noreferrer"' in page
    assert "42.20930° N, 20.74080° E" in page

    # Albanian writes a decimal comma: the text follows it, the address does not.
    profile_language_set(user=t.secretary, language="sq")
    page = page_client(t.secretary).get(url).content.decode()
    assert "42,20930° V, 20,74080° L" in page  # veri (north), lindje (east)
    assert link in page


def test_no_link_without_coordinates():
    t = team("prizren")
    case = open_case(t)
    page = page_client(t.secretary).get(reverse("casefiles:detail", args=[case.reference]))
    assert page.status_code == 200 and case.settlement in page.content.decode()
    assert "openstreetmap.org" not in page.content.decode()
