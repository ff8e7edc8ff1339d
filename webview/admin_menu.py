"""Settings UI (Unfold admin) configuration: the sidebar follows manual §9's menus, and each
entry shows only for the profiles whose permission-map rights allow it."""

from django.templatetags.static import static
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _


def _can(perm: str):
    def check(request) -> bool:
        return request.user.has_perm(perm)

    return check


# Customise › Devices (§9.6): its tabs sit on top of each of these lists.
DEVICES_TABS = [
    {"title": title, "link": reverse_lazy(f"admin:devices_{model}_changelist"),
     "permission": _can(f"devices.view_{model}")}
    for title, model in [(_("Sources"), "device"), (_("Circuits"), "circuit"), (_("Usages"), "usage"),
                         (_("Areas"), "area"), (_("Fluids"), "fluid"), (_("Register maps"), "customregistermap")]
]


UNFOLD = {
    "SITE_TITLE": _("WebView settings"),
    "SITE_HEADER": _("WebView settings"),
    "SITE_SUBHEADER": _("Energy server"),
    "SITE_URL": "/",
    "SITE_SYMBOL": "bolt",
    "SHOW_HISTORY": True,
    "SHOW_VIEW_ON_SITE": False,
    "SHOW_LANGUAGES": False,
    "STYLES": [lambda request: static("webview/css/admin.css")],
    "COLORS": {
        "primary": {
            "50": "236 247 250", "100": "207 236 243", "200": "160 217 231", "300": "103 192 214",
            "400": "51 163 192", "500": "17 138 170", "600": "10 112 143", "700": "11 90 116",
            "800": "14 74 95", "900": "15 61 79", "950": "7 39 52",
        },
    },
    "TABS": [{"models": [f"devices.{model}"
                         for model in ("device", "circuit", "usage", "area", "fluid", "customregistermap")],
              "items": DEVICES_TABS}],
    "SIDEBAR": {
        "show_search": False,
        "show_all_applications": False,
        "navigation": [
            {
                "title": _("Customise"),
                "items": [
                    {"title": _("Profiles"), "icon": "badge", "link": reverse_lazy("admin:cybersecurity_profile_changelist"),
                     "permission": _can("cybersecurity.view_profile")},
                    {"title": _("Devices"), "icon": "electric_meter", "link": DEVICES_TABS[0]["link"],
                     "permission": _can("devices.view_device")},
                    {"title": _("Hierarchies"), "icon": "account_tree",
                     "link": reverse_lazy("admin:hierarchies_hierarchy_changelist"),
                     "permission": _can("hierarchies.view_hierarchy")},
                ],
            },
            {
                "title": _("Diagnosis"),
                "items": [
                    {"title": _("Scheduled tasks"), "icon": "schedule",
                     "link": reverse_lazy("admin:django_celery_beat_periodictask_changelist"),
                     "permission": _can("django_celery_beat.view_periodictask")},
                ],
            },
            {
                "title": _("Security"),
                "items": [
                    {"title": _("Security policy"), "icon": "shield_lock",
                     "link": reverse_lazy("admin:cybersecurity_securitypolicy_changelist"),
                     "permission": _can("cybersecurity.view_securitypolicy")},
                    {"title": _("Audit log"), "icon": "receipt_long",
                     "link": reverse_lazy("admin:cybersecurity_auditevent_changelist"),
                     "permission": _can("cybersecurity.view_auditevent")},
                ],
            },
        ],
    },
}
