"""Sources tab (§9.6.1-9.6.3): the devices, their live status, adding one by reference."""

import logging
from functools import partial

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.actions import delete_selected as delete_selected_after_confirmation
from django.contrib.admin.options import IS_POPUP_VAR, TO_FIELD_VAR
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponseRedirect, JsonResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from redis import RedisError
from unfold.admin import ModelAdmin, TabularInline
from unfold.decorators import display

from devices import scan_progress, selectors, services, tasks
from devices.admin.changelist import PerPageMixin
from devices.forms import DeviceAddForm
from devices.models import Circuit, Device

logger = logging.getLogger(__name__)


class CircuitInline(TabularInline):
    """A source's circuits, shown; they are renamed and assigned in the Circuits tab."""

    model = Circuit
    fields = ["index", "name", "fluid", "usage", "load_type"]
    readonly_fields = fields
    extra = 0
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False  # circuits come from the device's reference

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Device)
class DeviceAdmin(PerPageMixin, ModelAdmin):
    list_display = ["reference", "name", "area", "host", "unit_id", "network_type", "status", "enabled"]
    list_display_links = ["reference", "name"]
    list_filter = ["area", "reference", "protocol", "network_type", "enabled"]
    search_fields = ["name", "area__name", "host"]
    search_help_text = _("Search by name, area or IP address.")
    list_select_related = ["area"]
    actions = ["delete_selected", "refresh_selected", "import_topology"]
    inlines = [CircuitInline]
    fieldsets = [
        (None, {"fields": ["reference", "name", "area", "enabled"]}),
        (_("Communication"), {"fields": ["protocol", "host", "port", "serial_port", "baudrate", "parity", "stopbits",
                                         "unit_id", "gateway", "network_type"]}),
        (_("Acquisition"), {"fields": ["poll_seconds", "integration_minutes", "timeout_seconds", "retries"]}),
    ]
    # The circuits were made for this reference (or register map): another would need other circuits.
    readonly_fields = ["reference", "custom_map"]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or obj.custom_map_id is None:
            return fieldsets
        (name, options), *others = fieldsets
        fields = list(options["fields"])
        fields.insert(fields.index("reference") + 1, "custom_map")
        return [(name, {**options, "fields": fields}), *others]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "gateway":
            kwargs["queryset"] = Device.objects.filter(reference__in=selectors.gateway_references())
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    # Live status (one Redis MGET for the page) -------------------------------------------

    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
        devices = list(changelist.result_list)  # evaluated once; the template reuses these rows
        try:
            cached = selectors.cached_live([device.pk for device in devices])
        except RedisError:
            logger.exception("live cache unreachable for the sources list")
            self.message_user(request, gettext("The live cache cannot be reached: statuses are unknown. "
                                               "Check that Redis is running."), messages.WARNING)
            return changelist
        for device in devices:
            if device.is_gateway:  # reached, not read: its modules carry the statuses
                device.live_status = ("gateway", "")
                continue
            live = cached.get(device.pk) or {"status": "offline", "reason": selectors.NOT_POLLED}
            device.live_status = (live["status"], live.get("reason", ""))
        return changelist

    @display(description=_("Status"),
             label={"online": "success", "offline": "danger", "unknown": "warning", "gateway": "info"})
    def status(self, device: Device):
        status, reason = getattr(device, "live_status", ("unknown", ""))
        if status == "online":
            return "online", gettext("Online")
        if status == "gateway":
            return "gateway", gettext("Gateway: its modules are polled through it")
        if status == "unknown":
            return "unknown", gettext("Unknown")
        if not reason:
            return "offline", gettext("Offline")
        if reason == selectors.NOT_POLLED:
            reason = gettext("not polled yet")
        return "offline", gettext("Offline: %(reason)s") % {"reason": reason}

    # Adding goes through devices.services.add_device (§9.6.2) ----------------------------

    def response_add(self, request, obj, post_url_continue=None):
        # §9.6.2: adding a gateway imports the devices behind it; the user watches the scan.
        if obj.is_gateway and not ("_continue" in request.POST or "_addanother" in request.POST):
            return _scan([obj])
        return super().response_add(request, obj, post_url_continue)

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = DeviceAddForm(request.POST or None,
                             formfield_callback=partial(self.formfield_for_dbfield, request=request))
        if request.method == "POST" and form.is_valid():
            try:
                device = services.add_device(**form.cleaned_data)
            except ValidationError as refusal:
                form.add_service_errors(refusal)
            else:
                self.log_addition(request, device, [{"added": {}}])
                return self.response_add(request, device)
        admin_form = helpers.AdminForm(form, [(None, {"fields": list(form.fields)})], {}, model_admin=self)
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Add %s") % self.opts.verbose_name,
            "subtitle": None,
            "adminform": admin_form,
            "object_id": None,
            "original": None,
            "is_popup": IS_POPUP_VAR in request.POST or IS_POPUP_VAR in request.GET,
            "to_field": request.POST.get(TO_FIELD_VAR, request.GET.get(TO_FIELD_VAR)),
            "media": self.media + admin_form.media,
            "inline_admin_formsets": [],
            "errors": helpers.AdminErrorList(form, []),
            "preserved_filters": self.get_preserved_filters(request),
            **(extra_context or {}),
        }
        response = self.render_change_form(request, context, add=True, form_url=form_url)
        if form.errors:
            response.status_code = 400
        return response

    # Deleting goes through devices.services.delete_devices: never the gateway (§9.6.3 item 15)

    def has_delete_permission(self, request, obj=None):
        if not super().has_delete_permission(request, obj):
            return False
        if obj is None:
            return True
        try:
            services.ensure_deletable([obj])
        except ValidationError:
            return False
        return True

    def get_deleted_objects(self, objs, request):
        deleted, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        # Circuits go with their source, though nobody deletes one on its own.
        perms_needed.discard(Circuit._meta.verbose_name)
        return deleted, model_count, perms_needed, protected

    def delete_model(self, request, obj):
        services.delete_devices(Device.objects.filter(pk=obj.pk))

    def delete_queryset(self, request, queryset):
        services.delete_devices(queryset)

    @admin.action(permissions=["delete"], description=_("Delete selected sources"))
    def delete_selected(self, request, queryset):
        try:
            services.ensure_deletable(queryset)
        except ValidationError as refusal:
            self.message_user(request, " ".join(refusal.messages), messages.ERROR)
            return None
        return delete_selected_after_confirmation(self, request, queryset)

    @admin.action(permissions=["change"],
                  description=_("Refresh selected rows: re-create missing circuits with the catalogue's default names"))
    def refresh_selected(self, request, queryset):
        created = 0
        for device in queryset:
            try:
                created += services.refresh_circuits(device)
            except ValidationError as refusal:
                self.message_user(request, " ".join(refusal.messages), messages.ERROR)
        self.message_user(request, ngettext("%(count)d missing circuit re-created.",
                                            "%(count)d missing circuits re-created.", created) % {"count": created},
                          messages.SUCCESS)

    @admin.action(permissions=["add"], description=_("Autodetect the devices behind the selected gateways"))
    def import_topology(self, request, queryset):
        # §9.6.2-9.6.3: a gateway's topology is found through it, in the background (a slow line
        # takes minutes); the new sources appear in this list as they are added.
        gateways = [device for device in queryset if device.is_gateway]
        if len(gateways) != len(queryset):
            self.message_user(request, gettext("Select gateways only (M-70, D-70...): the devices behind them are "
                                               "found through them."), messages.ERROR)
            return
        return _scan(gateways)

    # Autodetect with its progress (§9.6.3 item 14) ----------------------------------------

    def get_urls(self):
        own = [
            path("scan/", self.admin_site.admin_view(self.scan_view), name="devices_device_scan"),
            path("scan/status/", self.admin_site.admin_view(self.scan_status_view), name="devices_device_scan_status"),
        ]
        return own + super().get_urls()

    def _scanned_gateways(self, request) -> list[Device]:
        if not self.has_add_permission(request):
            raise PermissionDenied
        ids = [int(value) for value in request.GET.getlist("gateway") if value.isdigit()]
        return [device for device in Device.objects.filter(pk__in=ids).order_by("name") if device.is_gateway]

    def scan_view(self, request):
        gateways = self._scanned_gateways(request)
        query = "&".join(f"gateway={gateway.pk}" for gateway in gateways)
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Autodetect devices"),
            "opts": self.opts,
            "gateways": gateways,
            "status_url": f"{reverse('admin:devices_device_scan_status')}?{query}",
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "devices/admin/topology_scan.html", context)

    def scan_status_view(self, request):
        return JsonResponse({"gateways": [scan_progress.status_of(gateway) for gateway in self._scanned_gateways(request)]})


def _scan(gateways: list[Device]) -> HttpResponseRedirect:
    """Start the background scan behind ``gateways`` and show its progress."""
    for gateway in gateways:
        scan_progress.queued(gateway.pk)
        transaction.on_commit(partial(tasks.import_topology.delay, gateway.pk))
    query = "&".join(f"gateway={gateway.pk}" for gateway in gateways)
    return HttpResponseRedirect(f"{reverse('admin:devices_device_scan')}?{query}")
