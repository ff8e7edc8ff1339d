"""Sign-in pages of manual §6.1: login, forced password change, passphrase recovery, logout."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cybersecurity import services
from cybersecurity.forms import LoginForm, PassphraseRecoverForm, PasswordChangeForm
from cybersecurity.models import SecurityPolicy


def _next_url(request) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(candidate, allowed_hosts={request.get_host()},
                                       require_https=request.is_secure()):
        return candidate
    return settings.LOGIN_REDIRECT_URL


def _with_language(response, language: str):
    response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, max_age=settings.LANGUAGE_COOKIE_AGE,
                        samesite="Lax", secure=settings.SESSION_COOKIE_SECURE)
    return response


def _add_errors(form, error: ValidationError) -> None:
    for field, messages_ in error.message_dict.items():
        form.add_error(field if field in form.fields else None, messages_)


def login_view(request):
    requested = request.GET.get("language")
    if requested in dict(settings.LANGUAGES):
        translation.activate(requested)
    language = translation.get_language()
    form = LoginForm(request.POST or None, initial={"language": language})
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            profile = services.sign_in(request, form.cleaned_data["profile"], form.cleaned_data["password"])
        except services.SignInRefused as refusal:
            form.add_error(refusal.field, refusal.message)
            status = refusal.status
        else:
            translation.activate(form.cleaned_data["language"])
            target = "password_change" if profile.must_change_password else _next_url(request)
            return _with_language(redirect(target), form.cleaned_data["language"])
    elif request.method == "POST":
        status = 400
    policy = SecurityPolicy.current()
    response = render(request, "cybersecurity/login.html",
                      {"form": form, "policy": policy, "next": _next_url(request)}, status=status)
    return _with_language(response, language) if requested == language else response


@require_POST
def logout_view(request):
    services.sign_out(request)
    return redirect("login")


def password_change_view(request):
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.change_password(request.user, form.cleaned_data["new_password"], by=request.user,
                                     current_password=form.cleaned_data["current_password"], request=request)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Your password has been changed."))
            return redirect("home")
    status = 400 if request.method == "POST" else 200
    return render(request, "cybersecurity/password_change.html", {"form": form}, status=status)


def passphrase_recover_view(request):
    form = PassphraseRecoverForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.recover_with_passphrase(request, form.cleaned_data["passphrase"], form.cleaned_data["new_password"])
        except services.SignInRefused as refusal:
            form.add_error(refusal.field, refusal.message)
            status = refusal.status
        except ValidationError as error:
            _add_errors(form, error)
            status = 400
        else:
            messages.success(request, _("The Cyber Security password has been reset. Generate a new passphrase now."))
            return redirect("home")
    elif request.method == "POST":
        status = 400
    return render(request, "cybersecurity/passphrase_recover.html", {"form": form}, status=status)
