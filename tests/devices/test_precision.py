"""The decimals every page shows for a quantity (devices/catalogue/precision.yaml)."""

from devices.catalogue import catalogue
from devices.catalogue.precision import decimals, decimals_of


def test_energy_indexes_are_whole_units_and_power_factors_three_decimals():
    assert decimals("EA_IMP") == 0
    assert decimals("ER_IMP") == 0
    assert decimals("EA_IMP_T3") == 0
    assert decimals("PF") == 3
    assert decimals("COSPHI") == 3
    assert decimals("V1") == 1
    assert decimals("I1") == 2
    assert decimals("CNT_POS_1") == 0
    assert decimals("H_I2_5") == 1
    assert decimals("COSPHI2") == 3 and decimals("TANPHI3") == 3


def test_an_average_is_written_as_the_quantity_it_averages():
    assert decimals("AVG_PF") == decimals("PF") == 3
    assert decimals("MAXAVG_I1") == decimals("I1")
    assert decimals("AVG_F") == decimals("F")


def test_a_code_outside_the_catalogue_follows_its_unit_or_the_default():
    assert decimals("USER_ENERGY", "kWh") == 0
    assert decimals("USER_VOLTAGE", "V") == 1
    assert decimals("USER_THING", "furlongs") == 2
    # The neutral current is not an input (IN_n): its own unit decides.
    assert decimals("IN") == 2


def test_every_catalogue_quantity_has_decimals_between_0_and_6():
    table = decimals_of(catalogue().quantities)
    assert set(table) == set(catalogue().quantities)
    assert all(0 <= value <= 6 for value in table.values())
