"""Casework's own pages, mounted as an application of the viewflow site."""

from django.urls import path

from . import urls_letters, urls_oversight
from .views import cases, concerns, pages

app_name = "casework"

case = "cases/<str:reference>/"

urlpatterns = [
    path("policy/", pages.PolicyView.as_view(), name="policy"),
    path("concerns/new/", concerns.ReportConcernView.as_view(), name="report_concern"),
    path(
        "concerns/new/suggestions/",
        concerns.ConcernSuggestionsView.as_view(),
        name="concern_suggestions",
    ),
    path("concerns/mine/", concerns.MyReportsView.as_view(), name="my_reports"),
    path(
        "concerns/<str:reference>/received/",
        concerns.ConcernReceivedView.as_view(),
        name="concern_received",
    ),
    path("cases/", cases.RegisterView.as_view(), name="register"),
    path("low-level-concerns/", cases.LowLevelLogView.as_view(), name="low_level_log"),
    path(case, cases.CaseDetailView.as_view(), name="case"),
    path(f"{case}allegations/add/", cases.AddAllegationView.as_view(), name="add_allegation"),
    path(
        f"{case}allegations/<int:allegation>/amend/",
        cases.AmendAllegationView.as_view(),
        name="amend_allegation",
    ),
    path(
        f"{case}allegations/<int:allegation>/remove/",
        cases.RemoveAllegationView.as_view(),
        name="remove_allegation",
    ),
    path(f"{case}withdraw/", cases.WithdrawView.as_view(), name="withdraw"),
    path(f"{case}hold/", cases.PauseView.as_view(), name="pause"),
    path(f"{case}resignation/", cases.ResignationView.as_view(), name="resignation"),
    path(f"{case}suspension/", cases.SuspendView.as_view(), name="suspend"),
    path(
        f"{case}suspension/<int:suspension>/review/",
        cases.ReviewSuspensionView.as_view(),
        name="review_suspension",
    ),
    path(
        f"{case}suspension/<int:suspension>/lift/",
        cases.LiftSuspensionView.as_view(),
        name="lift_suspension",
    ),
    path(f"{case}hearing/move/", cases.RescheduleHearingView.as_view(), name="reschedule_hearing"),
    path(
        f"{case}investigation/officer/",
        cases.ReplaceInvestigatorView.as_view(),
        name="replace_investigator",
    ),
    path(
        f"{case}investigation/meetings/add/", cases.RecordMeetingView.as_view(), name="add_meeting"
    ),
    path(
        f"{case}investigation/statements/add/",
        cases.RecordStatementView.as_view(),
        name="add_statement",
    ),
    path(f"{case}evidence/add/", cases.AddEvidenceView.as_view(), name="add_evidence"),
    path(
        f"{case}evidence/<int:evidence_id>/",
        cases.EvidenceDownloadView.as_view(),
        name="evidence",
    ),
]

urlpatterns += urls_letters.urlpatterns + urls_oversight.urlpatterns
