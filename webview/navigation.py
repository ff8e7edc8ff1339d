"""The menus of the home page (manual §8.1) and what each one's left pane offers (§7.2-7.3)."""

from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# §7.2 View modes
AREA, USE, FLUID, PHOTOVIEW, HIERARCHY = "area", "use", "fluid", "photoview", "hierarchy"
VIEW_MODE_LABELS = {
    AREA: _("Area"), USE: _("Use"), FLUID: _("Fluid"), PHOTOVIEW: _("Photoview"), HIERARCHY: _("Hierarchy"),
}


@dataclass(frozen=True)
class Menu:
    key: str
    url_name: str
    title: Promise
    description: Promise
    icon: str  # a Material Symbols name, listed in frontend/fonts/icons.txt (the subset font)
    section: str  # "monitor" or "analyse" (§8.1)
    view_modes: tuple[str, ...] = ()
    time_period: bool = False
    resolution: bool = False  # §8.5: auto mode and per-minute resolution
    favourites: bool = False  # §7.4: Trends only
    extra: dict = field(default_factory=dict)

    @property
    def has_left_pane(self) -> bool:
        return bool(self.view_modes or self.time_period)

    def view_mode_choices(self) -> list[tuple[str, Promise]]:
        return [(mode, VIEW_MODE_LABELS[mode]) for mode in self.view_modes]


MENUS: dict[str, Menu] = {
    menu.key: menu
    for menu in [
        Menu("monitor", "devices:monitor", _("Monitor"),
             _("Real-time measurements and power quality of the installation."), "monitoring", "monitor",
             view_modes=(AREA, USE, FLUID, PHOTOVIEW)),
        Menu("alarms", "alarms:index", _("Alarms and events"),
             _("Active and finished alarms of the devices."), "notifications_active", "monitor"),
        Menu("photoview", "photoview:index", _("Photoview"),
             _("Live values on your site plans, panels and diagrams."), "photo_library", "monitor"),
        Menu("consumption", "hierarchies:consumption", _("Consumption"),
             _("Where the energy goes: by load, by usage, over time."), "bar_chart", "analyse",
             view_modes=(HIERARCHY, USE, FLUID), time_period=True, resolution=True),
        Menu("trends", "datalogger:trends", _("Trends"),
             _("Measurement logs of any circuit, over any period."), "show_chart", "analyse",
             view_modes=(AREA, USE, FLUID), time_period=True, favourites=True),
    ]
}

SECTIONS = [("monitor", _("Monitor")), ("analyse", _("Analyse"))]

# §7.3 predefined periods; the browser computes their bounds on the site's calendar (time.js).
PERIODS = [
    ("today", _("Today")), ("yesterday", _("Yesterday")), ("this_week", _("Current week")),
    ("last_week", _("Last week")), ("this_month", _("Current month")), ("last_month", _("Last month")),
    ("this_year", _("Current year")), ("last_year", _("Last year")), ("custom", _("Custom dates")),
]
RESOLUTIONS = [("month", _("Per month")), ("week", _("Per week")), ("day", _("Per day")),
               ("hour", _("Per hour")), ("minute", _("Per minute"))]
