"""Measure every list page and a case page, as each demo role, against a bare page."""

import json as json_module

from django.core.management.base import BaseCommand
from django.test.utils import override_settings

from workflows.scale import benchmark


class Command(BaseCommand):
    help = (
        "Sign in as each demo role and time every list page and a case page, each "
        "interleaved with a bare signed-in page: median, p95, ratio and query count."
    )

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="A JSON list of objects.")
        parser.add_argument("--repeats", type=int, default=11, help="Requests per page.")
        parser.add_argument("--only", default="", help="Only pages whose name contains this.")
        parser.add_argument(
            "--export", action="store_true", help="Also download the whole register as CSV."
        )

    def handle(self, *args, json=False, repeats=11, only="", export=False, **options):
        as_json = json
        figures = []
        # The test client's host; the e-mails a page might send go nowhere.
        with override_settings(
            ALLOWED_HOSTS=["testserver"],
            EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
        ):
            if not as_json:
                self.stdout.write(
                    f"{'page':38} {'role':22} {'median_ms':>9} {'p95_ms':>8} "
                    f"{'ratio':>6} {'queries':>7}"
                )
            for figure in benchmark.run(repeats=repeats, only=only):
                figures.append(figure.as_dict())
                if not as_json:
                    self.stdout.write(
                        f"{figure.page:38} {figure.role:22} {figure.median_ms:9.1f} "
                        f"{figure.p95_ms:8.1f} {figure.ratio:6.1f} {figure.queries:7d}"
                    )
            exported = benchmark.export_register() if export else None
        if as_json:
            self.stdout.write(_dumps(figures))
        elif exported is not None:
            self.stdout.write(
                f"register CSV export: {exported.rows} rows, first byte {exported.first_byte_ms} "
                f"ms, all in {exported.total_s} s, peak memory {exported.peak_mib} MiB"
            )


def _dumps(figures):
    return json_module.dumps(figures, indent=2)
