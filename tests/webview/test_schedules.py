"""Defect: the system schedules (the 1-second acquisition tick, storing ended periods, packing
days, purging sessions) were rows that Admin could delete or disable in Settings › Scheduled
tasks; polling or storing then stopped without a word. They are declared in code, reinstalled at
every start of beat, and read-only in Settings. And beat no longer logs a line a second."""

import sys
from datetime import timedelta
import pytest
import redis
from django.conf import settings
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from tests.webview.processes import database_env, environment, running, wait_until
from system.schedules import SYSTEM_SCHEDULES

TICK = "Acquisition tick"
CHANGELIST = "/settings/django_celery_beat/periodictask/"


def _system_row(name: str = TICK) -> PeriodicTask:
    return PeriodicTask.objects.get(name=name)


def _custom_row() -> PeriodicTask:
    every_5_min, _ = IntervalSchedule.objects.get_or_create(every=5, period="minutes")
    return PeriodicTask.objects.create(name="Someone's task", task="cybersecurity.tasks.purge_expired_sessions",
                                       interval=every_5_min)


def _action(client, action: str, rows: list[PeriodicTask], **extra):
    return client.post(CHANGELIST, {"action": action, ACTION_CHECKBOX_NAME: [row.pk for row in rows],
                                    "index": "0", **extra})


@pytest.mark.django_db
def test_every_system_schedule_is_in_the_table_after_migrating():
    assert set(PeriodicTask.objects.filter(enabled=True).values_list("name", flat=True)) >= set(SYSTEM_SCHEDULES)


@pytest.mark.django_db
def test_admin_cannot_delete_a_system_schedule(client_as):
    client = client_as("admin")
    tick = _system_row()
    response = client.post(f"{CHANGELIST}{tick.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    response = _action(client, "delete_selected", [tick], post="yes")
    assert response.status_code == 403
    assert PeriodicTask.objects.filter(pk=tick.pk).exists()


@pytest.mark.django_db
def test_admin_cannot_disable_or_edit_a_system_schedule(client_as):
    client = client_as("admin")
    closing = _system_row("Datalogger: store ended periods")
    page = client.get(f"{CHANGELIST}{closing.pk}/change/")
    assert page.status_code == 200 and b'name="_save"' not in page.content  # shown read-only
    response = client.post(f"{CHANGELIST}{closing.pk}/change/", {
        "name": closing.name, "task": closing.task, "interval": closing.interval_id, "enabled": "",
        "args": "[]", "kwargs": "{}", "headers": "{}", "_save": "Save"})
    assert response.status_code == 403
    for action in ("disable_tasks", "toggle_tasks"):
        _action(client, action, [closing])
    closing.refresh_from_db()
    assert closing.enabled and closing.interval.every == 30 and closing.interval.period == "seconds"


@pytest.mark.django_db
def test_a_custom_schedule_is_still_disabled_and_deleted_beside_a_system_one(client_as):
    client = client_as("admin")
    custom, tick = _custom_row(), _system_row()
    _action(client, "disable_tasks", [custom, tick])
    custom.refresh_from_db()
    assert not custom.enabled and _system_row().enabled
    response = client.post(f"{CHANGELIST}{custom.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302 and not PeriodicTask.objects.filter(pk=custom.pk).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("model", ["intervalschedule", "crontabschedule", "solarschedule", "clockedschedule"])
def test_beat_internals_are_not_in_settings(client_as, model):
    client = client_as("admin")
    assert client.get(f"/settings/django_celery_beat/{model}/").status_code == 404
    assert f"/settings/django_celery_beat/{model}/".encode() not in client.get(CHANGELIST).content


@pytest.fixture
def acquisition_queue():
    """The broker's list for the acquisition queue (Redis of the tests), empty before and after."""
    client = redis.Redis.from_url(settings.REDIS_URL, **settings.REDIS_CLIENT_OPTIONS)
    client.delete("acquisition")
    yield client
    client.delete("acquisition")
    client.close()


def _beat(tmp_path):
    env = environment(**database_env(), REDIS_URL=settings.REDIS_URL, WEBVIEW_DATA_DIR=str(tmp_path))
    command = [sys.executable, "-m", "celery", "-A", "webview", "beat", "--loglevel", "INFO"]
    return running(command, env, tmp_path / "beat.log")


@pytest.mark.django_db(transaction=True)
@pytest.mark.timeout(240)
def test_a_start_of_beat_reinstalls_deleted_disabled_and_edited_system_schedules(tmp_path, acquisition_queue):
    PeriodicTask.objects.filter(name=TICK).delete()
    PeriodicTask.objects.filter(name="Datalogger: store ended periods").update(enabled=False)
    PeriodicTask.objects.filter(name="Datalogger: pack closed days").update(
        interval=IntervalSchedule.objects.get_or_create(every=7, period="days")[0])
    with _beat(tmp_path) as beat:
        def reinstalled() -> bool:
            beat.check_alive()
            return set(PeriodicTask.objects.filter(enabled=True).values_list("name", flat=True)) >= set(SYSTEM_SCHEDULES)

        wait_until(reinstalled, 90, "the system schedules reinstalled")
        wait_until(lambda: acquisition_queue.llen("acquisition") > 0, 30, "a tick sent")  # and it ticks
    tick = PeriodicTask.objects.get(name=TICK)
    assert (tick.task, tick.interval.every, tick.interval.period, tick.queue) == (
        "devices.tasks.acquisition_tick", 1, "seconds", "acquisition")
    packing = PeriodicTask.objects.get(name="Datalogger: pack closed days")
    assert packing.interval.schedule.run_every == timedelta(hours=1)


@pytest.mark.django_db(transaction=True)
@pytest.mark.timeout(240)
def test_beat_does_not_log_every_tick(tmp_path, acquisition_queue):
    with _beat(tmp_path) as beat:
        def ticked(count: int):
            def sent() -> bool:
                beat.check_alive()
                return acquisition_queue.llen("acquisition") >= count
            return sent

        wait_until(ticked(3), 120, "3 ticks sent")  # past the start-up banner
        lines_then = len(beat.output().splitlines())
        wait_until(ticked(13), 60, "10 more ticks sent")
        log = beat.output()
    assert not [line for line in log.splitlines() if "acquisition_tick" in line], log[-2000:]
    assert len(log.splitlines()) - lines_then <= 2, log[-2000:]  # not a line per tick
