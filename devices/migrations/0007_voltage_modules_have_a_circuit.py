"""Digiware voltage modules (U-10, U-20, U-30, U-31 dc, U-32 dc) now have one circuit in the
catalogue, where their network values are shown and logged; devices configured before get it
too, named after the device as services.add_device names a single circuit."""

from django.db import migrations

VOLTAGE_MODULES = ("U-10", "U-20", "U-30", "U-31 dc", "U-32 dc")


def add_circuit(apps, schema_editor):
    Device = apps.get_model("devices", "Device")
    Circuit = apps.get_model("devices", "Circuit")
    Fluid = apps.get_model("devices", "Fluid")
    electricity = Fluid.objects.filter(key="electricity").first()
    for device in Device.objects.filter(reference__in=VOLTAGE_MODULES, custom_map__isnull=True):
        if not Circuit.objects.filter(device=device).exists():
            Circuit.objects.create(device=device, index=1, name=device.name, fluid=electricity)


class Migration(migrations.Migration):

    dependencies = [
        ("devices", "0006_alter_device_integration_minutes"),
    ]

    operations = [
        migrations.RunPython(add_circuit, migrations.RunPython.noop),
    ]
