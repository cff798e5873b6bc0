"""Oversight pages: the audit log and exports (mounted under casework/)."""

from django.urls import path

from . import views as oversight

urlpatterns: list = [
    path("oversight/audit/", oversight.AuditLogView.as_view(), name="audit_log"),
    path(
        "oversight/audit/export.csv",
        oversight.AuditLogExportView.as_view(),
        name="audit_log_export",
    ),
    path(
        "oversight/cases/export.csv",
        oversight.RegisterExportView.as_view(),
        name="register_export",
    ),
]
