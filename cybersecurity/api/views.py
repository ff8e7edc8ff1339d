"""Thin API views: validate, call a service, serialise."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from cybersecurity import services
from cybersecurity.api.serializers import (
    AuditEventSerializer,
    LoginResultSerializer,
    LoginSerializer,
    PassphraseSerializer,
    PasswordChangeSerializer,
    PasswordSetSerializer,
    ProfileSerializer,
    RecoverSerializer,
)
from cybersecurity.models import AuditEvent, Profile


def _refusal(refusal: services.SignInRefused) -> Response:
    body = {"detail": refusal.message, "code": refusal.reason}
    if refusal.field:
        body[refusal.field] = [refusal.message]
    return Response(body, status=refusal.status)


def _signed_in(open_session) -> Response:
    """Run a sign-in service; answer with a new token, or with why it was refused."""
    try:
        profile = open_session()
    except services.SignInRefused as refusal:
        return _refusal(refusal)
    return Response({"token": services.issue_token(profile), "must_change_password": profile.must_change_password})


class LoginView(APIView):
    """§6.1 sign-in: a profile and its password give a token and a session cookie."""

    authentication_classes: list = []
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "login"

    @extend_schema(request=LoginSerializer, responses={200: LoginResultSerializer})
    def post(self, request):
        serializer = LoginSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        return _signed_in(lambda: services.sign_in(request._request, data["profile"], data["password"], channel="api"))


class RecoverView(APIView):
    """§6.1: reset the Cyber Security password with the recovery passphrase."""

    authentication_classes: list = []
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "login"

    @extend_schema(request=RecoverSerializer, responses={200: LoginResultSerializer})
    def post(self, request):
        serializer = RecoverSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        return _signed_in(lambda: services.recover_with_passphrase(
            request._request, data["passphrase"], data["new_password"], channel="api"))


class LogoutView(APIView):
    @extend_schema(request=None, responses={204: None})
    def post(self, request):
        services.sign_out(request._request, channel="api")
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeView(APIView):
    @extend_schema(responses=ProfileSerializer)
    def get(self, request):
        return Response(ProfileSerializer(request.user).data)


class PasswordView(APIView):
    """Change the signed-in profile's own password (also the forced first change)."""

    @extend_schema(request=PasswordChangeSerializer, responses={204: None})
    def post(self, request):
        serializer = PasswordChangeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.change_password(
            request.user, serializer.validated_data["new_password"], by=request.user,
            current_password=serializer.validated_data["current_password"], request=request._request, channel="api",
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class ProfileViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Cyber Security manages every profile: passwords, the Totem lock, the recovery passphrase."""

    queryset = Profile.objects.all()
    serializer_class = ProfileSerializer
    lookup_field = "key"
    pagination_class = None

    @extend_schema(request=PasswordSetSerializer, responses={204: None})
    @action(detail=True, methods=["post"])
    def password(self, request, key=None):
        serializer = PasswordSetSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        profile = self.get_object()
        if profile.pk == request.user.pk:
            return Response({"detail": _("Use /api/v1/auth/password/ for your own password.")},
                            status=status.HTTP_400_BAD_REQUEST)
        services.change_password(profile, serializer.validated_data["new_password"], by=request.user,
                                 request=request._request, channel="api")
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=None, responses=ProfileSerializer)
    @action(detail=True, methods=["post"])
    def lock(self, request, key=None):
        profile = self.get_object()
        services.set_locked(profile, True, by=request.user, request=request._request, channel="api")
        return Response(ProfileSerializer(profile).data)

    @extend_schema(request=None, responses=ProfileSerializer)
    @action(detail=True, methods=["post"])
    def unlock(self, request, key=None):
        profile = self.get_object()
        services.set_locked(profile, False, by=request.user, request=request._request, channel="api")
        return Response(ProfileSerializer(profile).data)

    @extend_schema(request=None, responses=PassphraseSerializer)
    @action(detail=False, methods=["post"])
    def passphrase(self, request):
        passphrase = services.generate_passphrase(request.user, request=request._request, channel="api")
        return Response({"passphrase": passphrase}, status=status.HTTP_201_CREATED)


class AuditEventViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = AuditEvent.objects.all()
    serializer_class = AuditEventSerializer
    filterset_fields = ["profile", "action", "success", "channel"]
