"""A change list whose reader picks the number of rows per page (§9.6.3 item 11)."""

from django.contrib.admin.views.main import PAGE_VAR
from unfold.views import ChangeList

PER_PAGE_VAR = "per_page"
PER_PAGE_CHOICES = (25, 50, 100, 200)


class PerPageChangeList(ChangeList):
    def get_filters_params(self, params=None):
        lookup_params = super().get_filters_params(params)
        lookup_params.pop(PER_PAGE_VAR, None)  # a display choice, not a filter on a field
        return lookup_params

    def get_results(self, request):
        chosen = request.GET.get(PER_PAGE_VAR, "")
        if chosen.isdigit() and int(chosen) in PER_PAGE_CHOICES:
            self.list_per_page = int(chosen)
        super().get_results(request)

    def per_page_links(self) -> list[tuple[int, str, bool]]:
        """(rows, query string, current) for each choice; filters, search and ordering kept."""
        return [(count, self.get_query_string({PER_PAGE_VAR: count}, [PAGE_VAR]), count == self.list_per_page)
                for count in PER_PAGE_CHOICES]


class PerPageMixin:
    list_per_page = PER_PAGE_CHOICES[0]
    list_after_template = "devices/admin/per_page.html"

    def get_changelist(self, request, **kwargs):
        return PerPageChangeList
