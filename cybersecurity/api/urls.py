from django.urls import path
from rest_framework.routers import SimpleRouter

from cybersecurity.api import views

router = SimpleRouter()
router.register("profiles", views.ProfileViewSet, basename="profile")
router.register("audit", views.AuditEventViewSet, basename="audit")

urlpatterns = [
    path("auth/login/", views.LoginView.as_view(), name="auth-login"),
    path("auth/logout/", views.LogoutView.as_view(), name="auth-logout"),
    path("auth/me/", views.MeView.as_view(), name="auth-me"),
    path("auth/password/", views.PasswordView.as_view(), name="auth-password"),
    path("auth/recover/", views.RecoverView.as_view(), name="auth-recover"),
    *router.urls,
]
