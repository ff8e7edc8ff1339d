"""§6.1 sign-in in a real browser: language choice, factory passwords, forced change, refusals."""

import re

import pytest
from playwright.sync_api import expect

from cybersecurity.models import Profile
from cybersecurity.profiles import DEFAULT_PASSWORDS, FORCED_PASSWORD_CHANGE
from tests.conftest import ALL_PROFILES, password_of
from tests.e2e.flows import change_password, expect_home, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WORDS = {
    "en": {"sign_in": "Sign in", "trends": "Trends", "consumption": "Consumption"},
    "fr": {"sign_in": "Connexion", "trends": "Tendances", "consumption": "Consommation"},
}
# The browser starts in the *other* language, so the language select has something to switch.
BROWSER_LOCALE = {"en": "fr-FR", "fr": "en-US"}


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("key", ALL_PROFILES)
def test_first_sign_in_in_each_language(new_context, profiles, key, language):
    if key == "totem":
        # Locked by default; unlocking it through Settings is test_totem_unlock's subject.
        Profile.objects.filter(key=key).update(locked=False)
    words = WORDS[language]
    page = new_context(locale=BROWSER_LOCALE[language]).new_page()
    html = page.locator("html")

    page.goto("/login/")
    expect(html).not_to_have_attribute("lang", language)
    page.select_option("select[name=language]", language)  # shell.js reloads with ?language=
    expect(page).to_have_url(f"/login/?language={language}")
    expect(html).to_have_attribute("lang", language)
    expect(page).to_have_title(f"{words['sign_in']} · WebView")
    expect(page.locator("h1.auth-title")).to_have_text(words["sign_in"])

    sign_in(page, key)
    if key in FORCED_PASSWORD_CHANGE:
        expect(page).to_have_url("/password/")
        expect(page.locator("[data-forced-change]")).to_be_visible()
        page.goto("/")  # nothing else is reachable before the change
        expect(page).to_have_url("/password/")
        change_password(page, DEFAULT_PASSWORDS[key])

    expect_home(page)
    expect(html).to_have_attribute("lang", language)
    expect(page.locator("[data-menu=trends] .tile-title")).to_have_text(words["trends"])
    expect(page.locator("[data-menu=consumption] .tile-title")).to_have_text(words["consumption"])


def test_wrong_password_is_refused_without_a_session(page, profiles):
    sign_in(page, "advanced", "Not-the-password")
    expect(page.locator("label.has-error .field-error")).to_have_text("Wrong password for this profile.")
    expect(page).to_have_url("/login/")
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/login/\?next=/$"))


def test_log_off_returns_to_sign_in(page, profiles):
    sign_in(page, "user")
    expect_home(page)
    page.click("[data-logoff]")
    expect(page).to_have_url("/login/")
    page.goto("/")  # the session is really gone
    expect(page).to_have_url(re.compile(r"/login/\?next=/$"))


@pytest.mark.parametrize("language", ["fr", "en"])
def test_language_switch_keeps_the_profile_and_the_password(new_context, ready_profile, language):
    """Defect 11: picking Admin, typing the password, then choosing another language used to
    reload the page with the form cleared, so "Sign in" signed in as User without a word."""
    ready_profile("admin")
    page = new_context(locale=BROWSER_LOCALE[language]).new_page()
    page.goto("/login/")
    page.select_option("select[name=profile]", "admin")
    page.fill("input[name=password]", password_of("admin"))
    page.select_option("select[name=language]", language)

    # The page speaks the chosen language, the choices made before it are still there.
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.locator("h1.auth-title")).to_have_text(WORDS[language]["sign_in"])
    expect(page.locator("select[name=profile]")).to_have_value("admin")
    expect(page.locator("input[name=password]")).to_have_value(password_of("admin"))
    expect(page.locator("select[name=language]")).to_have_value(language)

    page.click("form[data-login-form] button[type=submit]")
    expect_home(page)
    expect(page.locator(".profile-chip")).to_have_text(re.compile(r"Admin$"))  # after its icon's name
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.locator("[data-menu=trends] .tile-title")).to_have_text(WORDS[language]["trends"])
