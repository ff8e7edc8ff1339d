"""Scheduled tasks (django-celery-beat) in the settings UI, styled like the rest (Unfold).

The schedules the gateway needs (system.schedules) are shown read-only: nobody can delete,
disable or edit them here, and beat reinstalls them at every start anyway. New schedules are not
offered (no task of the gateway is meant to be scheduled by hand); a schedule that is not a
system one stays editable. django-celery-beat's building blocks (intervals, crontabs, solar
events, clocked times) are internals, not settings: they are not registered."""

from django.contrib import admin, messages
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_celery_beat import admin as beat_admin
from django_celery_beat.models import ClockedSchedule, CrontabSchedule, IntervalSchedule, PeriodicTask, SolarSchedule
from unfold.admin import ModelAdmin
from unfold.widgets import UnfoldAdminSelectWidget, UnfoldAdminTextInputWidget

from system.schedules import SYSTEM_SCHEDULES, is_system_schedule

for model in (PeriodicTask, IntervalSchedule, CrontabSchedule, SolarSchedule, ClockedSchedule):
    admin.site.unregister(model)


class PeriodicTaskForm(beat_admin.PeriodicTaskForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["task"].widget = UnfoldAdminTextInputWidget()
        self.fields["regtask"].widget = UnfoldAdminSelectWidget(choices=self.fields["regtask"].widget.choices)


def _is_system(obj: PeriodicTask | None) -> bool:
    return obj is not None and is_system_schedule(obj.name)


@admin.register(PeriodicTask)
class PeriodicTaskAdmin(beat_admin.PeriodicTaskAdmin, ModelAdmin):
    form = PeriodicTaskForm
    list_display = ("name", "kind", "enabled", "scheduler", "last_run_at")
    date_hierarchy = None

    @admin.display(description=_("kind"))
    def kind(self, obj: PeriodicTask) -> str:
        return _("System (always on)") if _is_system(obj) else _("Custom")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: PeriodicTask | None = None) -> bool:
        return not _is_system(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: PeriodicTask | None = None) -> bool:
        # Per object: the bulk "delete selected" refuses a selection holding a system schedule.
        return not _is_system(obj) and super().has_delete_permission(request, obj)

    def _custom_only(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        system = queryset.filter(name__in=SYSTEM_SCHEDULES)
        if count := system.count():
            self.message_user(request, ngettext(
                "%(count)d system schedule is always on: left as it is.",
                "%(count)d system schedules are always on: left as they are.", count) % {"count": count},
                level=messages.WARNING)
        return queryset.filter(~Q(name__in=SYSTEM_SCHEDULES))

    @admin.action(description=beat_admin.PeriodicTaskAdmin.enable_tasks.short_description)
    def enable_tasks(self, request: HttpRequest, queryset: QuerySet) -> None:
        super().enable_tasks(request, self._custom_only(request, queryset))

    @admin.action(description=beat_admin.PeriodicTaskAdmin.disable_tasks.short_description)
    def disable_tasks(self, request: HttpRequest, queryset: QuerySet) -> None:
        super().disable_tasks(request, self._custom_only(request, queryset))

    @admin.action(description=beat_admin.PeriodicTaskAdmin.toggle_tasks.short_description)
    def toggle_tasks(self, request: HttpRequest, queryset: QuerySet) -> None:
        super().toggle_tasks(request, self._custom_only(request, queryset))
