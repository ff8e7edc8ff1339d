"""The hourly rollups of the minimum, average and maximum series' day blocks written before
they existed (Trends reads long ranges from them)."""

import numpy as np
from django.db import migrations

BATCH = 500


def fill(apps, schema_editor):
    from datalogger import codec

    DayBlock = apps.get_model("datalogger", "DayBlock")
    pending = DayBlock.objects.filter(hourly__isnull=True, series__stat__in=["avg", "min", "max"])
    while True:
        batch = list(pending.select_related("series")[:BATCH])
        if not batch:
            return
        for block in batch:
            values = np.frombuffer(bytes(block.data), dtype=codec.dtype_for(False))
            block.hourly = codec.rollup(block.series.stat, values, block.period_minutes)
        DayBlock.objects.bulk_update(batch, ["hourly"])


class Migration(migrations.Migration):
    dependencies = [("datalogger", "0003_trends_favourites")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
