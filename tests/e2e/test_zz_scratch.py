import pytest
from tests.e2e.flows import sign_in, expect_home
from tests.conftest import password_of

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

def test_dump(page, ready_profile):
    ready_profile("cyber")
    sign_in(page, "cyber", password_of("cyber"))
    expect_home(page)
    for name, path in [("index", "/settings/"), ("profiles", "/settings/cybersecurity/profile/")]:
        page.goto(path)
        open(f"/tmp/e2edump/{name}.html", "w").write(page.content())
    page.click("text=Totem User")
    page.wait_for_load_state()
    open("/tmp/e2edump/totem.html", "w").write(page.content())
    print(page.url)
