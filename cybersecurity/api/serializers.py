from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from cybersecurity.models import AuditEvent, Profile
from cybersecurity.permissions import rights_of
from cybersecurity.profiles import ProfileKind


class LoginSerializer(serializers.Serializer):
    profile = serializers.CharField(max_length=16, help_text=_("user, advanced, totem, admin or cyber"))
    password = serializers.CharField(required=False, allow_blank=True, default="", trim_whitespace=False,
                                     style={"input_type": "password"})


class LoginResultSerializer(serializers.Serializer):
    token = serializers.CharField()
    must_change_password = serializers.BooleanField()


class PasswordChangeSerializer(serializers.Serializer):
    current_password = serializers.CharField(trim_whitespace=False)
    new_password = serializers.CharField(trim_whitespace=False)


class PasswordSetSerializer(serializers.Serializer):
    new_password = serializers.CharField(trim_whitespace=False)


class RecoverSerializer(serializers.Serializer):
    passphrase = serializers.CharField()
    new_password = serializers.CharField(trim_whitespace=False)


class PassphraseSerializer(serializers.Serializer):
    passphrase = serializers.CharField(help_text=_("Shown once: only its hash is kept."))


class ProfileSerializer(serializers.ModelSerializer):
    name = serializers.SerializerMethodField()
    rights = serializers.SerializerMethodField()
    has_passphrase = serializers.SerializerMethodField()

    class Meta:
        model = Profile
        fields = ["key", "name", "locked", "must_change_password", "password_changed_at", "last_login",
                  "has_passphrase", "rights"]
        read_only_fields = fields

    def get_name(self, profile: Profile) -> str:
        return str(ProfileKind(profile.key).label)

    def get_rights(self, profile: Profile) -> list[str]:
        return sorted(rights_of(profile))

    def get_has_passphrase(self, profile: Profile) -> bool:
        return bool(profile.passphrase_hash)


class AuditEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = AuditEvent
        fields = ["id", "at", "profile", "actor", "action", "success", "reason", "ip_address", "channel"]
        read_only_fields = fields
