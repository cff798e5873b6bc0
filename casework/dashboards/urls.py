"""The dashboard, clause analytics and the hearings calendar (mounted under casework/)."""

from django.urls import path

from . import views

urlpatterns: list = [
    path("dashboard/", views.DashboardView.as_view(), name="dashboard"),
    path("dashboard/clauses/", views.ClauseAnalyticsView.as_view(), name="clause_analytics"),
    path(
        "dashboard/clauses/policy-review-pack.pdf",
        views.PolicyReviewPackView.as_view(),
        name="policy_review_pack",
    ),
    path("hearings/", views.HearingsCalendarView.as_view(), name="hearings_calendar"),
    path("dashboard/<slug:table>.csv", views.DashboardTableCsvView.as_view(), name="dashboard_csv"),
]
