"""The Trends page (§8.6) and the favourites API (§7.4)."""

from datetime import datetime, timedelta, timezone

import pytest
from django.urls import reverse

from datalogger.closing import store_period
from datalogger.models import Favourite
from devices import services

pytestmark = pytest.mark.django_db
FAVOURITES = "/api/v1/favourites/"


@pytest.fixture
def circuit():
    device = services.add_device(reference="A-10", name="General", host="127.0.0.1", unit_id=1, area="Plant")
    store_period(device.pk, datetime(2026, 3, 2, tzinfo=timezone.utc), 10,
                 {"1|P|s": "4.0", "1|P|n": "2", "1|P|lo": "1.0", "1|P|hi": "3.0", "1|EA_IMP|l": "10.0",
                  "0|F|s": "50.0", "0|F|n": "1", "0|F|lo": "50.0", "0|F|hi": "50.0"})
    return device.circuits.get()


def test_a_circuit_offers_what_is_logged_by_category(client_as, circuit):
    html = client_as("user").get(f"{reverse('datalogger:trends')}?circuit={circuit.pk}").content.decode()
    assert f'data-circuit="{circuit.pk}"' in html and '<h2 class="card-title">General</h2>' in html
    assert 'data-quantity="P"' in html and 'data-quantity="F"' in html  # F: device-wide, offered on every circuit
    assert 'data-quantity="EA_IMP"' in html and 'data-quantity="Q"' not in html  # Q is not logged
    assert '<option value="alarm" disabled>' in html
    assert "/static/datalogger/js/trends.js" in html and "/static/dist/echarts.js" in html


def test_without_a_circuit_the_page_says_what_to_do(client_as):
    html = client_as("user").get(reverse("datalogger:trends")).content.decode()
    assert "Select an area, a device and a circuit" in html and "data-circuit=" not in html


def favourite(circuit, name="Process", **extra) -> dict:
    return {"name": name, "title": "Line 1", "selection": [{"circuit": circuit.pk, "quantity": "P"}],
            "options": {"mode": "stacked", "auto_scale": True, "table": False}, **extra}


def test_each_profile_keeps_its_own_favourites(client_as, circuit, ready_profile):
    user = client_as("user")
    created = user.post(FAVOURITES, favourite(circuit), content_type="application/json")
    assert created.status_code == 201 and created.json()["selection"] == [{"circuit": circuit.pk, "quantity": "P"}]
    assert user.get(FAVOURITES).json()[0]["options"]["mode"] == "stacked"
    ready_profile("advanced")
    advanced = client_as("advanced")
    assert advanced.get(FAVOURITES).json() == []
    assert advanced.get(f"{FAVOURITES}{created.json()['id']}/").status_code == 404
    assert advanced.delete(f"{FAVOURITES}{created.json()['id']}/").status_code == 404
    html = user.get(f"{reverse('datalogger:trends')}?circuit={circuit.pk}").content.decode()
    assert ">Process</option>" in html
    assert user.delete(f"{FAVOURITES}{created.json()['id']}/").status_code == 204
    assert not Favourite.objects.exists()


@pytest.mark.parametrize("change, field", [
    ({"selection": []}, "selection"),
    ({"selection": [{"circuit": 999, "quantity": "P"}]}, "selection"),
    ({"selection": [{"circuit": None, "quantity": "NOPE"}]}, "selection"),
    ({"options": {"mode": "spiral"}}, "options"),
    ({"name": ""}, "name"),
])
def test_a_bad_favourite_is_refused_and_nothing_saved(client_as, circuit, change, field):
    body = favourite(circuit, **change)
    if body["selection"] and body["selection"][0]["circuit"] is None:
        body["selection"][0]["circuit"] = circuit.pk
    response = client_as("user").post(FAVOURITES, body, content_type="application/json")
    assert response.status_code == 400 and field in response.json()
    assert not Favourite.objects.exists()


def test_a_favourite_name_is_used_once_per_profile(client_as, circuit):
    user = client_as("user")
    assert user.post(FAVOURITES, favourite(circuit), content_type="application/json").status_code == 201
    twice = user.post(FAVOURITES, favourite(circuit), content_type="application/json")
    assert twice.status_code == 400 and "already have a favourite" in twice.json()["name"][0]
    too_many = favourite(circuit, name="Big", selection=[{"circuit": circuit.pk, "quantity": "P"}] * 21)
    assert user.post(FAVOURITES, too_many, content_type="application/json").status_code == 400
    assert Favourite.objects.count() == 1


def test_a_quantity_without_any_stored_point_is_not_offered(client_as, circuit):
    # A series the datalogger created but never wrote (or retention emptied) has no history to draw.
    from datalogger.models import Series

    Series.objects.create(device=circuit.device, circuit_index=circuit.index, code="Q", stat=Series.Stat.AVG,
                          period_minutes=10)
    html = client_as("user").get(f"{reverse('datalogger:trends')}?circuit={circuit.pk}").content.decode()
    assert 'data-quantity="P"' in html and 'data-quantity="Q"' not in html


def test_a_favourite_keeps_its_time_period(client_as, circuit):
    user = client_as("user")
    last_week = {"period": "last_week", "start": "2026-03-23T00:00:00+01:00"}
    relative = user.post(FAVOURITES, favourite(circuit, period=last_week), content_type="application/json")
    assert relative.status_code == 201
    # A predefined period stays relative (last week of the day it is opened): no dates kept.
    assert user.get(f"{FAVOURITES}{relative.json()['id']}/").json()["period"] == {"period": "last_week"}
    custom = {"period": "custom", "start": "2026-03-28T22:00:00+01:00", "end": "2026-03-29T06:00:00+02:00"}
    kept = user.post(FAVOURITES, favourite(circuit, name="Night of the change", period=custom),
                     content_type="application/json")
    assert kept.status_code == 201
    assert user.get(f"{FAVOURITES}{kept.json()['id']}/").json()["period"] == custom
    assert Favourite.objects.get(name="Night of the change").period == custom


@pytest.mark.parametrize("period", [
    {"period": "fortnight"},
    {"period": "custom", "start": "2026-03-29T06:00:00+02:00"},
    {"period": "custom", "start": "2026-03-29T06:00:00+02:00", "end": "2026-03-28T22:00:00+01:00"},
])
def test_a_bad_favourite_period_is_refused_and_nothing_saved(client_as, circuit, period):
    response = client_as("user").post(FAVOURITES, favourite(circuit, period=period), content_type="application/json")
    assert response.status_code == 400 and "period" in response.json()
    assert not Favourite.objects.exists()


def test_favourite_periods_are_the_time_period_components():
    from datalogger.api.serializers import PERIOD_KEYS
    from webview.navigation import PERIODS

    assert list(PERIOD_KEYS) == [key for key, _ in PERIODS]
