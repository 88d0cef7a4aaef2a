"""Security headers: a strict CSP with no inline script or style on any page the product
serves to a browser, Permissions-Policy, and no caching of anything personal."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from mcsc.models import Role
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db

TEMPLATES = Path(settings.BASE_DIR) / "templates"
# Rendered by WeasyPrint into PDFs, never served to a browser.
PDF_TEMPLATES = {"minutes/document.html", "compliance/report.html"}
INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I), "inline <script>"),
    (re.compile(r"<style\b", re.I), "<style> element"),
    (re.compile(r"\sstyle\s*=", re.I), "style attribute"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "event handler attribute"),
    (re.compile(r"javascript:", re.I), "javascript: URL"),
]


def csp(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in header.split(";") if part.strip())


def test_no_template_served_to_a_browser_has_inline_script_or_style():
    found = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        name = path.relative_to(TEMPLATES).as_posix()
        if name in PDF_TEMPLATES:
            continue
        text = path.read_text()
        found += [f"{name}: {what}" for pattern, what in INLINE if pattern.search(text)]
    assert not found, "\n".join(found)


@pytest.mark.parametrize("url", ["/accounts/login/", "/public/", "/api/docs/", "/admin/login/"])
def test_every_page_has_a_strict_csp_and_a_permissions_policy(client, url):
    response = client.get(url, follow=True)  # the admin signs in through the product's page
    assert response.status_code == 200
    policy = csp(response)
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert policy["object-src"] == "'none'"
    assert policy["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "camera=()" in response["Permissions-Policy"]
    for pattern, what in INLINE[:2]:
        assert not pattern.search(response.content.decode()), what


def test_the_api_docs_load_their_start_up_script_from_a_url(client):
    page = client.get(reverse("api-docs")).content.decode()
    [script_url] = re.findall(r'<script src="([^"]*\?script=?[^"]*)"', page)
    script = client.get(script_url.replace("&amp;", "&"))
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert b"SwaggerUIBundle" in script.content


def test_signed_in_pages_and_token_api_answers_are_never_stored(client):
    secretary = user_with_role(Role.SECRETARY, "prizren")
    client.force_login(secretary)
    for url in ["/", "/cases/", "/api/v1/cases/"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"], url
        assert "private" in response["Cache-Control"], url


def test_the_sign_in_page_is_never_stored_but_public_pages_may_be(client):
    assert "no-store" in client.get("/accounts/login/")["Cache-Control"]
    assert "no-store" not in client.get("/public/").get("Cache-Control", "")
