"""The soak tier: one run of the gateway as `make run` starts it, shared by every check."""

import pytest

from tests.soak.scenario import Soak, SoakResult


@pytest.fixture(autouse=True)
def _clean_cache():
    """The suite's cache cleaning talks to the tests' Redis; the soaked gateway has its own
    embedded one and the test process needs none."""
    yield


@pytest.fixture(scope="session")
def soak() -> SoakResult:
    return Soak().run()
