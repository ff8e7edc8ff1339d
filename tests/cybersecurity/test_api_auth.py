"""The API side of §6.1 (DESIGN.md contract: POST /api/v1/auth/login/ → token + must_change_password)."""

import hashlib

import pytest
from rest_framework.test import APIClient

from cybersecurity.models import ApiToken, AuditEvent, Profile
from tests.conftest import password_of

pytestmark = pytest.mark.django_db
LOGIN = "/api/v1/auth/login/"


def login(client: APIClient, profile: str, password: str = ""):
    return client.post(LOGIN, {"profile": profile, "password": password}, format="json")


def with_token(token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def test_login_gives_a_token_a_session_and_the_forced_change_flag(api_client, profiles):
    response = login(api_client, "admin", "Admin")
    assert response.status_code == 200
    assert response.json()["must_change_password"] is True
    assert response.cookies["sessionid"].value
    token = response.json()["token"]
    # Only the token's digest is stored.
    assert ApiToken.objects.filter(digest=hashlib.sha256(token.encode()).hexdigest()).exists()
    assert not ApiToken.objects.filter(digest=token).exists()


def test_forced_change_blocks_everything_but_the_password_endpoint(api_client, profiles):
    token = login(api_client, "cyber", "Cyber").json()["token"]
    client = with_token(token)
    blocked = client.get("/api/v1/profiles/")
    assert blocked.status_code == 403
    assert blocked.json()["detail"].startswith("Change this profile's default password")
    assert client.get("/api/schema/").status_code == 403
    weak = client.post("/api/v1/auth/password/", {"current_password": "Cyber", "new_password": "cyber"}, format="json")
    assert weak.status_code == 400 and "new_password" in weak.json()
    assert Profile.objects.get(key="cyber").must_change_password
    done = client.post("/api/v1/auth/password/", {"current_password": "Cyber", "new_password": "Ripple-Control-44"},
                       format="json")
    assert done.status_code == 204
    # The token used for the change stays valid; the profile is now free.
    assert client.get("/api/v1/profiles/").status_code == 200


@pytest.mark.parametrize(
    "body, status, field",
    [
        ({"profile": "nobody", "password": "x"}, 400, "profile"),
        ({"password": "x"}, 400, "profile"),
        ({"profile": "admin", "password": "wrong"}, 401, "password"),
        ({"profile": "totem", "password": "Totem"}, 403, None),
    ],
)
def test_bad_logins_say_why_and_open_nothing(api_client, profiles, body, status, field):
    response = api_client.post(LOGIN, body, format="json")
    assert response.status_code == status
    if field:
        assert field in response.json()
    assert "sessionid" not in response.cookies or not response.cookies["sessionid"].value
    assert ApiToken.objects.count() == 0


def test_failed_api_logins_are_audited_with_their_channel(api_client, profiles):
    login(api_client, "admin", "wrong")
    event = AuditEvent.objects.get(profile="admin")
    assert (event.channel, event.reason, event.success) == ("api", "wrong_password", False)


def test_user_profile_logs_in_without_password(api_client, profiles):
    response = login(api_client, "user")
    assert response.status_code == 200 and response.json()["must_change_password"] is False
    me = with_token(response.json()["token"]).get("/api/v1/auth/me/")
    assert me.json()["key"] == "user" and "configure" not in me.json()["rights"]


def test_profiles_are_managed_by_cyber_only(ready_profile):
    ready_profile("admin")
    ready_profile("cyber")
    admin = with_token(login(APIClient(), "admin", password_of("admin")).json()["token"])
    assert admin.get("/api/v1/profiles/").status_code == 403
    assert admin.post("/api/v1/profiles/totem/unlock/").status_code == 403
    cyber = with_token(login(APIClient(), "cyber", password_of("cyber")).json()["token"])
    assert [p["key"] for p in cyber.get("/api/v1/profiles/").json()] == ["user", "advanced", "totem", "admin", "cyber"]
    assert cyber.post("/api/v1/profiles/totem/unlock/").json()["locked"] is False
    assert login(APIClient(), "totem", "Totem").status_code == 200
    refused = cyber.post("/api/v1/profiles/admin/lock/")
    assert refused.status_code == 400 and "locked" in refused.json()


def test_cyber_sets_another_profile_s_password_and_its_tokens_die(ready_profile):
    ready_profile("advanced")
    ready_profile("cyber")
    advanced_token = login(APIClient(), "advanced", password_of("advanced")).json()["token"]
    cyber = with_token(login(APIClient(), "cyber", password_of("cyber")).json()["token"])
    assert cyber.post("/api/v1/profiles/advanced/password/", {"new_password": "123"}, format="json").status_code == 400
    assert cyber.post("/api/v1/profiles/advanced/password/", {"new_password": "Busbar-Trunk-19"},
                      format="json").status_code == 204
    assert with_token(advanced_token).get("/api/v1/auth/me/").status_code == 401
    assert login(APIClient(), "advanced", "Busbar-Trunk-19").status_code == 200


def test_passphrase_is_shown_once_hashed_and_resets_the_cyber_password(ready_profile):
    ready_profile("cyber")
    cyber = with_token(login(APIClient(), "cyber", password_of("cyber")).json()["token"])
    passphrase = cyber.post("/api/v1/profiles/passphrase/").json()["passphrase"]
    stored = Profile.objects.get(key="cyber").passphrase_hash
    assert passphrase.replace("-", "") not in stored and stored
    wrong = APIClient().post("/api/v1/auth/recover/", {"passphrase": "AAAAA-BBBBB", "new_password": "Neutral-Point-31"},
                             format="json")
    assert wrong.status_code == 401
    recovered = APIClient().post("/api/v1/auth/recover/",
                                 {"passphrase": passphrase.lower(), "new_password": "Neutral-Point-31"}, format="json")
    assert recovered.status_code == 200
    assert login(APIClient(), "cyber", "Neutral-Point-31").status_code == 200
    again = APIClient().post("/api/v1/auth/recover/", {"passphrase": passphrase, "new_password": "Other-Point-32"},
                             format="json")
    assert again.status_code == 401  # spent


def test_logout_revokes_the_token(ready_profile):
    ready_profile("admin")
    client = with_token(login(APIClient(), "admin", password_of("admin")).json()["token"])
    assert client.post("/api/v1/auth/logout/").status_code == 204
    assert client.get("/api/v1/auth/me/").status_code == 401


def test_token_expires_with_the_session_policy(ready_profile, time_machine):
    ready_profile("admin")
    time_machine.move_to("2026-06-01 12:00:00Z")
    client = with_token(login(APIClient(), "admin", password_of("admin")).json()["token"])
    assert client.get("/api/v1/auth/me/").status_code == 200
    time_machine.move_to("2026-06-01 13:00:01Z")
    assert client.get("/api/v1/auth/me/").status_code == 401


def test_schema_and_docs_are_served_offline(client_as):
    client = client_as("user")
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    assert "/api/v1/auth/login/" in schema.content.decode()
    docs = client.get("/api/docs/").content.decode()
    assert "swagger-ui" in docs
    assert "http://" not in docs and "https://" not in docs


def test_api_list_query_count_does_not_grow_with_rows(ready_profile, django_assert_max_num_queries):
    ready_profile("cyber")
    client = with_token(login(APIClient(), "cyber", password_of("cyber")).json()["token"])
    for _ in range(20):
        AuditEvent.objects.create(action="login", profile="user", success=True)
    with django_assert_max_num_queries(6):
        assert client.get("/api/v1/audit/").status_code == 200


@pytest.mark.django_db(transaction=True)
def test_refused_changes_and_passphrases_stay_in_the_audit_log_and_count_towards_lockout(ready_profile):
    ready_profile("cyber")
    cyber = with_token(login(APIClient(), "cyber", password_of("cyber")).json()["token"])
    assert cyber.post("/api/v1/auth/password/", {"current_password": "nope", "new_password": "Ripple-Control-44"},
                      format="json").status_code == 400
    assert AuditEvent.objects.filter(action="password_change", reason="wrong_current_password").exists()
    APIClient().post("/api/v1/auth/recover/", {"passphrase": "AAAAA", "new_password": "Neutral-Point-31"}, format="json")
    assert AuditEvent.objects.filter(action="passphrase_recover", reason="wrong_passphrase").exists()
    assert Profile.objects.get(key="cyber").failed_logins == 1
