from django.contrib.auth.backends import BaseBackend

from cybersecurity.models import Profile


class ProfileBackend(BaseBackend):
    """Restores the profile of a session; sign-in itself goes through services.sign_in."""

    def get_user(self, user_id):
        # A profile locked after sign-in (Cyber locks Totem) loses its open sessions.
        return Profile.objects.filter(pk=user_id, locked=False).first()
