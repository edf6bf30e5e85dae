"""The register in the admin: exports (CSV, Excel) and a call's internal statistics."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import admin
from django.db.models import Count, QuerySet
from django.http import FileResponse, Http404, HttpRequest, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from submissions import register
from submissions.models import Call
from submissions.presentation import chart

# A mixin of the submissions' ModelAdmin: typed as one, an object at run time.
if TYPE_CHECKING:
    _AdminBase = admin.ModelAdmin
else:
    _AdminBase = object


class RegisterMixin(_AdminBase):
    """For SubmissionAdmin: the register's actions and page."""

    @admin.action(description=gettext_lazy("Export the register (CSV)"))
    def export_csv(self, request: HttpRequest, queryset: QuerySet) -> HttpResponseBase:
        return self._csv(queryset, "register")

    @admin.action(description=gettext_lazy("Export the register (Excel)"))
    def export_xlsx(self, request: HttpRequest, queryset: QuerySet) -> HttpResponseBase:
        return self._xlsx(queryset, "register")

    def _csv(self, queryset: QuerySet, name: str) -> HttpResponseBase:
        response = StreamingHttpResponse(
            register.csv_lines(register.rows(queryset)), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response

    def _xlsx(self, queryset: QuerySet, name: str) -> HttpResponseBase:
        handle = register.write_xlsx(register.rows(queryset), title=name)
        return FileResponse(
            handle,
            as_attachment=True,
            filename=f"{name}.xlsx",
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )

    def register_view(self, request: HttpRequest) -> HttpResponseBase:
        """A call's register: internal statistics and the whole export."""
        if not self.has_view_permission(request):
            raise Http404
        calls = Call.objects.annotate(n=Count("submissions")).order_by("-deadline")
        wanted = request.GET.get("call", "")
        call = (calls.filter(pk=wanted).first() if wanted.isdigit() else None) or calls.first()
        if call is None:
            raise Http404
        name = f"{call.tracking_prefix}-register-{timezone.localdate():%Y-%m-%d}"
        export = request.GET.get("export")
        if export == "csv":
            return self._csv(call.submissions.all(), name)
        if export == "xlsx":
            return self._xlsx(call.submissions.all(), name)
        numbers = register.internal_statistics(call)
        share = (
            round(100 * numbers["with_findings"] / numbers["checked"]) if numbers["checked"] else 0
        )
        return TemplateResponse(
            request,
            "admin/submissions/register.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Register of %(call)s") % {"call": call.title},
                "opts": self.model._meta,
                "call": call,
                "calls": calls,
                "numbers": numbers,
                "share": share,
                "per_day": chart(
                    "day",
                    _("Received per day"),
                    [(day.isoformat(), n) for day, n in numbers["per_day"]],
                ),
                "by_state": chart("state", _("By state"), numbers["by_state"]),
                "findings": chart("finding", _("Checked files by finding"), numbers["findings"]),
            },
        )
