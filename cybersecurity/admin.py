"""Settings › Profiles (§9 Customise - Profile), Security policy and Audit log (§9.4)."""

from django.contrib import admin, messages
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from unfold.admin import ModelAdmin

from cybersecurity import audit, services
from cybersecurity.forms import PasswordChangeForm, PasswordSetForm
from cybersecurity.models import AuditEvent, Profile, SecurityPolicy
from cybersecurity.permissions import Right
from cybersecurity.profiles import ProfileKind


@admin.register(Profile)
class ProfileAdmin(ModelAdmin):
    list_display = ["__str__", "locked", "must_change_password", "password_changed_at", "last_login", "actions_link"]
    fields = ["key", "locked", "must_change_password", "password_changed_at", "last_login", "passphrase_created_at"]
    readonly_fields = ["key", "must_change_password", "password_changed_at", "last_login", "passphrase_created_at"]
    list_display_links = ["__str__"]
    list_before_template = "cybersecurity/admin/profile_list_before.html"

    def get_queryset(self, request):
        profiles = super().get_queryset(request)
        if request.user.has_right(Right.ALL_PASSWORDS):
            return profiles
        return profiles.filter(pk=request.user.pk)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        # §6.1: only Cyber Security unlocks, and only the Totem profile has a lock.
        if obj is not None and obj.kind == ProfileKind.TOTEM and request.user.has_right(Right.ALL_PASSWORDS):
            return self.readonly_fields
        return [*self.readonly_fields, "locked"]

    def save_model(self, request, obj, form, change):
        if "locked" in form.changed_data:
            services.set_locked(obj, obj.locked, by=request.user, request=request)

    @admin.display(description=_("Actions"))
    def actions_link(self, profile: Profile):
        if not profile.has_password:
            return "—"
        return format_html('<a class="text-primary-600" href="{}">{}</a>',
                           reverse("admin:cybersecurity_profile_password", args=[profile.pk]), gettext("Change password"))

    def get_urls(self):
        return [
            path("<int:pk>/password/", self.admin_site.admin_view(self.password_view),
                 name="cybersecurity_profile_password"),
            path("passphrase/", self.admin_site.admin_view(self.passphrase_view),
                 name="cybersecurity_profile_passphrase"),
            *super().get_urls(),
        ]

    def password_view(self, request, pk):
        profile = get_object_or_404(self.get_queryset(request), pk=pk)
        own = profile.pk == request.user.pk
        form_class = PasswordChangeForm if own else PasswordSetForm
        form = form_class(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.change_password(profile, form.cleaned_data["new_password"], by=request.user,
                                         current_password=form.cleaned_data.get("current_password"), request=request)
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, gettext("The password of %(profile)s has been changed.") % {"profile": profile})
                return redirect("admin:cybersecurity_profile_changelist")
        context = {**self.admin_site.each_context(request), "form": form, "profile": profile, "opts": self.model._meta,
                   "title": gettext("Change the password of %(profile)s") % {"profile": profile}}
        return TemplateResponse(request, "cybersecurity/admin/password.html", context, status=400 if form.errors else 200)

    def passphrase_view(self, request):
        if not request.user.has_right(Right.ALL_PASSWORDS):
            raise PermissionDenied
        passphrase = None
        if request.method == "POST":
            passphrase = services.generate_passphrase(request.user, request=request)
        cyber = Profile.objects.get(key=ProfileKind.CYBER)
        context = {**self.admin_site.each_context(request), "passphrase": passphrase, "cyber": cyber,
                   "opts": self.model._meta, "title": gettext("Recovery passphrase")}
        return TemplateResponse(request, "cybersecurity/admin/passphrase.html", context)

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "can_generate_passphrase": request.user.has_right(Right.ALL_PASSWORDS)}
        return super().changelist_view(request, extra_context)


@admin.register(SecurityPolicy)
class SecurityPolicyAdmin(ModelAdmin):
    fieldsets = [
        (_("Session"), {"fields": ["max_login_attempts", "lockout_minutes", "session_minutes"]}),
        (_("Cybersecurity banner"), {"fields": ["show_banner", "banner_text"]}),
        (_("Field protocols"), {"fields": ["modbus_write"]}),
    ]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        policy = SecurityPolicy.current()
        return redirect("admin:cybersecurity_securitypolicy_change", policy.pk)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        audit.record(AuditEvent.Action.POLICY_CHANGE, profile="", actor=request.user.key, success=True,
                     request=request, reason=",".join(form.changed_data)[:64])


class AuditLogPaginator(Paginator):
    """Unfold counts a list as "<n> <verbose_name_plural>", which read "23 audit log" (the menu's
    name, §9.4); this one says "23 audit events", through ngettext for every language's plural."""

    template_name = "cybersecurity/admin/audit_log_count.html"

    @property
    def count_text(self) -> str:
        return ngettext("%(count)s audit event", "%(count)s audit events", self.count) % {
            "count": number_format(self.count, force_grouping=True)}


@admin.register(AuditEvent)
class AuditEventAdmin(ModelAdmin):
    paginator = AuditLogPaginator
    list_display = ["at", "action", "profile", "actor", "success", "reason", "ip_address", "channel"]
    list_filter = ["action", "success", "profile", "channel"]
    search_fields = ["profile", "reason", "ip_address"]
    date_hierarchy = "at"
    list_per_page = 50

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# Profiles carry their rights in the permission map; Django's groups are not used.
admin.site.unregister(Group)
