"""Defect 12: HTML and JSON come back compressed to a browser that accepts it (they were served
as they are: the home page, the API lists). Static files are precompressed by ServeStatic.

BREACH (a secret in a compressed body guessed from its length) is mitigated: Django masks the
CSRF token with a new random mask on every response, and its GZipMiddleware pads the gzip header
with random bytes (Heal The Breach); session ids travel in cookies, never in bodies."""

import gzip
import json

import pytest

from devices.models import Area

pytestmark = pytest.mark.django_db

ACCEPT = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}


def test_home_page_is_gzip_encoded(client_as):
    response = client_as("user").get("/", **ACCEPT)
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    html = gzip.decompress(response.content).decode()
    assert 'data-menu="trends"' in html


def test_api_json_is_gzip_encoded(client_as, profiles):
    for number in range(12):  # a body worth compressing (Django leaves under 200 bytes alone)
        Area.objects.create(name=f"Building {number}")
    response = client_as("admin").get("/api/v1/areas/?format=json", **ACCEPT)
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert isinstance(json.loads(gzip.decompress(response.content)), (list, dict))


def test_a_client_that_does_not_accept_gzip_gets_the_plain_body(client_as):
    response = client_as("user").get("/", HTTP_ACCEPT_ENCODING="identity")
    assert not response.has_header("Content-Encoding")
    assert b'data-menu="trends"' in response.content


def test_the_csrf_token_differs_on_every_response(client):
    """The BREACH mitigation relied on: a compressed page never repeats the same token bytes."""
    first = client.get("/login/", **ACCEPT)
    second = client.get("/login/", **ACCEPT)
    token = 'name="csrfmiddlewaretoken" value="'

    def token_of(response) -> str:
        html = gzip.decompress(response.content).decode()
        return html.split(token, 1)[1].split('"', 1)[0]

    assert token_of(first) != token_of(second)
