from django.urls import path

from cybersecurity import views

urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("password/", views.password_change_view, name="password_change"),
    path("recover/", views.passphrase_recover_view, name="passphrase_recover"),
]
