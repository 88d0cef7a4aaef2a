import pytest
from django.core.management import call_command

from mcsc.models import Role
from tests.factories import api_token_key, user_with_role

pytestmark = pytest.mark.django_db


def test_municipalities_endpoint_lists_38_with_languages_for_a_token_user(
    api_client, django_assert_max_num_queries
):
    user = user_with_role(Role.SECRETARY, "prizren")
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_key(user)}")
    with django_assert_max_num_queries(6):
        response = api_client.get("/api/v1/municipalities/")
    assert response.status_code == 200
    rows = response.json()
    assert len(rows) == 38
    prizren = next(row for row in rows if row["code"] == "20")
    assert prizren["name_sq"] == "Prizren"
    assert prizren["name_sr_cyrl"] == "Призрен"
    assert prizren["region"] == "prizren"
    assert prizren["official_languages"] == ["sq", "sr-Cyrl", "tr", "bs"]
    assert prizren["languages_in_official_use"] == ["rom"]
    assert {"code", "name_sq", "name_sr", "name_sr_cyrl", "name_en", "region"} <= set(prizren)


@pytest.mark.parametrize("header", [None, "Token not-a-real-token"])
def test_municipalities_endpoint_refuses_without_a_valid_token(api_client, header):
    if header:
        api_client.credentials(HTTP_AUTHORIZATION=header)
    response = api_client.get("/api/v1/municipalities/")
    assert response.status_code in (401, 403)


def test_token_create_command_gives_a_working_token(api_client, capsys):
    user_with_role(Role.MONITOR, username="monitor.test")
    call_command("token_create", "monitor.test", "--name", "export script", "--days", "7")
    key = capsys.readouterr().out.strip()
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api_client.get("/api/v1/municipalities/20/").json()["name_en"] == "Prizren"


def test_obtaining_a_token_with_username_and_password(api_client):
    user_with_role(Role.SECRETARY, "gjilan", username="secretary.test")
    response = api_client.post(
        "/api/v1/auth/token/",
        {"username": "secretary.test", "password": "correct horse battery staple"},
    )
    assert response.status_code == 200 and response.json()["token"]
    assert response.json()["expires_at"]


def test_openapi_schema_and_docs_are_served_offline(client):
    user = user_with_role(Role.MONITOR)
    client.force_login(user)
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    assert b"/api/v1/municipalities/" in schema.content
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    assert b"//cdn" not in docs.content and b"https://" not in docs.content
