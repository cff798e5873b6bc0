"""HR's failed e-mail (mounted under casework/)."""

from django.urls import path

from . import views

urlpatterns: list = [
    path("oversight/mail/failed/", views.FailedMailView.as_view(), name="failed_mail"),
    path(
        "oversight/mail/<id:message_id>/send-again/",
        views.ResendMailView.as_view(),
        name="resend_mail",
    ),
]
