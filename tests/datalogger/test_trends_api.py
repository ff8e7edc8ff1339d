"""GET /api/v1/trends/ (DESIGN.md contract): at most N buckets of [start, min, avg, max]."""

from datetime import datetime, timedelta, timezone

import pytest

from datalogger.closing import store_period
from devices import services

pytestmark = pytest.mark.django_db
T0 = datetime(2026, 3, 2, 0, 0, tzinfo=timezone.utc)
URL = "/api/v1/trends/"


@pytest.fixture
def circuit():
    device = services.add_device(reference="A-10", name="General", host="127.0.0.1", unit_id=1)
    for n in range(144):  # one day of 10-minute periods; P swings from 0 to 143 kW
        p = float(n)
        store_period(device.pk, T0 + timedelta(minutes=10 * n), 10,
                     {"1|P|s": repr(p * 2), "1|P|n": "2", "1|P|lo": repr(p - 1), "1|P|hi": repr(p + 1),
                      "1|EA_IMP|l": repr(1000.0 + n)})
    return device.circuits.get()


def query(**params) -> dict:
    return {"start": T0.isoformat(), "end": (T0 + timedelta(days=1)).isoformat(), **params}


def test_a_day_in_twelve_buckets(client_as, circuit):
    body = client_as("user").get(URL, query(circuit=circuit.pk, quantity="P", points=12)).json()
    assert (body["unit"], body["period_minutes"], body["bucket_seconds"]) == ("kW", 10, 7200)
    assert body["decimals"] == 2  # precision.yaml: kW
    assert len(body["points"]) == 12
    first = body["points"][0]
    # The site's clock (Europe/Paris) with its offset: 00:00 UTC is 01:00+01:00.
    assert first == ["2026-03-02T01:00:00+01:00", -1.0, 5.5, 12.0]  # min of minimums, mean, max of maximums
    assert body["points"][-1][3] == 144.0


def test_an_energy_index_and_a_range_without_data(client_as, circuit):
    index = client_as("user").get(URL, query(circuit=circuit.pk, quantity="EA_IMP", points=1)).json()
    assert index["unit"] == "kWh" and index["points"][0][1:] == [1000.0, 1071.5, 1143.0]
    assert index["decimals"] == 0  # an energy index in whole kWh
    later = {"start": "2027-01-01T00:00:00Z", "end": "2027-01-02T00:00:00Z"}
    assert client_as("user").get(URL, {**later, "circuit": circuit.pk, "quantity": "P"}).json()["points"] == []


@pytest.mark.parametrize("params, field", [
    ({"quantity": "NOPE"}, "quantity"),
    ({"points": "0"}, "points"),
    ({"end": "2026-03-01T00:00:00Z"}, "end"),
    ({"circuit": "999"}, "circuit"),
])
def test_bad_input_is_a_400_naming_the_field(client_as, circuit, params, field):
    response = client_as("user").get(URL, {**query(circuit=circuit.pk, quantity="P"), **params})
    assert response.status_code == 400 and field in response.json()


def test_only_signed_in_profiles_read_history(client, circuit):
    assert client.get(URL, query(circuit=circuit.pk, quantity="P")).status_code in (401, 403)
