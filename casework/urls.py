"""Casework's own pages, mounted as an application of the viewflow site."""

from django.urls import path

from . import addresses  # noqa: F401 (the <reference:…> and <id:…> parts of addresses)
from .dashboards import urls as urls_dashboards
from .intake import views as concerns
from .letters import urls as urls_letters
from .mail import urls as urls_mail
from .oversight import urls as urls_oversight
from .policies import urls as urls_policies
from .records import urls as urls_subject_access
from .trusts import urls as urls_trusts
from .views import cases, pages

app_name = "casework"

case = "cases/<reference:reference>/"

# The policy comes first: the application's own index opens its first page.
urlpatterns = [
    *urls_policies.urlpatterns,
    path("concerns/new/", concerns.ReportConcernView.as_view(), name="report_concern"),
    path(
        "concerns/new/suggestions/",
        concerns.ConcernSuggestionsView.as_view(),
        name="concern_suggestions",
    ),
    path("concerns/mine/", concerns.MyReportsView.as_view(), name="my_reports"),
    path("notices/", pages.NoticesView.as_view(), name="notices"),
    path(
        "concerns/<reference:reference>/received/",
        concerns.ConcernReceivedView.as_view(),
        name="concern_received",
    ),
    path("cases/", cases.RegisterView.as_view(), name="register"),
    path("low-level-concerns/", cases.LowLevelLogView.as_view(), name="low_level_log"),
    path(case, cases.CaseDetailView.as_view(), name="case"),
    path(f"{case}allegations/add/", cases.AddAllegationView.as_view(), name="add_allegation"),
    path(
        f"{case}allegations/<id:allegation>/amend/",
        cases.AmendAllegationView.as_view(),
        name="amend_allegation",
    ),
    path(
        f"{case}allegations/<id:allegation>/remove/",
        cases.RemoveAllegationView.as_view(),
        name="remove_allegation",
    ),
    path(f"{case}withdraw/", cases.WithdrawView.as_view(), name="withdraw"),
    path(f"{case}school/", cases.CorrectSchoolView.as_view(), name="correct_school"),
    path(f"{case}hold/", cases.PauseView.as_view(), name="pause"),
    path(f"{case}resignation/", cases.ResignationView.as_view(), name="resignation"),
    path(f"{case}suspension/", cases.SuspendView.as_view(), name="suspend"),
    path(
        f"{case}suspension/<id:suspension>/review/",
        cases.ReviewSuspensionView.as_view(),
        name="review_suspension",
    ),
    path(
        f"{case}suspension/<id:suspension>/lift/",
        cases.LiftSuspensionView.as_view(),
        name="lift_suspension",
    ),
    path(f"{case}hearing/move/", cases.RescheduleHearingView.as_view(), name="reschedule_hearing"),
    path(f"{case}appeal/move/", cases.RescheduleAppealView.as_view(), name="reschedule_appeal"),
    path(f"{case}referrals/", cases.RecordReferralView.as_view(), name="record_referral"),
    path(f"{case}settlement/", cases.RecordSettlementView.as_view(), name="record_settlement"),
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
        f"{case}evidence/<id:evidence_id>/",
        cases.EvidenceDownloadView.as_view(),
        name="evidence",
    ),
    path(
        f"{case}evidence/<id:evidence_id>/preview/",
        cases.EvidencePreviewView.as_view(),
        name="evidence_preview",
    ),
]

urlpatterns += urls_letters.urlpatterns + urls_oversight.urlpatterns
urlpatterns += urls_subject_access.urlpatterns
urlpatterns += urls_mail.urlpatterns
urlpatterns += urls_dashboards.urlpatterns
urlpatterns += urls_trusts.urlpatterns
