from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from cybersecurity.models import ApiToken
from cybersecurity.services import token_digest


class HashedTokenAuthentication(TokenAuthentication):
    """``Authorization: Token <key>``, looked up by the key's SHA-256 (no key kept at rest)."""

    def authenticate_credentials(self, key):
        token = ApiToken.objects.select_related("profile").filter(digest=token_digest(key)).first()
        if token is None or (token.expires is not None and token.expires < timezone.now()):
            raise exceptions.AuthenticationFailed(_("Invalid or expired token."))
        if token.profile.locked:
            raise exceptions.AuthenticationFailed(_("This profile is locked."))
        return token.profile, token

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is not None:
            request._request.api_token_digest = result[1].digest
        return result
