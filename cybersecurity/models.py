from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cybersecurity import permissions
from cybersecurity.profiles import ProfileKind


class ProfileManager(BaseUserManager):
    def get_by_natural_key(self, key: str) -> "Profile":
        return self.get(key=key)


class Profile(AbstractBaseUser):
    """One of the five fixed profiles of manual §5; signing in means choosing one."""

    key = models.CharField(_("profile"), max_length=16, unique=True, choices=ProfileKind.choices)
    must_change_password = models.BooleanField(_("must change password"), default=False)
    locked = models.BooleanField(
        _("locked"), default=False, help_text=_("A locked profile cannot sign in. Totem User is locked until Cyber Security unlocks it.")
    )
    # Consecutive failed sign-ins, counted atomically *before* the password is checked, so that
    # parallel attempts cannot slip past the lockout (see services.sign_in).
    failed_logins = models.PositiveIntegerField(_("failed sign-ins"), default=0)
    last_failed_login = models.DateTimeField(_("last failed sign-in"), null=True, blank=True)
    password_changed_at = models.DateTimeField(_("password changed"), null=True, blank=True)
    passphrase_hash = models.CharField(max_length=256, blank=True, editable=False)
    passphrase_created_at = models.DateTimeField(_("passphrase generated"), null=True, blank=True)

    USERNAME_FIELD = "key"
    objects = ProfileManager()

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")
        ordering = ["id"]

    def __str__(self) -> str:
        return str(self.get_kind_display())

    @property
    def kind(self) -> str:
        return self.key

    def get_kind_display(self) -> str:
        return ProfileKind(self.key).label

    def get_full_name(self) -> str:
        return str(self.get_kind_display())

    def get_short_name(self) -> str:
        return self.get_full_name()

    @property
    def has_password(self) -> bool:
        return self.key != ProfileKind.USER

    @property
    def is_staff(self) -> bool:
        return permissions.has_right(self, permissions.Right.SETTINGS)

    @property
    def is_superuser(self) -> bool:
        return False

    def has_right(self, right: permissions.Right) -> bool:
        return permissions.has_right(self, right)

    def has_perm(self, perm: str, obj=None) -> bool:
        return permissions.model_allows(self, perm)

    def has_perms(self, perm_list, obj=None) -> bool:
        return all(self.has_perm(perm, obj) for perm in perm_list)

    def has_module_perms(self, app_label: str) -> bool:
        return permissions.app_allows(self, app_label)


class SecurityPolicy(models.Model):
    """§9.4.1 session policy, banner and field protocols; one row, edited by Cyber Security."""

    max_login_attempts = models.PositiveSmallIntegerField(
        _("maximum sign-in attempts"), default=5, help_text=_("Failed attempts before the profile is locked out.")
    )
    lockout_minutes = models.PositiveSmallIntegerField(_("lockout duration (minutes)"), default=15)
    session_minutes = models.PositiveIntegerField(
        _("session duration (minutes)"), default=60, help_text=_("Totem User sessions never expire.")
    )
    show_banner = models.BooleanField(_("show the cybersecurity banner on the sign-in page"), default=False)
    banner_text = models.TextField(
        _("banner text"), blank=True, help_text=_("Empty: the standard warning, in the reader's language.")
    )
    # §9.4.1 Field protocols. Off until Cyber Security allows it: a write changes a meter.
    modbus_write = models.BooleanField(
        _("Modbus write function"), default=False,
        help_text=_("Allow the gateway to write to meters over Modbus (reset of counters)."))

    class Meta:
        verbose_name = _("security policy")
        verbose_name_plural = _("security policy")

    def __str__(self) -> str:
        return str(_("Security policy"))

    @classmethod
    def current(cls) -> "SecurityPolicy":
        policy, _created = cls.objects.get_or_create(pk=1)
        return policy


class AuditEvent(models.Model):
    """Security-relevant events (sign-ins, password changes, lock changes), kept for Cyber Security."""

    class Action(models.TextChoices):
        LOGIN = "login", _("Sign-in")
        LOGOUT = "logout", _("Sign-out")
        PASSWORD_CHANGE = "password_change", _("Password change")
        PASSPHRASE_GENERATE = "passphrase_generate", _("Passphrase generated")
        PASSPHRASE_RECOVER = "passphrase_recover", _("Password recovered with the passphrase")
        PROFILE_LOCK = "profile_lock", _("Profile locked")
        PROFILE_UNLOCK = "profile_unlock", _("Profile unlocked")
        POLICY_CHANGE = "policy_change", _("Security policy changed")
        COUNTER_RESET = "counter_reset", _("Counters reset")

    at = models.DateTimeField(_("date and time"), auto_now_add=True, db_index=True)
    profile = models.CharField(_("profile"), max_length=64, blank=True)
    actor = models.CharField(_("performed by"), max_length=16, blank=True)
    action = models.CharField(_("action"), max_length=32, choices=Action.choices)
    success = models.BooleanField(_("success"))
    reason = models.CharField(_("reason"), max_length=64, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    channel = models.CharField(_("channel"), max_length=8, blank=True, help_text=_("web, api or cli"))

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit log")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        # On the site's clock, as the log's "date and time" column beside it (a UTC stamp there
        # put two clocks on one line).
        return f"{timezone.localtime(self.at):%Y-%m-%d %H:%M:%S} {self.get_action_display()} {self.profile}"


class ApiToken(models.Model):
    """An API token; only its SHA-256 is kept, the key is shown once at sign-in."""

    digest = models.CharField(max_length=64, unique=True)
    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="api_tokens")
    created = models.DateTimeField(auto_now_add=True)
    expires = models.DateTimeField(null=True, blank=True, help_text=_("Empty: the token never expires (Totem User)."))

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.profile} token {self.digest[:8]}"
