"""Cyber Security in the browser: the Totem lock (§6.1), recovery passphrase, settings per profile."""

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from cybersecurity.models import Profile
from tests.conftest import password_of
from tests.e2e.flows import STRONG_PASSWORD, expect_home, sign_in, sign_in_first_time

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_totem_unlock(page, new_context, profiles):
    sign_in(page, "totem")
    expect(page.locator("[data-form-errors]")).to_be_visible()
    expect(page.locator("[data-form-errors]")).to_contain_text("This profile is locked.")
    expect(page).to_have_url("/login/")

    sign_in_first_time(page, "cyber")
    page.goto("/settings/cybersecurity/profile/")
    page.locator("a[href$='/change/']", has_text="Totem User").click()
    locked = page.locator("input[name=locked]")
    expect(locked).to_be_checked()
    locked.uncheck()
    page.click("button[name=_save]")
    expect(page).to_have_url("/settings/cybersecurity/profile/")
    assert not Profile.objects.get(key="totem").locked

    totem = new_context().new_page()
    sign_in(totem, "totem")
    expect_home(totem)  # Totem has no forced change


def test_passphrase_recovery(page, new_context, ready_profile):
    ready_profile("cyber")
    sign_in(page, "cyber", password_of("cyber"))
    expect_home(page)
    page.goto("/settings/cybersecurity/profile/passphrase/")
    page.click("[data-generate-passphrase]")
    shown = page.locator("[data-passphrase]")
    expect(shown).to_have_text(re.compile(r"^\s*([A-Z2-9]{5}-){5}[A-Z2-9]{5}\s*$"))
    passphrase = shown.inner_text().strip()

    other = new_context().new_page()
    other.goto("/recover/")
    other.fill("input[name=passphrase]", passphrase)
    other.fill("input[name=new_password]", STRONG_PASSWORD)
    other.fill("input[name=confirm_password]", STRONG_PASSWORD)
    other.click("form.form button[type=submit]")
    expect_home(other)
    expect(other.locator(".profile-chip")).to_contain_text("Cyber Security")

    page.goto("/")  # the password changed: the first session is no longer valid
    expect(page).to_have_url(re.compile(r"/login/\?next=/$"))


def test_user_has_no_settings(page, profiles):
    sign_in(page, "user")
    expect_home(page)
    expect(page.locator("[data-settings]")).to_have_count(0)
    response = page.goto("/settings/")
    assert response.status == 403 or urlsplit(page.url).path != "/settings/"


def test_admin_settings_show_profiles_but_not_security(page, ready_profile):
    ready_profile("admin")
    sign_in(page, "admin", password_of("admin"))
    expect_home(page)
    page.click("[data-settings]")
    expect(page).to_have_url("/settings/")
    sidebar = page.locator("#nav-sidebar-apps")
    expect(sidebar).to_contain_text("Profiles")
    expect(sidebar).not_to_contain_text("Security policy")
    expect(sidebar).not_to_contain_text("Audit log")


def test_cyber_settings_show_security(page, ready_profile):
    ready_profile("cyber")
    sign_in(page, "cyber", password_of("cyber"))
    expect_home(page)
    page.click("[data-settings]")
    sidebar = page.locator("#nav-sidebar-apps")
    expect(sidebar).to_contain_text("Security policy")
    expect(sidebar).to_contain_text("Audit log")
