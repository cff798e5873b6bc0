"""The dashboard: tables and their charts, each table downloadable as CSV."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.views import View
from django.views.generic import TemplateView

from casework import audit, permissions
from casework.models import School
from casework.views.oversight import csv_response

from . import charts, figures
from .forms import PeriodForm


class DashboardAccess(View):
    refusal = "The dashboard is for HR, the trust executive and headteachers."

    def dispatch(self, request, *args, **kwargs):
        if not permissions.may_see_dashboard(request.user):
            raise PermissionDenied(self.refusal)
        return super().dispatch(request, *args, **kwargs)

    def scope(self) -> set[int] | None:
        return permissions.dashboard_schools(self.request.user)

    def period_form(self) -> PeriodForm:
        return PeriodForm(self.request.GET or None)


class DashboardView(DashboardAccess, TemplateView):
    template_name = "casework/dashboards/dashboard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = self.period_form()
        period = form.period()
        schools = self.scope()
        tables = figures.dashboard(schools=schools, period=period)
        query = self.request.GET.copy()
        context.update(
            form=form,
            period=period,
            panels=[(table, charts.chart_for(table)) for table in tables],
            schools=None
            if schools is None
            else list(School.objects.filter(pk__in=schools).values_list("name", flat=True)),
            query=query.urlencode(),
        )
        return context


class DashboardTableCsvView(DashboardAccess):
    def get(self, request, table: str):
        period = self.period_form().period()
        tables = {t.slug: t for t in figures.dashboard(schools=self.scope(), period=period)}
        if table not in tables:
            raise Http404("No such table.")
        chosen = tables[table]
        audit.record(
            action="exported.dashboard",
            actor=request.user,
            summary=f"Dashboard table exported: {chosen.title}",
            details={"table": table, "from": str(period.start), "to": str(period.end)},
        )
        return csv_response(
            f"casework-{table}-{period.start:%Y-%m-%d}-to-{period.end:%Y-%m-%d}.csv",
            list(chosen.columns),
            ([("" if cell is None else cell) for cell in row] for row in chosen.rows),
        )
