"""Predefined usages (§9.6.5, with the manual's external keys) and fluids, created by migration;
their names are shown in the reader's language."""

from django.utils.translation import gettext_lazy as _

USAGES = {
    # external key: name (the manual's keys, spelling included)
    "AirConditionning": _("Air conditioning"),
    "Auxiliary": _("Auxiliary (fan, pumps)"),
    "ColdWater": _("Cold water"),
    "Custom": _("Custom usage"),
    "DomesticHotWater": _("Hot water production"),
    "Heating": _("Heating"),
    "HotWater": _("Hot water"),
    "IndoorLighting": _("Indoor lighting"),
    "OutdoorLighting": _("Outdoor lighting"),
    "Ventilation": _("Ventilation"),
    "ITEquipment": _("IT equipment"),
    "PowerSockets": _("Power sockets"),
    "Process": _("Process"),
    "Refrigeration": _("Refrigeration"),
    "Lifts": _("Lifts and escalators"),
}

FLUIDS = {
    # key: (name, energy unit)
    "electricity": (_("Electricity"), "kWh"),
    "gas": (_("Gas"), "m³"),
    "water": (_("Water"), "m³"),
    "heat": (_("Heat"), "kWh"),
    "cold": (_("Cold"), "kWh"),
    "compressed_air": (_("Compressed air"), "m³"),
    "steam": (_("Steam"), "t"),
    "fuel_oil": (_("Fuel oil"), "l"),
}
