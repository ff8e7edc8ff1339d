"""Settings › Hierarchies (§9.7): the list, a new hierarchy (name and utility), and the graph
editor, which builds through the API and so through the rules of hierarchies/rules.py."""

import json

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from unfold.admin import ModelAdmin
from unfold.decorators import display

from hierarchies import rules, selectors
from hierarchies.models import Hierarchy, Member


class HierarchyForm(forms.ModelForm):
    class Meta:
        model = Hierarchy
        fields = ["name", "fluid"]

    def clean(self) -> dict:
        cleaned = super().clean()
        if self.instance.pk is None and Hierarchy.objects.count() >= rules.MAX_HIERARCHIES:
            raise ValidationError(_("There can be at most %(count)d hierarchies.") % {"count": rules.MAX_HIERARCHIES})
        return cleaned


@admin.register(Hierarchy)
class HierarchyAdmin(ModelAdmin):
    form = HierarchyForm
    list_display = ["name", "fluid", "node_count", "circuit_count"]
    search_fields = ["name"]
    change_form_template = "hierarchies/admin/change_form.html"

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(
            node_count=Count("members", filter=Q(members__kind__in=["root", "node"])),
            circuit_count=Count("members", filter=Q(members__kind="circuit")))

    @display(description=_("nodes"), ordering="node_count")
    def node_count(self, hierarchy: Hierarchy) -> int:
        return hierarchy.node_count

    @display(description=_("circuits"), ordering="circuit_count")
    def circuit_count(self, hierarchy: Hierarchy) -> int:
        return hierarchy.circuit_count

    def get_readonly_fields(self, request, obj=None):
        return ["fluid"] if obj else []  # the members were checked against it

    def save_model(self, request, obj, form, change):
        if change:
            obj.save()
            return
        created = rules.create_hierarchy(name=obj.name, fluid=obj.fluid)
        obj.pk, obj.created = created.pk, created.created

    def change_view(self, request, object_id, form_url="", extra_context=None):
        hierarchy = self.get_object(request, object_id)
        extra = {}
        if hierarchy is not None:
            circuits = selectors.palette_circuits(hierarchy.fluid, hierarchy)  # loads measure energy
            children = Hierarchy.objects.filter(fluid=hierarchy.fluid).exclude(pk=hierarchy.pk)
            extra = {
                "editor": {
                    "hierarchy": hierarchy.pk,
                    "api": reverse("api:hierarchy-detail", args=[hierarchy.pk]),
                    "members": reverse("api:hierarchy-members", args=[hierarchy.pk]),
                    "links": reverse("api:hierarchy-links", args=[hierarchy.pk]),
                    "element": reverse("api:hierarchy-element-detail", args=[0]).replace("/0/", "/{id}/"),
                    "link": reverse("api:hierarchy-link-detail", args=[0]).replace("/0/", "/{id}/"),
                },
                "palette_circuits": [(c.pk, str(c)) for c in circuits],
                "palette_children": [(h.pk, h.name) for h in children],
                "root_kind": Member.Kind.ROOT,
            }
            extra["editor_json"] = json.dumps(extra["editor"])
        return super().change_view(request, object_id, form_url, {**(extra_context or {}), **extra})
