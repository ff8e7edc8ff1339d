import pytest
from django.core.cache import cache
from django.test import Client
from rest_framework.test import APIClient

from cybersecurity import services
from cybersecurity.models import Profile
from cybersecurity.profiles import ProfileKind

ALL_PROFILES = [kind.value for kind in ProfileKind]


@pytest.fixture(autouse=True)
def _clean_cache():
    """Sessions, throttles and the channel layer live in the real Redis: start each test clean."""
    cache.clear()
    yield


@pytest.fixture
def profiles(db) -> dict[str, Profile]:
    """The five factory profiles (a flushed transactional test database has lost the migration's rows)."""
    services.ensure_profiles()
    return {profile.key: profile for profile in Profile.objects.all()}


@pytest.fixture
def ready_profile(profiles):
    """A profile past its first sign-in: unlocked, password changed to '<key>-Secret-2026'."""

    def make(key: str) -> Profile:
        profile = profiles[key]
        if profile.has_password:
            profile.set_password(password_of(key))
        profile.must_change_password = False
        profile.locked = False
        profile.save()
        return profile

    return make


def password_of(key: str) -> str:
    return f"{key.capitalize()}-Secret-2026"


@pytest.fixture
def client_as(ready_profile):
    """A Django test client signed in as a ready profile."""

    def make(key: str) -> Client:
        client = Client()
        client.force_login(ready_profile(key), backend="cybersecurity.backends.ProfileBackend")
        return client

    return make


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()
