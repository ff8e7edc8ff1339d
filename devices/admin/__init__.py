"""Customise › Devices (§9.5-9.6) in the settings: the Sources, Circuits and Usages tabs, with
Areas, Fluids and user-defined Register maps beside them. Admin and Cyber Security only
(cybersecurity/permissions.py)."""

from devices.admin import circuits, custom_maps, groupings, sources

__all__ = ["circuits", "custom_maps", "groupings", "sources"]
