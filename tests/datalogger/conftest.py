import pytest
from django.conf import settings
from redis import Redis

from datalogger import accumulator
from devices import services
from devices.acquisition.spec import spec_for
from devices.models import Device


@pytest.fixture
def redis():
    """The real Redis, without the open periods an earlier test left."""
    with Redis.from_url(settings.REDIS_URL) as client:
        client.delete(accumulator.OPEN_PERIODS, *client.keys(f"{accumulator.PREFIX}*"))
        yield client


@pytest.fixture
def meter(db):
    """An A-10 as the acquisition sees it (its spec)."""
    device = services.add_device(reference="A-10", name="General", host="127.0.0.1", unit_id=1)
    return spec_for(Device.objects.prefetch_related("circuits").get(pk=device.pk))
