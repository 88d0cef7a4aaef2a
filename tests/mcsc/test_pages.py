import pytest
from django.urls import reverse

from mcsc.models import Role
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


@pytest.mark.parametrize("url", ["/", "/accounts/password/"])
def test_pages_need_a_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_login_page_is_public_and_accessible(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<main id="main"' in html and 'class="skip-link"' in html
    assert '<label for="id_username">' in html and '<label for="id_password">' in html
    assert 'lang="en"' in html


def test_signing_in_leads_home_showing_roles_and_municipality(client):
    user_with_role(Role.SECRETARY, "prizren", username="secretary.x", first_name="Arta")
    response = client.post(
        reverse("login"), {"username": "secretary.x", "password": PASSWORD}, follow=True
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Welcome, Arta" in html
    assert "MCSC secretary" in html and "Prizren" in html


def test_wrong_password_is_refused_with_a_message(client):
    user_with_role(Role.SECRETARY, "prizren", username="secretary.y")
    response = client.post(reverse("login"), {"username": "secretary.y", "password": "nope"})
    assert response.status_code == 200
    assert "correct username and password" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_home_of_a_regional_monitor_names_the_region(client, django_assert_max_num_queries):
    client.force_login(user_with_role(Role.MONITOR, region_code="gjilan"))
    # Raised from 8: a monitor's home carries the scope's figures (the compliance report),
    # the overdue cases and the newest changes; tests/config/test_home.py pins that these
    # do not grow with the data. PostgreSQL runs one more (17) for the figures, as the
    # compliance page does.
    with django_assert_max_num_queries(17):
        html = client.get("/").content.decode()
    assert "Monitor" in html and "Gjilan/Gnjilane" in html


def test_logout_and_password_change(client):
    user = user_with_role(Role.LEADERSHIP, "gjilan", username="leader.z")
    client.force_login(user)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "a new long passphrase 42",
            "new_password2": "a new long passphrase 42",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("a new long passphrase 42")
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get("/").status_code == 302


def test_language_switcher_changes_the_interface_language(client):
    client.force_login(user_with_role(Role.MEMBER, "gracanica"))
    response = client.post(reverse("set_language"), {"language": "sr", "next": "/"})
    assert response.status_code == 302
    assert 'lang="sr"' in client.get("/").content.decode()


def test_health_check_is_public(client):
    assert client.get("/healthz").json() == {"status": "ok"}


def test_api_is_not_redirected_to_the_login_page(client):
    assert client.get("/api/v1/municipalities/").status_code in (401, 403)


def test_every_response_carries_a_request_id(client):
    response = client.get("/healthz", HTTP_X_REQUEST_ID="abc12345-client")
    assert response["X-Request-ID"] == "abc12345-client"
    assert len(client.get("/healthz", HTTP_X_REQUEST_ID="<script>")["X-Request-ID"]) == 32


def test_not_found_and_not_allowed_pages_explain_themselves(client):
    client.force_login(user_with_role(Role.SECRETARY, "gjilan"))
    response = client.get("/cases/PZ-2026-9999/")
    assert response.status_code == 404
    assert "outside your scope" in response.content.decode()
    assert 'id="main"' in response.content.decode()
