"""HR's subject access requests (mounted under casework/)."""

from django.urls import path

from . import views

request = "subject-access/<id:pk>/"

urlpatterns: list = [
    path("subject-access/", views.SubjectAccessListView.as_view(), name="subject_access_requests"),
    path(
        "subject-access/new/",
        views.LogSubjectAccessRequestView.as_view(),
        name="log_subject_access_request",
    ),
    path(request, views.SubjectAccessDetailView.as_view(), name="subject_access_request"),
    path(
        f"{request}extend/",
        views.ExtendSubjectAccessView.as_view(),
        name="extend_subject_access",
    ),
    path(
        f"{request}export/",
        views.ProduceSubjectAccessExportView.as_view(),
        name="produce_subject_access_export",
    ),
    path(
        f"{request}export/download/",
        views.DownloadSubjectAccessExportView.as_view(),
        name="subject_access_export",
    ),
    path(
        f"{request}answered/",
        views.AnsweredSubjectAccessView.as_view(),
        name="answered_subject_access",
    ),
]
