"""The lockout holds under parallel attempts: django-axes' known weakness (DESIGN.md) must not be ours."""

import threading

import pytest
from django.db import connection
from django.test import RequestFactory

from cybersecurity import services
from cybersecurity.models import Profile, SecurityPolicy

ATTEMPTS = 12


@pytest.mark.django_db(transaction=True)
def test_parallel_wrong_passwords_get_no_more_checks_than_the_limit(ready_profile):
    ready_profile("admin")
    SecurityPolicy.objects.filter(pk=1).update(max_login_attempts=3)
    checked: list[str] = []
    start = threading.Barrier(ATTEMPTS)

    def attempt() -> None:
        request = RequestFactory().post("/login/")
        start.wait()
        try:
            services.sign_in(request, "admin", "wrong")
        except services.SignInRefused as refusal:
            checked.append(refusal.reason)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt) for _ in range(ATTEMPTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(checked) == ATTEMPTS
    assert checked.count("wrong_password") == 3
    assert checked.count("locked_out") == ATTEMPTS - 3
    assert Profile.objects.get(key="admin").failed_logins == 3
