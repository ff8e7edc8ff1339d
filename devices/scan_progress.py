"""Where a background topology scan (§9.6.3 item 14) stands, for the page that shows its
progress: kept in the cache (Redis) for an hour, written by the worker, read by the page."""

from dataclasses import asdict
from typing import TYPE_CHECKING

from django.core.cache import cache
from django.urls import reverse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from devices.autodetect import Found, Progress
    from devices.models import Device

KEPT_SECONDS = 3600
QUEUED, SCANNING, FINISHED, FAILED = "queued", "scanning", "finished", "failed"


def _key(gateway_id: int) -> str:
    return f"devices:scan:{gateway_id}"


def _save(gateway_id: int, **state) -> None:
    cache.set(_key(gateway_id), {"state": QUEUED, "done": 0, "total": 0, "stage": "", "found": [], "error": "",
                                 **state}, KEPT_SECONDS)


def queued(gateway_id: int) -> None:
    _save(gateway_id)


def reporter(gateway_id: int) -> "Progress":
    """The ``progress(done, total, stage)`` callback of the scan, recording each step."""
    def progress(done: int, total: int, stage: str) -> None:
        _save(gateway_id, state=SCANNING, done=done, total=total, stage=stage)
    return progress


def finished(gateway_id: int, found: list["Found"]) -> None:
    total = (cache.get(_key(gateway_id)) or {}).get("total", 0)
    _save(gateway_id, state=FINISHED, done=total, total=total, found=[asdict(item) for item in found])


def failed(gateway_id: int, error: str) -> None:
    state = cache.get(_key(gateway_id)) or {}
    _save(gateway_id, state=FAILED, done=state.get("done", 0), total=state.get("total", 0), error=error)


def progress_of(gateway_id: int) -> dict | None:
    """The scan's state (queued, scanning, finished or failed), or None when none ran this hour."""
    return cache.get(_key(gateway_id))


# What the autodetect page and the API show of a scan, in the reader's language ------------

STATES = {
    QUEUED: _("Waiting for a worker…"),
    SCANNING: _("Reading Modbus address %(done)d of %(total)d…"),
    FAILED: _("Stopped: %(error)s"),
}
OUTCOMES = {
    "added": _("added"),
    "already configured": _("already configured"),
    "unidentified": _("not in the catalogue: add it by hand"),
    "not Socomec": _("no Socomec identification: add it by hand"),
}


def status_of(gateway: "Device") -> dict:
    """One gateway's scan for the page's script: its state, a sentence saying it, and a row
    per device found (address, product name, reference, outcome, link to the added source)."""
    progress = progress_of(gateway.pk) or {"state": FAILED, "done": 0, "total": 0, "found": [],
                                           "error": gettext("no scan this last hour")}
    found = progress["found"]
    added = sum(item["outcome"] == "added" for item in found)
    if progress["state"] == FINISHED:
        message = ngettext("Done: %(found)d device found, %(added)d added.",
                           "Done: %(found)d devices found, %(added)d added.", len(found))
    else:
        message = STATES[progress["state"]]
    message = message % {"done": progress["done"], "total": progress["total"], "found": len(found), "added": added,
                         "error": progress["error"]}
    return {
        "id": gateway.pk, "name": gateway.name, "state": progress["state"], "message": message,
        "done": progress["done"], "total": progress["total"],
        "found": [{
            "unit_id": item["unit_id"], "product_name": item["product_name"], "reference": item["reference"],
            "device": item["device_id"],
            "outcome": str(OUTCOMES.get(item["outcome"], item["outcome"])),
            "url": reverse("admin:devices_device_change", args=[item["device_id"]]) if item["device_id"] else "",
        } for item in found],
    }
