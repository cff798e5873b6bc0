"""Letters: preview, issue, download and delivery (mounted under casework/)."""

urlpatterns: list = []
