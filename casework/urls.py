"""Casework's own pages, mounted as an application of the viewflow site."""

from django.urls import path

from .views import pages

app_name = "casework"

urlpatterns = [
    path("policy/", pages.PolicyView.as_view(), name="policy"),
]
