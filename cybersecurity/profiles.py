"""The five fixed profiles of manual §5 and their factory defaults."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProfileKind(models.TextChoices):
    USER = "user", _("User")
    ADVANCED = "advanced", _("Advanced User")
    TOTEM = "totem", _("Totem User")
    ADMIN = "admin", _("Admin")
    CYBER = "cyber", _("Cyber Security")


# §5: default passwords; the User profile has none.
DEFAULT_PASSWORDS: dict[str, str] = {
    ProfileKind.ADVANCED: "Advanced",
    ProfileKind.TOTEM: "Totem",
    ProfileKind.ADMIN: "Admin",
    ProfileKind.CYBER: "Cyber",
}
# §6.1: the first login of these profiles forces a password change.
FORCED_PASSWORD_CHANGE = frozenset({ProfileKind.ADVANCED, ProfileKind.ADMIN, ProfileKind.CYBER})
# §6.1: Totem is locked until Cyber Security unlocks it.
LOCKED_BY_DEFAULT = frozenset({ProfileKind.TOTEM})
# §5: Totem sessions are never disconnected; ten years stands for "never" in a session expiry.
TOTEM_SESSION_SECONDS = 10 * 365 * 24 * 3600
