"""The dashboard: tables and their charts, each table downloadable as CSV."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from casework import audit, permissions
from casework.models import School
from casework.spreadsheets import csv_response
from casework.trusts.configuration import letterhead_values

from . import calendar, charts, clauses, figures, home, review_pack
from .forms import EARLIEST, LATEST, PeriodForm


class DashboardAccess(View):
    refusal = "The dashboard is for HR, the trust executive and headteachers."

    def dispatch(self, request, *args, **kwargs):
        if not permissions.may_see_dashboard(request.user):
            raise PermissionDenied(self.refusal)
        return super().dispatch(request, *args, **kwargs)

    def scope(self) -> set[int] | None:
        return permissions.dashboard_schools(self.request.user)

    def trust(self) -> int | None:
        return permissions.trust_of(self.request.user)

    def cases(self):
        """The cases the reader's figures count: their trust's, or their schools'."""
        return figures.cases_in_scope(trust=self.trust(), schools=self.scope())

    def period_form(self) -> PeriodForm:
        return PeriodForm(self.request.GET or None)


class DashboardView(DashboardAccess, TemplateView):
    template_name = "casework/dashboards/dashboard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = self.period_form()
        period = form.period()
        schools = self.scope()
        tables = figures.dashboard(trust=self.trust(), schools=schools, period=period)
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
        tables = {
            t.slug: t
            for t in figures.dashboard(trust=self.trust(), schools=self.scope(), period=period)
        }
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


class ClauseAnalyticsView(DashboardAccess, TemplateView):
    template_name = "casework/dashboards/clauses.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = self.period_form()
        period = form.period()
        scope = figures.raised_in(self.cases(), period)
        context.update(
            form=form,
            period=period,
            analytics=clauses.clause_analytics(
                cases=scope, policy=home.reader_policy(self.request.user)
            ),
            review_due=home.review_alert(self.request.user),
            may_download_pack=permissions.may_download_policy_review_pack(self.request.user),
            query=self.request.GET.urlencode(),
        )
        return context


class PolicyReviewPackView(DashboardAccess):
    refusal = "The policy review pack is prepared by HR for the trust board."

    def dispatch(self, request, *args, **kwargs):
        if not permissions.may_download_policy_review_pack(request.user):
            raise PermissionDenied(self.refusal)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        period = self.period_form().period()
        policy = home.reader_policy(request.user)
        trust = self.trust()
        scope = figures.raised_in(figures.cases_in_scope(trust=trust, schools=None), period)
        analytics = clauses.clause_analytics(cases=scope, policy=policy)
        pdf = review_pack.review_pack_pdf(
            analytics=analytics,
            period=period,
            # The trust as its letters name it (its letterhead), for the board it goes to.
            trust_name=letterhead_values(trust).name if trust is not None else "",
        )
        audit.record(
            action="exported.policy_review_pack",
            actor=request.user,
            summary="Policy review pack downloaded",
            details={"from": str(period.start), "to": str(period.end)},
        )
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = (
            f'attachment; filename="policy-review-pack-{timezone.localdate():%Y-%m-%d}.pdf"'
        )
        response["Cache-Control"] = "private, no-store"
        return response


class HearingsCalendarView(TemplateView):
    template_name = "casework/dashboards/hearings.html"

    def dispatch(self, request, *args, **kwargs):
        if not permissions.may_see_hearings_calendar(request.user):
            raise PermissionDenied("The hearings calendar is for HR and headteachers.")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        view = calendar.MONTH if self.request.GET.get("view") == calendar.MONTH else calendar.WEEK
        try:
            day = datetime.date.fromisoformat(self.request.GET.get("date", ""))
        except ValueError:
            day = timezone.localdate()
        if not EARLIEST <= day <= LATEST:
            day = timezone.localdate()
        span = calendar.Span.around(day, view)
        context.update(
            span=span,
            days=calendar.by_day(calendar.hearings_for(self.request.user, span)),
            trust_wide=permissions.is_hr(self.request.user),
        )
        return context
