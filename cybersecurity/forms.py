from django import forms
from django.conf import settings
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from cybersecurity.profiles import ProfileKind


def languages_in_their_own_names() -> list[tuple[str, str]]:
    """Each language named in itself ("English", "Français"), whatever the page's language: who
    looks for their own language reads its name, not its name in a language they may not read."""
    names = [(code, get_language_info(code)["name_local"]) for code, _name in settings.LANGUAGES]
    return [(code, name[:1].upper() + name[1:]) for code, name in names]


class LoginForm(forms.Form):
    """§6.1: profile, password, language."""

    profile = forms.CharField(label=_("Profile"), widget=forms.Select(choices=ProfileKind.choices))
    password = forms.CharField(
        label=_("Password"), required=False, strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("Not needed for the User profile."),
    )
    language = forms.ChoiceField(label=_("Language"), choices=languages_in_their_own_names)


class PasswordChangeForm(forms.Form):
    current_password = forms.CharField(
        label=_("Current password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    new_password = forms.CharField(
        label=_("New password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    confirm_password = forms.CharField(
        label=_("Confirm the new password"), strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("new_password") and cleaned.get("new_password") != cleaned.get("confirm_password"):
            self.add_error("confirm_password", _("The two passwords differ."))
        return cleaned


class PasswordSetForm(PasswordChangeForm):
    """Cyber Security setting another profile's password: no current password asked."""

    current_password = None


class PassphraseRecoverForm(PasswordSetForm):
    passphrase = forms.CharField(label=_("Recovery passphrase"), widget=forms.TextInput(attrs={"autocomplete": "off"}))

    field_order = ["passphrase", "new_password", "confirm_password"]
