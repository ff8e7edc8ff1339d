"""Factory state of manual §5-6: the five profiles with their default passwords, the default
security policy, and the hourly purge of expired sessions and API tokens (editable in the admin)."""

from django.contrib.auth.hashers import make_password
from django.db import migrations

PROFILES = [
    # key, default password, must change at first login (§6.1), locked (§6.1)
    ("user", None, False, False),
    ("advanced", "Advanced", True, False),
    ("totem", "Totem", False, True),
    ("admin", "Admin", True, False),
    ("cyber", "Cyber", True, False),
]
PURGE_TASK = "Purge expired sessions and API tokens"


def create(apps, schema_editor):
    Profile = apps.get_model("cybersecurity", "Profile")
    SecurityPolicy = apps.get_model("cybersecurity", "SecurityPolicy")
    for key, password, must_change, locked in PROFILES:
        Profile.objects.get_or_create(
            key=key,
            defaults={"password": make_password(password), "must_change_password": must_change, "locked": locked},
        )
    SecurityPolicy.objects.get_or_create(pk=1)
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    hourly, _ = IntervalSchedule.objects.get_or_create(every=1, period="hours")
    PeriodicTask.objects.get_or_create(
        name=PURGE_TASK, defaults={"task": "cybersecurity.tasks.purge_expired_sessions", "interval": hourly}
    )


def remove(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=PURGE_TASK).delete()
    apps.get_model("cybersecurity", "Profile").objects.all().delete()
    apps.get_model("cybersecurity", "SecurityPolicy").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("cybersecurity", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create, remove)]
