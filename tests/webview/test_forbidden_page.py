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


def test_the_audit_log_counts_audit_events(client_as):
    """Item of defect 14: Settings › Audit log said "23 audit log" (Unfold's count with the
    model's plural name, the menu's), now "23 audit events", and "1 audit event"."""
    from cybersecurity.models import AuditEvent

    AuditEvent.objects.all().delete()
    client = client_as("cyber")
    for _ in range(23):
        AuditEvent.objects.create(action=AuditEvent.Action.LOGIN, profile="user", success=True)
    html = client.get("/settings/cybersecurity/auditevent/").content.decode()
    assert "23 audit events" in html and "audit log\n" not in html.split("data-result-count", 1)[1][:200]
    AuditEvent.objects.exclude(pk=AuditEvent.objects.first().pk).delete()
    assert "1 audit event\n" in client.get("/settings/cybersecurity/auditevent/").content.decode()


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_sign_in_page_names_each_language_in_itself(client, language):
    """Item of defect 14: the English sign-in page offered "French" (and the French one "Anglais")."""
    html = client.get(f"/login/?language={language}").content.decode()
    assert '<option value="fr"' in html
    assert ">Français</option>" in html and ">English</option>" in html
    assert ">French</option>" not in html and ">Anglais</option>" not in html
