"""Beat's scheduler: django-celery-beat's database scheduler, which installs the entries of
CELERY_BEAT_SCHEDULE (system.schedules) with update_or_create at every start. It would keep a
system schedule that someone disabled disabled; this one enables them again first, so a start of
beat always polls, stores and packs whatever the table held."""

from django_celery_beat.models import PeriodicTask, PeriodicTasks
from django_celery_beat.schedulers import DatabaseScheduler

from system.schedules import SYSTEM_SCHEDULES


class SystemScheduler(DatabaseScheduler):
    def setup_schedule(self) -> None:
        if PeriodicTask.objects.filter(name__in=SYSTEM_SCHEDULES, enabled=False).update(enabled=True):
            PeriodicTasks.update_changed()
        super().setup_schedule()  # re-creates deleted rows and resets edited ones
