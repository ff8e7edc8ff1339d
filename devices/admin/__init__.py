"""Customise › Devices (§9.5-9.6) in the settings: the Sources, Circuits and Usages tabs, with
Areas and Fluids beside them. Admin and Cyber Security only (cybersecurity/permissions.py)."""

from devices.admin import circuits, groupings, sources

__all__ = ["circuits", "groupings", "sources"]
