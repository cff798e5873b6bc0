"""Oversight pages: the audit log and exports (mounted under casework/)."""

urlpatterns: list = []
