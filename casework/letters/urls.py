"""Letters: preview, issue, download and delivery (mounted under casework/)."""

from django.urls import path

from casework import addresses  # noqa: F401 (the <reference:…> and <id:…> parts of addresses)

from . import views as letters

case = "cases/<reference:reference>/letters/"

urlpatterns: list = [
    path(case, letters.LettersView.as_view(), name="letters"),
    path(f"{case}new/<str:kind>/", letters.PrepareLetterView.as_view(), name="prepare_letter"),
    path(f"{case}<id:letter_id>/", letters.LetterView.as_view(), name="letter"),
    path(f"{case}<id:letter_id>/pdf/", letters.LetterPdfView.as_view(), name="letter_pdf"),
    path(
        f"{case}<id:letter_id>/deliver/",
        letters.DeliverLetterView.as_view(),
        name="deliver_letter",
    ),
]
