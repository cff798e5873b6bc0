"""The policy pages (mounted under casework/)."""

from django.urls import path

from . import views

urlpatterns: list = [
    path("policy/", views.PolicyView.as_view(), name="policy"),
    path("policy/import/", views.PolicyImportView.as_view(), name="policy_import"),
    path(
        "policy/import/review/",
        views.PolicyImportReviewView.as_view(),
        name="policy_import_review",
    ),
    path(
        "policy/versions/<str:version>/",
        views.PolicyVersionView.as_view(),
        name="policy_version",
    ),
]
