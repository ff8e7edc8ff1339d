"""Items of defect 14: a refused page is the frame's page naming the profiles that may open it
(it was Django's bare, unstyled "403 Forbidden"); an anonymous visitor to the API docs is sent to
the sign-in page (it was a bare 401)."""

import pytest

pytestmark = pytest.mark.django_db


def test_admin_opening_a_cyber_security_page_gets_the_frame_naming_the_profile(client_as):
    response = client_as("admin").get("/settings/cybersecurity/auditevent/")
    assert response.status_code == 403
    html = response.content.decode()
    assert "webview/css/webview.css" in html and 'class="topbar"' in html  # styled, in the frame
    assert "Only the Cyber Security profile may open it." in html
    assert "data-sign-in-again" in html


def test_user_opening_settings_is_told_the_profiles_that_may(client_as):
    response = client_as("user").get("/settings/")
    assert response.status_code == 403
    assert ("Only these profiles may open it: Advanced User, Totem User, Admin, Cyber Security."
            in response.content.decode())


def test_a_refused_page_in_french(client_as):
    client = client_as("admin")
    client.cookies["django_language"] = "fr"
    response = client.get("/settings/cybersecurity/securitypolicy/")
    assert response.status_code == 403
    assert '<html lang="fr"' in response.content.decode()


def test_anonymous_api_docs_visitor_is_sent_to_sign_in(client):
    response = client.get("/api/docs/")
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/api/docs/"


def test_the_api_docs_page_keeps_the_strict_csp(client_as):
    response = client_as("user").get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<style" not in html and "<script>" not in html  # nothing inline: scripts and styles are files
    assert "webview/css/api_docs.css" in html
    policy = response["Content-Security-Policy"]
    assert "style-src 'self'" in policy and "unsafe-inline" not in policy


def test_api_clients_still_get_a_401_json(client):
    response = client.get("/api/v1/devices/", HTTP_ACCEPT="application/json")
    assert response.status_code == 401
