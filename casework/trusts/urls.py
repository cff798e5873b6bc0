"""The trust's own pages (mounted under casework/)."""

from django.urls import path

from . import views

urlpatterns: list = [
    path("trust/settings/", views.TrustSettingsView.as_view(), name="trust_settings"),
]
