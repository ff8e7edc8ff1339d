"""Steps the browser tests share: signing in, the forced password change, the home page."""

from playwright.sync_api import Page, expect

from cybersecurity.profiles import DEFAULT_PASSWORDS

STRONG_PASSWORD = "Grid-Meter-2026-x"
TILES = ["monitor", "alarms", "photoview", "consumption", "trends"]


def sign_in(page: Page, key: str, password: str | None = None) -> None:
    """Submit the sign-in form for profile ``key`` with ``password`` (default: the factory one;
    the User profile has none)."""
    if not page.url.split("?")[0].endswith("/login/"):
        page.goto("/login/")
    page.select_option("select[name=profile]", key)
    page.fill("input[name=password]", DEFAULT_PASSWORDS.get(key, "") if password is None else password)
    page.click("form[data-login-form] button[type=submit]")


def change_password(page: Page, current: str, new: str = STRONG_PASSWORD) -> None:
    """Fill the own-password change form (the forced one after a first sign-in)."""
    expect(page).to_have_url("/password/")
    page.fill("input[name=current_password]", current)
    page.fill("input[name=new_password]", new)
    page.fill("input[name=confirm_password]", new)
    page.click("form.form button[type=submit]")


def expect_home(page: Page) -> None:
    """The home page with its five menu tiles."""
    expect(page).to_have_url("/")
    for key in TILES:
        expect(page.locator(f"a.tile[data-menu={key}]")).to_be_visible()


def sign_in_first_time(page: Page, key: str) -> None:
    """A factory profile's first sign-in, through the forced change where §6.1 asks for one."""
    sign_in(page, key)
    if key in ("advanced", "admin", "cyber"):
        change_password(page, DEFAULT_PASSWORDS[key])
    expect_home(page)
