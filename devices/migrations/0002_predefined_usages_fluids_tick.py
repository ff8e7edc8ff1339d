"""Factory data: the predefined usages and fluids, and the 1-second acquisition tick for beat."""

from django.db import migrations

from devices.predefined import FLUIDS, USAGES

TICK = "Acquisition tick"


def create(apps, schema_editor):
    Usage = apps.get_model("devices", "Usage")
    Fluid = apps.get_model("devices", "Fluid")
    for key, name in USAGES.items():
        Usage.objects.get_or_create(external_key=key, defaults={"name": str(name), "predefined": True})
    for key, (name, unit) in FLUIDS.items():
        Fluid.objects.get_or_create(key=key, defaults={"name": str(name), "energy_unit": unit})
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every_second, _ = IntervalSchedule.objects.get_or_create(every=1, period="seconds")
    PeriodicTask.objects.get_or_create(
        name=TICK,
        defaults={"task": "devices.tasks.acquisition_tick", "interval": every_second, "queue": "acquisition",
                  "expire_seconds": 1},
    )


def remove(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=TICK).delete()
    apps.get_model("devices", "Usage").objects.filter(predefined=True).delete()
    apps.get_model("devices", "Fluid").objects.filter(key__in=list(FLUIDS)).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("devices", "0001_sources_circuits_usages"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create, remove)]
