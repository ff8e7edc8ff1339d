"""The permission map: every view, API endpoint, admin model and websocket, declared once
against the five profiles (manual §5). Anything not declared here is refused (fail closed);
tests/test_permission_map.py walks the URL configuration against this file.
"""

from enum import Enum, StrEnum

from cybersecurity.profiles import ProfileKind


class Right(StrEnum):
    VIEW_DATA = "view_data"  # visualisation of measurement data
    DIAGNOSIS = "diagnosis"  # access to diagnostics
    OWN_PASSWORD = "own_password"  # password management of the own profile
    ALL_PASSWORDS = "all_passwords"  # password management of all profiles, Totem lock, passphrase
    RESET_COUNTERS = "reset_counters"
    SETTINGS = "settings"  # reach the settings UI (the admin) at all
    CONFIGURE = "configure"  # access to the configuration menus (§9)
    CYBER_SECURITY = "cyber_security"  # the Cyber Security menu (§9.4)
    FIRMWARE_UPGRADE = "firmware_upgrade"


class Access(StrEnum):
    PUBLIC = "public"  # anyone, signed in or not
    SIGNED_IN = "signed_in"  # any signed-in profile


Rule = Right | Access
# A URL read by one right and changed by another (an API list that also creates): rules by HTTP
# method, "*" for every method not named. A method with no rule and no "*" is refused.
MethodRules = dict[str, Rule]
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def read_write(read: Rule, write: Rule) -> MethodRules:
    """Safe methods need ``read``; every other method (POST, PUT, PATCH, DELETE...) needs ``write``."""
    return {**dict.fromkeys(SAFE_METHODS, read), "*": write}


_VIEWING = {Right.VIEW_DATA, Right.DIAGNOSIS}

# §5 rights table. Reset of counters follows §5's text and the Monitor issue (Advanced, Admin,
# Cyber); the table also lists it for Totem, a kiosk profile, which we leave read-only.
PROFILE_RIGHTS: dict[str, frozenset[Right]] = {
    ProfileKind.USER: frozenset(_VIEWING),
    ProfileKind.ADVANCED: frozenset(_VIEWING | {Right.OWN_PASSWORD, Right.RESET_COUNTERS, Right.SETTINGS}),
    ProfileKind.TOTEM: frozenset(_VIEWING | {Right.OWN_PASSWORD, Right.SETTINGS}),
    ProfileKind.ADMIN: frozenset(
        _VIEWING | {Right.OWN_PASSWORD, Right.RESET_COUNTERS, Right.SETTINGS, Right.CONFIGURE}
    ),
    ProfileKind.CYBER: frozenset(Right),
}

# Views by URL name ("namespace:name"): one rule for every method, or rules by method.
VIEW_RULES: dict[str, Rule | MethodRules] = {
    "login": Access.PUBLIC,
    "favicon": Access.PUBLIC,
    "passphrase_recover": Access.PUBLIC,
    "set_language": Access.PUBLIC,
    "logout": Access.SIGNED_IN,
    "password_change": Right.OWN_PASSWORD,
    "home": Right.VIEW_DATA,
    "devices:monitor": Right.VIEW_DATA,
    "devices:device": Right.VIEW_DATA,
    "devices:gateway-modules": Right.VIEW_DATA,
    "alarms:index": Right.VIEW_DATA,
    "photoview:index": Right.VIEW_DATA,
    "hierarchies:consumption": Right.VIEW_DATA,
    "datalogger:trends": Right.VIEW_DATA,
    "api:auth-login": Access.PUBLIC,
    "api:auth-recover": Access.PUBLIC,
    "api:auth-logout": Access.SIGNED_IN,
    "api:auth-me": Access.SIGNED_IN,
    "api:auth-password": Right.OWN_PASSWORD,
    "api:profile-list": Right.ALL_PASSWORDS,
    "api:profile-detail": Right.ALL_PASSWORDS,
    "api:profile-password": Right.ALL_PASSWORDS,
    "api:profile-lock": Right.ALL_PASSWORDS,
    "api:profile-unlock": Right.ALL_PASSWORDS,
    "api:profile-passphrase": Right.ALL_PASSWORDS,
    "api:audit-list": Right.CYBER_SECURITY,
    "api:audit-detail": Right.CYBER_SECURITY,
    # §9.6: reading the topology is seeing data; changing it is configuration.
    "api:device-list": read_write(Right.VIEW_DATA, Right.CONFIGURE),
    "api:device-detail": read_write(Right.VIEW_DATA, Right.CONFIGURE),
    "api:device-live": Right.VIEW_DATA,
    "api:device-import-topology": Right.CONFIGURE,
    "api:device-reset-counters": Right.RESET_COUNTERS,
    "api:trends": Right.VIEW_DATA,
    # §7.4: every profile that sees data keeps its own favourites (the view filters by profile).
    "api:favourite-list": Right.VIEW_DATA,
    "api:favourite-detail": Right.VIEW_DATA,
    # §8.5 / §9.7: consumption and hierarchies are read by all who see data, built by Admin/Cyber.
    "api:consumption": Right.VIEW_DATA,
    "api:hierarchy-list": read_write(Right.VIEW_DATA, Right.CONFIGURE),
    "api:hierarchy-detail": read_write(Right.VIEW_DATA, Right.CONFIGURE),
    "api:hierarchy-members": Right.CONFIGURE,
    "api:hierarchy-links": Right.CONFIGURE,
    "api:hierarchy-element-detail": Right.CONFIGURE,
    "api:hierarchy-link-detail": Right.CONFIGURE,
    "devices:reset-counters": Right.RESET_COUNTERS,
    "api:circuit-list": Right.VIEW_DATA,
    "api:circuit-detail": read_write(Right.VIEW_DATA, Right.CONFIGURE),
    "api:usage-list": read_write(Right.VIEW_DATA, Right.CONFIGURE),
    "api:usage-detail": Right.VIEW_DATA,
    "api:area-list": Right.VIEW_DATA,
    "api:area-detail": Right.VIEW_DATA,
    "api:fluid-list": Right.VIEW_DATA,
    "api:fluid-detail": Right.VIEW_DATA,
    "schema": Right.VIEW_DATA,
    "api-docs": Right.VIEW_DATA,
    "admin:cybersecurity_profile_password": Right.OWN_PASSWORD,
    "admin:cybersecurity_profile_passphrase": Right.ALL_PASSWORDS,
    # Autodetect (§9.6.3 item 14) adds sources: who configures devices watches its progress.
    "admin:devices_device_scan": Right.CONFIGURE,
    "admin:devices_device_scan_status": Right.CONFIGURE,
}
# URL name prefixes whose views check finer rights themselves (the admin asks MODEL_RULES).
VIEW_PREFIX_RULES: dict[str, Rule] = {"admin:": Right.SETTINGS}

# While a forced password change is pending, only these stay reachable (UI and API).
REACHABLE_BEFORE_PASSWORD_CHANGE = frozenset(
    {"login", "logout", "password_change", "set_language", "passphrase_recover",
     "api:auth-login", "api:auth-logout", "api:auth-me", "api:auth-password", "api:auth-recover"}
)

# Admin models: "app_label.model" -> action -> right. The admin's has_perm reads this.
_CONFIGURABLE = {action: Right.CONFIGURE for action in ("view", "add", "change", "delete")}
MODEL_RULES: dict[str, dict[str, Right]] = {
    # Every password-holding profile opens its own row; Cyber Security sees and manages all.
    "cybersecurity.profile": {"view": Right.OWN_PASSWORD, "change": Right.OWN_PASSWORD},
    "cybersecurity.securitypolicy": {"view": Right.CYBER_SECURITY, "change": Right.CYBER_SECURITY},
    "cybersecurity.auditevent": {"view": Right.CYBER_SECURITY},
    # §9.6.3-9.6.5: Admin and Cyber Security manage the topology. Circuits come with their
    # source (added and deleted with it); only their name, fluid and usage change.
    "devices.device": _CONFIGURABLE,
    "devices.circuit": {"view": Right.CONFIGURE, "change": Right.CONFIGURE},
    "devices.usage": _CONFIGURABLE,
    "devices.area": _CONFIGURABLE,
    "devices.fluid": _CONFIGURABLE,
    # User-defined register maps, their registers edited inline with them.
    "devices.customregistermap": _CONFIGURABLE,
    "devices.customregister": _CONFIGURABLE,
    "hierarchies.hierarchy": _CONFIGURABLE,
    # Scheduled tasks: none added by hand, and system/admin.py refuses deleting or editing a system
    # one; beat's intervals, crontabs, solar and clocked schedules are internals, not in Settings.
    "django_celery_beat.periodictask": {"view": Right.CONFIGURE, "change": Right.CONFIGURE, "delete": Right.CONFIGURE},
}

# Websocket routes (webview/routing.py) by route.
WEBSOCKET_RULES: dict[str, Rule] = {"ws/live/": Right.VIEW_DATA}


class Verdict(Enum):
    ALLOW = "allow"
    SIGN_IN = "sign_in"
    CHANGE_PASSWORD = "change_password"
    FORBIDDEN = "forbidden"


def rights_of(profile) -> frozenset[Right]:
    if not getattr(profile, "is_authenticated", False):
        return frozenset()
    return PROFILE_RIGHTS.get(profile.kind, frozenset())


def has_right(profile, right: Right) -> bool:
    return right in rights_of(profile)


def rule_for_view(view_name: str | None, method: str) -> Rule | None:
    """The rule guarding ``method`` (GET, POST...) on the URL named ``view_name`` (None: undeclared)."""
    if not view_name:
        return None
    rule = VIEW_RULES.get(view_name)
    if rule is None:
        rule = next((rule for prefix, rule in VIEW_PREFIX_RULES.items() if view_name.startswith(prefix)), None)
    if isinstance(rule, dict):
        return rule.get(method.upper(), rule.get("*"))
    return rule


def judge(profile, rule: Rule | None, *, name: str | None = None) -> Verdict:
    """What may ``profile`` do with a resource guarded by ``rule`` (None: undeclared)."""
    if rule is None:
        return Verdict.FORBIDDEN
    if rule is Access.PUBLIC:
        return Verdict.ALLOW
    if not getattr(profile, "is_authenticated", False):
        return Verdict.SIGN_IN
    if profile.must_change_password and name not in REACHABLE_BEFORE_PASSWORD_CHANGE:
        return Verdict.CHANGE_PASSWORD
    if rule is Access.SIGNED_IN or rule in rights_of(profile):
        return Verdict.ALLOW
    return Verdict.FORBIDDEN


def judge_view(profile, view_name: str | None, method: str) -> Verdict:
    return judge(profile, rule_for_view(view_name, method), name=view_name)


def model_allows(profile, perm: str) -> bool:
    """Django's ``has_perm`` for the admin: ``perm`` is "app_label.action_model"."""
    if not getattr(profile, "is_authenticated", False) or profile.must_change_password:
        return False
    app_label, _, codename = perm.partition(".")
    action, _, model = codename.partition("_")
    right = MODEL_RULES.get(f"{app_label}.{model}", {}).get(action)
    return right is not None and right in rights_of(profile)


def app_allows(profile, app_label: str) -> bool:
    return any(
        model_allows(profile, f"{label}.{action}_{model}")
        for label_model, actions in MODEL_RULES.items()
        for label, _, model in [label_model.partition(".")]
        if label == app_label
        for action in actions
    )
