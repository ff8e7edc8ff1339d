"""§6.1 sign-in on the page: profile, password, language; bad input says why and opens nothing."""

import pytest
from django.test import Client
from django.urls import reverse

from cybersecurity.models import AuditEvent, Profile, SecurityPolicy
from tests.conftest import password_of

pytestmark = pytest.mark.django_db


def sign_in(client: Client, profile: str, password: str = "", language: str = "en"):
    return client.post(reverse("login"), {"profile": profile, "password": password, "language": language})


def test_user_profile_needs_no_password_and_reaches_home(profiles):
    client = Client()
    response = sign_in(client, "user")
    assert response.status_code == 302 and response.url == reverse("home")
    assert client.get(reverse("home")).status_code == 200
    assert AuditEvent.objects.filter(action="login", profile="user", success=True).exists()


def test_wrong_password_is_refused_with_a_message_and_no_session(profiles):
    client = Client()
    response = sign_in(client, "admin", "not-the-password")
    assert response.status_code == 401
    assert "Wrong password" in response.content.decode()
    assert client.get(reverse("home")).url.startswith(reverse("login"))
    event = AuditEvent.objects.get(action="login", profile="admin")
    assert (event.success, event.reason, event.ip_address) == (False, "wrong_password", "127.0.0.1")


def test_unknown_profile_is_refused_and_audited(profiles):
    response = sign_in(Client(), "root", "x")
    assert response.status_code == 400
    assert "Unknown profile" in response.content.decode()
    assert AuditEvent.objects.filter(profile="root", reason="unknown_profile", success=False).exists()


def test_totem_is_locked_by_default(profiles):
    client = Client()
    response = sign_in(client, "totem", "Totem")
    assert response.status_code == 403
    assert "locked" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(profile="totem", reason="profile_locked").exists()


@pytest.mark.parametrize("key, password", [("advanced", "Advanced"), ("admin", "Admin"), ("cyber", "Cyber")])
def test_first_sign_in_forces_a_password_change(profiles, key, password):
    client = Client()
    response = sign_in(client, key, password)
    assert response.url == reverse("password_change")
    assert client.get(reverse("home")).url == reverse("password_change")
    weak = client.post(reverse("password_change"),
                       {"current_password": password, "new_password": "12345", "confirm_password": "12345"})
    assert weak.status_code == 400
    assert "too short" in weak.content.decode()
    assert Profile.objects.get(key=key).check_password(password)
    done = client.post(reverse("password_change"), {"current_password": password,
                                                    "new_password": "Feeder-Board-77", "confirm_password": "Feeder-Board-77"})
    assert done.url == reverse("home")
    assert client.get(reverse("home")).status_code == 200
    profile = Profile.objects.get(key=key)
    assert profile.check_password("Feeder-Board-77") and not profile.must_change_password
    assert profile.password.startswith("md5$") or profile.password.startswith("pbkdf2")  # hashed, never plain


def test_new_password_must_differ_and_be_confirmed(ready_profile):
    ready_profile("admin")
    client = Client()
    sign_in(client, "admin", password_of("admin"))
    same = client.post(reverse("password_change"), {"current_password": password_of("admin"),
                                                    "new_password": password_of("admin"), "confirm_password": password_of("admin")})
    assert same.status_code == 400 and "must differ" in same.content.decode()
    mismatch = client.post(reverse("password_change"), {"current_password": password_of("admin"),
                                                        "new_password": "Feeder-Board-77", "confirm_password": "Feeder-Board-78"})
    assert mismatch.status_code == 400 and "differ" in mismatch.content.decode()
    assert Profile.objects.get(key="admin").check_password(password_of("admin"))


def test_lockout_after_the_policy_s_attempts_even_with_the_right_password(ready_profile):
    ready_profile("admin")
    SecurityPolicy.objects.filter(pk=1).update(max_login_attempts=3, lockout_minutes=10)
    client = Client()
    for _ in range(3):
        assert sign_in(client, "admin", "wrong").status_code == 401
    response = sign_in(client, "admin", password_of("admin"))
    assert response.status_code == 403
    assert "locked for 10 more minutes" in response.content.decode()
    assert AuditEvent.objects.filter(profile="admin", reason="locked_out").count() == 1


def test_lockout_ends_after_its_duration(ready_profile, time_machine):
    ready_profile("admin")
    SecurityPolicy.objects.filter(pk=1).update(max_login_attempts=2, lockout_minutes=5)
    client = Client()
    time_machine.move_to("2026-06-01 12:00:00Z")
    sign_in(client, "admin", "wrong")
    sign_in(client, "admin", "wrong")
    assert sign_in(client, "admin", password_of("admin")).status_code == 403
    time_machine.move_to("2026-06-01 12:05:01Z")
    assert sign_in(client, "admin", password_of("admin")).status_code == 302


def test_language_choice_is_kept_after_sign_in(profiles):
    client = Client()
    sign_in(client, "user", language="fr")
    page = client.get(reverse("home"))
    assert page.status_code == 200
    assert '<html lang="fr" ' in page.content.decode()


def test_sign_in_page_switches_language_before_sign_in(profiles):
    page = Client().get(reverse("login") + "?language=fr")
    assert '<html lang="fr" ' in page.content.decode()
    assert page.cookies["django_language"].value == "fr"


def test_session_duration_follows_the_policy_and_totem_never_expires(ready_profile):
    SecurityPolicy.objects.filter(pk=1).update(session_minutes=30)
    ready_profile("admin")
    ready_profile("totem")
    admin_client, totem_client = Client(), Client()
    sign_in(admin_client, "admin", password_of("admin"))
    sign_in(totem_client, "totem", password_of("totem"))
    assert admin_client.session.get_expiry_age() == 30 * 60
    assert totem_client.session.get_expiry_age() > 5 * 365 * 24 * 3600


def test_logout_closes_the_session_and_is_audited(client_as):
    client = client_as("advanced")
    response = client.post(reverse("logout"))
    assert response.url == reverse("login")
    assert client.get(reverse("home")).url.startswith(reverse("login"))
    assert AuditEvent.objects.filter(action="logout", profile="advanced").exists()


def test_open_redirect_after_sign_in_is_refused(profiles):
    response = Client().post(reverse("login"), {"profile": "user", "language": "en", "next": "https://evil.example/"})
    assert response.url == reverse("home")


def test_cyber_locking_totem_ends_its_open_session(client_as, profiles):
    from cybersecurity import services

    totem = client_as("totem")
    assert totem.get(reverse("home")).status_code == 200
    services.set_locked(profiles["totem"], True, by=profiles["cyber"])
    assert totem.get(reverse("home")).url.startswith(reverse("login"))
