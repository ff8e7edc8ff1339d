"""The datalogger's beat entries: store ended periods every 30 s, pack closed days hourly."""

from django.db import migrations

CLOSE, COMPACT = "Datalogger: store ended periods", "Datalogger: pack closed days"


def create(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every_30s, _ = IntervalSchedule.objects.get_or_create(every=30, period="seconds")
    hourly, _ = IntervalSchedule.objects.get_or_create(every=1, period="hours")
    PeriodicTask.objects.get_or_create(name=CLOSE, defaults={"task": "datalogger.tasks.close_periods",
                                                             "interval": every_30s, "expire_seconds": 30})
    PeriodicTask.objects.get_or_create(name=COMPACT, defaults={"task": "datalogger.tasks.compact_days",
                                                               "interval": hourly})


def remove(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name__in=[CLOSE, COMPACT]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("datalogger", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create, remove)]
