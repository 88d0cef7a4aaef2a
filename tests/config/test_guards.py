"""The request guard (``config.guards``): what used to answer 500, now refused before any
view with a clear message and the product's error shape, on SQLite and PostgreSQL alike.
Each finding is reproduced with its exact input."""

import io
import json

import pytest
from django.test import Client
from django.urls import reverse

from casefiles.models import AuditAction, AuditEvent, Case, CaseState
from mcsc.inputs import MAX_JSON_DEPTH
from mcsc.models import Role
from tests.casefiles.builders import open_case, team
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db


def deep(levels: int) -> str:
    return "[" * levels + "]" * levels


def deep_object(levels: int) -> str:
    return '{"a": ' * levels + "1" + "}" * levels


@pytest.fixture
def anonymous():
    # A 500 must show as a status here, not as an exception raised into the test.
    return Client(raise_request_exception=False)


@pytest.fixture
def secretary_client():
    t = team("prizren")
    client = Client(raise_request_exception=False)
    client.force_login(t.secretary)
    client.team = t
    return client


def assert_api_refusal(response, status: int, *words: str) -> None:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert list(body) == ["detail"]
    for word in words:
        assert word in body["detail"]


def assert_page_refusal(response, status: int, *words: str) -> None:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert "Nothing was changed." in page
    for word in words:
        assert word in page


# --- NUL and control characters -----------------------------------------------------------


def test_a_nul_in_a_public_path_is_a_400_not_a_database_error(anonymous):
    response = anonymous.get("/public/prizren/statements/%00/sq/")
    assert_page_refusal(response, 400, "The address contains a character that is not allowed")
    assert "U+0000" in response.content.decode()


def test_a_nul_in_an_api_path_is_a_400_in_the_api_shape(secretary_client):
    response = secretary_client.get("/api/v1/cases/a%00b/")
    assert_api_refusal(response, 400, "address", "U+0000")


def test_a_nul_in_a_query_is_a_400(secretary_client):
    response = secretary_client.get("/council/", {"municipality": "\x00"})
    assert_page_refusal(response, 400, "The query contains a character that is not allowed")
    response = secretary_client.get("/council/?municipality=%00")
    assert_page_refusal(response, 400, "U+0000")
    response = secretary_client.get("/api/v1/cases/?search=%1b")
    assert_api_refusal(response, 400, "query", "U+001B")


@pytest.mark.parametrize(
    "body",
    [
        {"summary": "Windows broken\x00"},
        {"summary\x00": "Windows broken"},
        {"people": [{"notes": "\x07"}]},
        {"summary": "\ud800"},  # a lone surrogate: not a character at all
    ],
    ids=["value", "key", "nested", "surrogate"],
)
def test_control_characters_anywhere_in_a_json_body_are_refused(secretary_client, body):
    case = open_case(secretary_client.team)
    before = Case.objects.values().get(pk=case.pk)
    response = secretary_client.patch(
        f"/api/v1/cases/{case.reference}/",
        json.dumps(body),
        content_type="application/json",
    )
    assert_api_refusal(response, 400, "submitted data contain a character that is not allowed")
    assert Case.objects.values().get(pk=case.pk) == before


def test_a_nul_in_a_form_value_is_refused_and_changes_nothing(secretary_client):
    case = open_case(secretary_client.team)
    url = reverse("casefiles:step", args=[case.reference, "dismiss"])
    response = secretary_client.post(url, {"reason": "Not\x00serious"})
    assert_page_refusal(response, 400, "U+0000")
    assert Case.objects.get(pk=case.pk).state == CaseState.REPORTED


def test_tabs_and_line_breaks_in_submitted_text_are_text(secretary_client):
    case = open_case(secretary_client.team)
    url = reverse("casefiles:step", args=[case.reference, "dismiss"])
    response = secretary_client.post(url, {"reason": "Not serious:\r\n\tno ethnic motive."})
    assert response.status_code == 302
    assert Case.objects.get(pk=case.pk).dismissal_reason == "Not serious:\r\n\tno ethnic motive."


def test_a_nul_in_a_form_encoded_patch_is_refused(secretary_client):
    """DRF reads a form-encoded PATCH itself; the guard reads it first."""
    case = open_case(secretary_client.team)
    response = secretary_client.generic(
        "PATCH",
        f"/api/v1/cases/{case.reference}/",
        b"affected_community=tu%00rk",
        content_type="application/x-www-form-urlencoded",
    )
    assert_api_refusal(response, 400, "U+0000")
    assert Case.objects.get(pk=case.pk).affected_community.code == "turk"


@pytest.mark.parametrize(
    "content_type",
    [
        "application/x-www-form-urlencoded; charset=rot13",
        "application/json; charset=base64",
        "multipart/form-data; boundary=x; charset=rot13",
    ],
)
def test_a_charset_that_is_no_character_set_is_a_400(secretary_client, content_type):
    """``rot13`` is a codec, so Django takes it as the request's encoding, and decoding the
    form with it raised ``LookupError`` (500)."""
    case = open_case(secretary_client.team)
    for method, path in (
        ("PATCH", f"/api/v1/cases/{case.reference}/"),
        ("POST", reverse("casefiles:step", args=[case.reference, "dismiss"])),
    ):
        response = secretary_client.generic(method, path, b"reason=x", content_type=content_type)
        assert response.status_code == 400, (method, response.content)
    assert Case.objects.get(pk=case.pk).state == CaseState.REPORTED


def test_a_cookie_with_a_nul_is_refused(anonymous):
    anonymous.cookies["sessionid"] = "abc\x00def"
    assert_page_refusal(anonymous.get("/public/"), 400, "A cookie contains")


# --- Deeply nested JSON -------------------------------------------------------------------


def test_deep_json_to_the_anonymous_token_endpoint_is_a_400(anonymous):
    response = anonymous.post("/api/v1/auth/token/", deep(5000), content_type="application/json")
    assert_api_refusal(response, 400, "nested too deeply", str(MAX_JSON_DEPTH))


@pytest.mark.parametrize("body", [deep(5000), deep(MAX_JSON_DEPTH + 1), deep_object(100)])
def test_deep_json_to_a_write_endpoint_is_a_400_and_changes_nothing(secretary_client, body):
    case = open_case(secretary_client.team)
    before = Case.objects.values().get(pk=case.pk)
    response = secretary_client.patch(
        f"/api/v1/cases/{case.reference}/", body, content_type="application/json"
    )
    assert_api_refusal(response, 400, "nested too deeply")
    assert Case.objects.values().get(pk=case.pk) == before


def test_json_nested_to_the_limit_is_read_and_judged_by_the_serializer(secretary_client):
    case = open_case(secretary_client.team)
    response = secretary_client.patch(
        f"/api/v1/cases/{case.reference}/",
        json.dumps({"summary": json.loads(deep(MAX_JSON_DEPTH - 1))}),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "summary" in response.json()  # a field error, not a refusal of the body


def test_deep_json_in_an_uploaded_or_pasted_checkpoint_is_a_400(client):
    client.force_login(user_with_role(Role.MONITOR))
    url = reverse("audit:checkpoint")
    response = client.post(url, {"text": deep(5000)})
    assert response.status_code == 400
    assert "nests too deeply" in response.content.decode()
    upload = io.BytesIO(deep_object(5000).encode())
    upload.name = "checkpoint.json"
    response = client.post(url, {"file": upload})
    assert response.status_code == 400
    assert "nests too deeply" in response.content.decode()
    assert not AuditEvent.objects.filter(action=AuditAction.AUDIT_CHECKPOINT).exists()


def test_a_body_that_is_not_json_is_left_to_the_parser(secretary_client):
    case = open_case(secretary_client.team)
    response = secretary_client.patch(
        f"/api/v1/cases/{case.reference}/", "{", content_type="application/json"
    )
    assert_api_refusal(response, 400, "JSON parse error")


# --- Size -------------------------------------------------------------------------------


def test_a_body_over_the_limit_is_a_413(settings, secretary_client):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    case = open_case(secretary_client.team)
    body = json.dumps({"summary": "x" * 2000})
    response = secretary_client.patch(
        f"/api/v1/cases/{case.reference}/", body, content_type="application/json"
    )
    assert_api_refusal(response, 413, "too large", "1 KiB")
    url = reverse("casefiles:step", args=[case.reference, "dismiss"])
    assert_page_refusal(secretary_client.post(url, {"reason": "x" * 2000}), 413, "too large")
    assert Case.objects.get(pk=case.pk).state == CaseState.REPORTED


def test_the_limits_are_set_explicitly(settings):
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE == 1024 * 1024
    assert settings.DATA_UPLOAD_MAX_NUMBER_FIELDS == 1000


def test_too_many_form_fields_is_a_400(settings, secretary_client):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    response = secretary_client.post("/cases/new/", {f"f{i}": "x" for i in range(20)})
    assert_page_refusal(response, 400, "too many fields", "10")
    response = secretary_client.get("/api/v1/cases/", {f"f{i}": "x" for i in range(20)})
    assert_api_refusal(response, 400, "too many fields")


# --- A ValidationError a page lets through ----------------------------------------------


def test_a_malformed_municipality_code_on_a_page_is_a_400_with_its_message(secretary_client):
    response = secretary_client.get("/council/", {"municipality": "not-a-code"})
    assert_page_refusal(response, 400, "statistical office code")
