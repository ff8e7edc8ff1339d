"""Writes about profiles: sign-in with lockout, password changes, the recovery passphrase,
the Totem lock and API tokens. Views, the API and commands all call these."""

import hashlib
import secrets
from datetime import timedelta

from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cybersecurity import audit
from cybersecurity.models import ApiToken, AuditEvent, Profile, SecurityPolicy
from cybersecurity.permissions import Right
from cybersecurity.profiles import (
    DEFAULT_PASSWORDS,
    FORCED_PASSWORD_CHANGE,
    LOCKED_BY_DEFAULT,
    TOTEM_SESSION_SECONDS,
    ProfileKind,
)

PASSPHRASE_ALPHABET = "ABCDEFGHJKMNPQRSTVWXYZ23456789"  # no 0/O, 1/I/L, U: read back by people
PASSPHRASE_GROUPS = 6
PASSPHRASE_GROUP_LENGTH = 5  # 30 symbols of ~4.9 bits: ~147 bits


class SignInRefused(Exception):
    """A refused sign-in: ``reason`` is a stable code, ``message`` is for the person."""

    def __init__(self, reason: str, message: str, status: int, field: str | None = None) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message
        self.status = status
        self.field = field


def ensure_profiles() -> None:
    """Create the five profiles with their factory defaults where missing (§5-6)."""
    for kind in ProfileKind:
        if Profile.objects.filter(key=kind).exists():
            continue
        profile = Profile(
            key=kind,
            must_change_password=kind in FORCED_PASSWORD_CHANGE,
            locked=kind in LOCKED_BY_DEFAULT,
        )
        if kind in DEFAULT_PASSWORDS:
            profile.set_password(DEFAULT_PASSWORDS[kind])
        else:
            profile.set_unusable_password()
        profile.save()
    SecurityPolicy.current()


def _lockout_remaining(profile: Profile, policy: SecurityPolicy) -> timedelta:
    if profile.last_failed_login is None:
        return timedelta(0)
    return profile.last_failed_login + timedelta(minutes=policy.lockout_minutes) - timezone.now()


def _reserve_attempt(profile: Profile, policy: SecurityPolicy) -> bool:
    """Count the attempt before checking the secret, in one UPDATE: of N parallel attempts at
    most ``max_login_attempts`` get through, which a read-then-write counter cannot promise."""
    now = timezone.now()
    expired_before = now - timedelta(minutes=policy.lockout_minutes)
    Profile.objects.filter(
        pk=profile.pk, failed_logins__gte=policy.max_login_attempts, last_failed_login__lte=expired_before
    ).update(failed_logins=0)
    return bool(
        Profile.objects.filter(pk=profile.pk, failed_logins__lt=policy.max_login_attempts).update(
            failed_logins=F("failed_logins") + 1, last_failed_login=now
        )
    )


def _clear_attempts(profile: Profile) -> None:
    Profile.objects.filter(pk=profile.pk).update(failed_logins=0, last_failed_login=None)


def _refuse_locked_out(profile: Profile, policy: SecurityPolicy, request, channel: str, action: str):
    profile.refresh_from_db(fields=["last_failed_login"])
    minutes = max(1, int(_lockout_remaining(profile, policy).total_seconds() // 60) + 1)
    audit.record(action, profile=profile.key, success=False, reason="locked_out", request=request, channel=channel)
    raise SignInRefused(
        "locked_out",
        ngettext(
            "Too many failed attempts: this profile is locked for %(minutes)d more minute.",
            "Too many failed attempts: this profile is locked for %(minutes)d more minutes.",
            minutes,
        ) % {"minutes": minutes},
        403,
    )


def _profile_for_sign_in(key: str, request, channel: str, action: str) -> Profile:
    profile = Profile.objects.filter(key=key).first()
    if profile is None:
        audit.record(action, profile=key, success=False, reason="unknown_profile", request=request, channel=channel)
        raise SignInRefused("unknown_profile", _("Unknown profile. Choose one of the listed profiles."), 400, "profile")
    if profile.locked:
        audit.record(action, profile=key, success=False, reason="profile_locked", request=request, channel=channel)
        raise SignInRefused(
            "profile_locked",
            _("This profile is locked. The Cyber Security profile can unlock it in Settings › Profiles."),
            403,
        )
    return profile


def start_session(request: HttpRequest, profile: Profile) -> None:
    login(request, profile, backend="cybersecurity.backends.ProfileBackend")
    if profile.kind == ProfileKind.TOTEM:
        request.session.set_expiry(TOTEM_SESSION_SECONDS)
    else:
        request.session.set_expiry(SecurityPolicy.current().session_minutes * 60)


def sign_in(request: HttpRequest, key: str, password: str, *, channel: str = "web") -> Profile:
    """Check a profile and password (§6.1) and open a session; raise SignInRefused otherwise."""
    action = AuditEvent.Action.LOGIN
    profile = _profile_for_sign_in(key, request, channel, action)
    if profile.has_password:
        policy = SecurityPolicy.current()
        if not _reserve_attempt(profile, policy):
            _refuse_locked_out(profile, policy, request, channel, action)
        if not password or not profile.check_password(password):
            audit.record(action, profile=key, success=False, reason="wrong_password", request=request, channel=channel)
            raise SignInRefused("wrong_password", _("Wrong password for this profile."), 401, "password")
        _clear_attempts(profile)
    start_session(request, profile)
    audit.record(action, profile=key, success=True, request=request, channel=channel)
    return profile


def sign_out(request: HttpRequest, *, channel: str = "web") -> None:
    profile = request.user
    if profile.is_authenticated:
        ApiToken.objects.filter(profile=profile, digest=getattr(request, "api_token_digest", "")).delete()
        audit.record(AuditEvent.Action.LOGOUT, profile=profile.key, success=True, request=request, channel=channel)
    logout(request)


def _validate_new_password(profile: Profile, new_password: str) -> None:
    if not profile.has_password:
        raise ValidationError({"new_password": _("The User profile has no password.")})
    try:
        validate_password(new_password, profile)
    except ValidationError as error:
        raise ValidationError({"new_password": error.messages}) from error
    if profile.check_password(new_password):
        raise ValidationError({"new_password": _("The new password must differ from the current one.")})


def change_password(
    profile: Profile,
    new_password: str,
    *,
    by: Profile,
    current_password: str | None = None,
    request: HttpRequest | None = None,
    channel: str = "web",
) -> None:
    """Change ``profile``'s password: its own holder gives the current one (§5), Cyber Security
    may set any profile's. Other sessions and API tokens of the profile are closed."""
    action = AuditEvent.Action.PASSWORD_CHANGE
    if by.pk == profile.pk:
        if not by.has_right(Right.OWN_PASSWORD):
            raise PermissionDenied(_("This profile has no password to change."))
        if not current_password or not profile.check_password(current_password):
            audit.record(action, profile=profile.key, actor=by.key, success=False, reason="wrong_current_password",
                         request=request, channel=channel)
            raise ValidationError({"current_password": _("The current password is wrong.")})
    elif not by.has_right(Right.ALL_PASSWORDS):
        raise PermissionDenied(_("Only the Cyber Security profile manages other profiles' passwords."))
    try:
        _validate_new_password(profile, new_password)
    except ValidationError:
        audit.record(action, profile=profile.key, actor=by.key, success=False, reason="weak_password",
                     request=request, channel=channel)
        raise
    # Refusals above are audited outside any transaction, so that they are kept.
    with transaction.atomic():
        profile.set_password(new_password)
        profile.must_change_password = False
        profile.password_changed_at = timezone.now()
        profile.save(update_fields=["password", "must_change_password", "password_changed_at"])
        keep = getattr(request, "api_token_digest", "") if by.pk == profile.pk else ""
        ApiToken.objects.filter(profile=profile).exclude(digest=keep).delete()
        audit.record(action, profile=profile.key, actor=by.key, success=True, request=request, channel=channel)
    if request is not None and by.pk == profile.pk and hasattr(request, "session"):
        update_session_auth_hash(request, profile)


def generate_passphrase(by: Profile, *, request: HttpRequest | None = None, channel: str = "web") -> str:
    """§6.1: a new recovery passphrase for the Cyber Security password, returned once; only its
    hash is kept, and it replaces any earlier one."""
    if not by.has_right(Right.ALL_PASSWORDS):
        raise PermissionDenied(_("Only the Cyber Security profile generates the passphrase."))
    symbols = "".join(secrets.choice(PASSPHRASE_ALPHABET) for _ in range(PASSPHRASE_GROUPS * PASSPHRASE_GROUP_LENGTH))
    passphrase = "-".join(
        symbols[i:i + PASSPHRASE_GROUP_LENGTH] for i in range(0, len(symbols), PASSPHRASE_GROUP_LENGTH)
    )
    cyber = Profile.objects.get(key=ProfileKind.CYBER)
    cyber.passphrase_hash = make_password(_normalise_passphrase(passphrase))
    cyber.passphrase_created_at = timezone.now()
    cyber.save(update_fields=["passphrase_hash", "passphrase_created_at"])
    audit.record(AuditEvent.Action.PASSPHRASE_GENERATE, profile=cyber.key, actor=by.key, success=True,
                 request=request, channel=channel)
    return passphrase


def _normalise_passphrase(passphrase: str) -> str:
    return "".join(ch for ch in passphrase.upper() if ch in PASSPHRASE_ALPHABET)


def recover_with_passphrase(
    request: HttpRequest, passphrase: str, new_password: str, *, channel: str = "web"
) -> Profile:
    """§6.1: reset the Cyber Security password with the passphrase and sign in. Attempts count
    against the same lockout as sign-ins (committed at once, like refusals' audit records);
    a used passphrase is spent."""
    action = AuditEvent.Action.PASSPHRASE_RECOVER
    cyber = _profile_for_sign_in(ProfileKind.CYBER, request, channel, action)
    policy = SecurityPolicy.current()
    if not _reserve_attempt(cyber, policy):
        _refuse_locked_out(cyber, policy, request, channel, action)
    if not cyber.passphrase_hash or not check_password(_normalise_passphrase(passphrase), cyber.passphrase_hash):
        audit.record(action, profile=cyber.key, success=False, reason="wrong_passphrase", request=request, channel=channel)
        raise SignInRefused("wrong_passphrase", _("This passphrase is not valid."), 401, "passphrase")
    _validate_new_password(cyber, new_password)
    with transaction.atomic():
        cyber.set_password(new_password)
        cyber.must_change_password = False
        cyber.password_changed_at = timezone.now()
        cyber.passphrase_hash = ""
        cyber.passphrase_created_at = None
        cyber.save()
        _clear_attempts(cyber)
        ApiToken.objects.filter(profile=cyber).delete()
        audit.record(action, profile=cyber.key, success=True, request=request, channel=channel)
    start_session(request, cyber)
    return cyber


def set_locked(profile: Profile, locked: bool, *, by: Profile, request: HttpRequest | None = None,
               channel: str = "web") -> None:
    """§6.1: Cyber Security locks or unlocks the Totem User profile."""
    if not by.has_right(Right.ALL_PASSWORDS):
        raise PermissionDenied(_("Only the Cyber Security profile locks and unlocks profiles."))
    if profile.kind != ProfileKind.TOTEM:
        raise ValidationError({"locked": _("Only the Totem User profile can be locked.")})
    profile.locked = locked
    profile.save(update_fields=["locked"])
    if locked:
        ApiToken.objects.filter(profile=profile).delete()
    action = AuditEvent.Action.PROFILE_LOCK if locked else AuditEvent.Action.PROFILE_UNLOCK
    audit.record(action, profile=profile.key, actor=by.key, success=True, request=request, channel=channel)


def token_digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def issue_token(profile: Profile) -> str:
    """A new API token for ``profile``; it expires with the session policy (never for Totem)."""
    key = secrets.token_urlsafe(32)
    expires = None
    if profile.kind != ProfileKind.TOTEM:
        expires = timezone.now() + timedelta(minutes=SecurityPolicy.current().session_minutes)
    ApiToken.objects.create(digest=token_digest(key), profile=profile, expires=expires)
    return key


def purge_expired() -> int:
    """Delete expired API tokens and sessions; returns the number of tokens removed."""
    from django.contrib.sessions.models import Session

    Session.objects.filter(expire_date__lt=timezone.now()).delete()
    deleted, _ = ApiToken.objects.filter(expires__lt=timezone.now()).delete()
    return deleted
