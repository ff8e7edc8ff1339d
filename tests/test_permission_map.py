"""Every URL of the project, requested by every profile, obeys cybersecurity/permissions.py.

A view added later without an entry in the map is refused to everyone, and this walk fails on
it until the map says who may use it."""

from dataclasses import dataclass

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.resolvers import RoutePattern

from cybersecurity.permissions import (
    MODEL_RULES,
    REACHABLE_BEFORE_PASSWORD_CHANGE,
    VIEW_RULES,
    WEBSOCKET_RULES,
    Access,
    Right,
    Verdict,
    app_allows,
    judge_view,
    model_allows,
    rule_for_view,
)
from cybersecurity.websocket import route_of
from devices.predefined import FLUIDS
from tests.conftest import ALL_PROFILES
from webview.routing import websocket_urlpatterns
from system.schedules import SYSTEM_SCHEDULES

SAMPLE_KWARGS = {"pk": "1", "object_id": "1", "id": "1", "content_type_id": "1", "app_label": "cybersecurity",
                 "key": "user", "format": "json"}
# Unnamed on purpose: Django admin's catch-all (login redirect or 404) and its object_id shortcut
# (a redirect to the change view, which is checked under its own name).
UNNAMED_ALLOWED = {"(?P<url>.*)$", "<path:object_id>/"}
# Views that answer a bare GET with 403 by design (they need query parameters), whatever the profile.
NEEDS_PARAMETERS = {"admin:autocomplete"}
ADMIN_SUFFIX_ACTION = {"changelist": "view", "change": "view", "history": "view", "add": "add", "delete": "delete"}
UNSAFE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
# Admin object pages are walked on a row that object rules leave alone: predefined usages and
# fluids are read-only by design (§9.6.5), whatever the profile.
SAMPLE_ROWS = {
    "devices.usage": lambda model: model.objects.filter(predefined=False),
    "devices.fluid": lambda model: model.objects.exclude(key__in=list(FLUIDS)),
    # System schedules are read-only whoever asks (system/admin.py); the walk opens a custom one.
    "django_celery_beat.periodictask": lambda model: model.objects.exclude(name__in=list(SYSTEM_SCHEDULES)),
}


@dataclass(frozen=True)
class Url:
    name: str
    path: str


def _kwarg_names(pattern) -> set[str]:
    if isinstance(pattern.pattern, RoutePattern):
        return set(pattern.pattern.converters)
    return set(pattern.pattern.regex.groupindex)


def walk(resolver=None, namespace: str = "", kwargs: frozenset = frozenset()):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        names = kwargs | _kwarg_names(pattern)
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from walk(pattern, inner, names)
        elif isinstance(pattern, URLPattern):
            if not pattern.name:
                assert str(pattern.pattern) in UNNAMED_ALLOWED, f"unnamed URL pattern {pattern.pattern}"
                continue
            yield f"{namespace}{pattern.name}", {name: SAMPLE_KWARGS[name] for name in names}


def project_urls() -> list[Url]:
    """Every named URL with sample arguments; admin object pages point at a real object, so
    that the admin answers with its permission check rather than "no such object"."""
    urls = {}
    for name, kwargs in walk():
        if "object_id" in kwargs and name in ADMIN_MODELS:
            kwargs = {**kwargs, "object_id": str(sample_rows(ADMIN_MODELS[name]).order_by("pk").first().pk)}
        urls[name] = Url(name, reverse(name, kwargs=kwargs or None))
    return sorted(urls.values(), key=lambda url: url.name)


def sample_rows(model):
    return SAMPLE_ROWS.get(model._meta.label_lower, lambda model: model.objects.all())(model)


def admin_model_pages() -> tuple[dict[str, str], dict]:
    perms, models = {}, {}
    for model in admin.site._registry:
        opts = model._meta
        for suffix, action in ADMIN_SUFFIX_ACTION.items():
            name = f"admin:{opts.app_label}_{opts.model_name}_{suffix}"
            perms[name] = f"{opts.app_label}.{action}_{opts.model_name}"
            models[name] = model
    return perms, models


def expected_allowed(profile, name: str, method: str = "GET") -> bool:
    if judge_view(profile, name, method) is not Verdict.ALLOW:
        return False
    if name in ADMIN_MODEL_PERMS:
        return model_allows(profile, ADMIN_MODEL_PERMS[name])
    if name == "admin:app_list":
        return app_allows(profile, SAMPLE_KWARGS["app_label"])
    return True


def refused(response) -> bool:
    if response.status_code in (401, 403):
        return True
    return response.status_code == 302 and response.url.startswith(reverse("login"))


ADMIN_MODEL_PERMS, ADMIN_MODELS = admin_model_pages()


@pytest.fixture
def one_of_each_admin_model(profiles):
    from django.utils import timezone
    from django_celery_beat.models import ClockedSchedule, CrontabSchedule, IntervalSchedule, PeriodicTask, SolarSchedule

    from cybersecurity.models import AuditEvent, SecurityPolicy
    from devices import services
    from devices.catalogue import catalogue
    from devices.models import CustomRegisterMap, Fluid

    AuditEvent.objects.create(action=AuditEvent.Action.LOGIN, profile="user", success=True)
    meter = next(reference for reference in catalogue().references.values() if not reference.is_gateway)
    services.add_device(reference=meter.reference, name="walk", area="walk", host="127.0.0.1", unit_id=1)
    services.add_usage(name="walk", external_key="walk")
    Fluid.objects.create(key="walk", name="walk")
    CustomRegisterMap.objects.create(name="walk").registers.create(code="V1", address=0, type="u16")
    SecurityPolicy.current()
    interval = IntervalSchedule.objects.create(every=5, period="minutes")
    PeriodicTask.objects.get_or_create(name="walk", defaults={"task": "walk", "interval": interval})
    CrontabSchedule.objects.create(minute="0")
    SolarSchedule.objects.create(event="sunrise", latitude=48.5, longitude=7.7)
    ClockedSchedule.objects.create(clocked_time=timezone.now())
    from hierarchies import rules

    rules.create_hierarchy(name="walk", fluid=Fluid.objects.get(key="walk"))
    missing = [name for name, model in ADMIN_MODELS.items() if not sample_rows(model).exists()]
    assert missing == []


@pytest.mark.django_db
def test_every_named_url_is_declared_in_the_map(one_of_each_admin_model):
    undeclared = [url.name for url in project_urls() if judge_view(None, url.name, "GET") is Verdict.FORBIDDEN]
    assert undeclared == [], "add these URL names to cybersecurity/permissions.py"


def test_every_admin_model_is_declared_in_the_map():
    registered = {f"{m._meta.app_label}.{m._meta.model_name}" for m in admin.site._registry}
    assert registered - set(MODEL_RULES) == set()


def test_every_websocket_route_is_declared_in_the_map():
    routes = {route_of(str(pattern.pattern)) for pattern in websocket_urlpatterns}
    assert routes and routes <= set(WEBSOCKET_RULES)


@pytest.mark.django_db
@pytest.mark.parametrize("key", [*ALL_PROFILES, "anonymous"])
def test_every_url_obeys_the_permission_map_for_each_profile(key, client_as, profiles, one_of_each_admin_model):
    client = Client() if key == "anonymous" else client_as(key)
    profile = None if key == "anonymous" else profiles[key]
    if profile is not None:
        profile.refresh_from_db()
    mismatches = []
    checked = 0
    for url in project_urls():
        if url.name in NEEDS_PARAMETERS:
            continue
        response = client.get(url.path)
        allowed = expected_allowed(profile, url.name)
        if refused(response) == allowed:
            mismatches.append(f"{url.name} {url.path}: expected {'allowed' if allowed else 'refused'}, "
                              f"got {response.status_code}")
        checked += 1
    assert checked > 30
    assert not mismatches, "\n".join(mismatches)


@pytest.mark.django_db
@pytest.mark.parametrize("key", ["advanced", "admin", "cyber"])
def test_before_the_forced_change_only_the_password_page_is_reachable(key, profiles, one_of_each_admin_model):
    profile = profiles[key]
    assert profile.must_change_password
    client = Client()
    client.force_login(profile, backend="cybersecurity.backends.ProfileBackend")
    for url in project_urls():
        public = rule_for_view(url.name, "GET") is Access.PUBLIC
        if public or url.name in NEEDS_PARAMETERS or url.name in REACHABLE_BEFORE_PASSWORD_CHANGE:
            continue
        response = client.get(url.path)
        assert held_for_password_change(response), (
            f"{url.name} {url.path} answered {response.status_code} before the forced password change")


def per_method_urls() -> list[Url]:
    return [url for url in project_urls() if isinstance(VIEW_RULES.get(url.name), dict)]


@pytest.mark.django_db
@pytest.mark.parametrize("key", [*ALL_PROFILES, "anonymous"])
def test_unsafe_methods_need_their_own_right(key, client_as, profiles, one_of_each_admin_model):
    """Where reading and changing need different rights, a profile that may only read is refused
    every write, before anything is written."""
    client = Client() if key == "anonymous" else client_as(key)
    profile = None if key == "anonymous" else profiles[key]
    urls = per_method_urls()
    assert urls
    before = {model: model.objects.count() for model in set(ADMIN_MODELS.values())}
    mismatches = []
    for url in urls:
        for method in UNSAFE_METHODS:
            if expected_allowed(profile, url.name, method):
                continue  # writing for real is each endpoint's own test
            response = getattr(client, method.lower())(url.path, {}, content_type="application/json")
            if not refused(response):
                mismatches.append(f"{method} {url.path}: expected refused, got {response.status_code}")
    assert not mismatches, "\n".join(mismatches)
    assert before == {model: model.objects.count() for model in before}


def test_per_method_rules_read_with_one_right_and_write_with_another():
    assert rule_for_view("api:device-list", "GET") is Right.VIEW_DATA
    assert rule_for_view("api:device-list", "head") is Right.VIEW_DATA
    for method in UNSAFE_METHODS:
        assert rule_for_view("api:device-detail", method) is Right.CONFIGURE
    assert rule_for_view("api:device-list", "BREW") is Right.CONFIGURE  # unknown methods fall to "*"


def held_for_password_change(response) -> bool:
    if response.status_code in (401, 403):  # the API says why in its body
        return True
    return response.status_code == 302 and response.url == reverse("password_change")


def test_the_settings_site_is_ours():
    from webview.admin_site import WebViewAdminSite

    assert isinstance(admin.site, WebViewAdminSite)


@pytest.mark.django_db
def test_settings_have_no_second_sign_in_or_password_page(client_as):
    assert Client().get(reverse("admin:login")).url.startswith(reverse("login"))
    assert client_as("admin").get(reverse("admin:password_change")).url == reverse("password_change")
