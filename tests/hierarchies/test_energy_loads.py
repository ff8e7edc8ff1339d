"""A hierarchy's loads are circuits that measure energy (§9.7): the breakdown reads their active
energy; an ISOM insulation monitor or an ATyS transfer switch has none to give."""

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from devices.models import Circuit, Fluid
from hierarchies import rules
from hierarchies.models import Member

pytestmark = pytest.mark.django_db
WITHOUT_ENERGY = ("ATyS C65", "L-60 Theatre", "F-60@3")


@pytest.fixture
def site(profiles):
    call_command("setup_demo", "--port", "5999")
    return rules.create_hierarchy(name="Energy loads", fluid=Fluid.objects.get(key="electricity"))


def test_the_editor_offers_only_circuits_that_measure_energy(client_as, site):
    html = client_as("admin").get(reverse("admin:hierarchies_hierarchy_change", args=[site.pk])).content.decode()
    palette = html.split("data-new-circuit>", 1)[1].split("</select>", 1)[0]
    assert "A-40 General" in palette and "E23 Offices" in palette
    for name in WITHOUT_ENERGY:
        assert Circuit.objects.filter(device__name=name).exists()
        assert name not in palette, f"{name} offered as an energy load"


@pytest.mark.parametrize("name", WITHOUT_ENERGY)
def test_a_circuit_without_energy_is_refused_and_nothing_added(site, name):
    circuit = Circuit.objects.filter(device__name=name).first()
    with pytest.raises(ValidationError, match="measures no energy"):
        rules.add_circuit(site, circuit)
    assert not Member.objects.filter(hierarchy=site, kind=Member.Kind.CIRCUIT).exists()


def test_the_api_refuses_it_with_a_clear_error(client_as, site):
    atys = Circuit.objects.filter(device__name="ATyS C65").first()
    response = client_as("admin").post(f"/api/v1/hierarchies/{site.pk}/members/",
                                       {"kind": "circuit", "circuit": atys.pk}, content_type="application/json")
    assert response.status_code == 400 and "measures no energy" in str(response.json())
    assert not Member.objects.filter(hierarchy=site, kind=Member.Kind.CIRCUIT).exists()
