"""benchmark_pages times each role's list pages against a bare page, as JSON if asked."""

import io
import json

from django.core.management import call_command
from django.db import connection

from casework.demo_cases import raise_concern


def test_it_prints_each_page_with_its_figures_as_json(reseed):
    # A database of its own: it signs in and out, request by request, as a server would.
    raise_concern()
    kept = connection.settings_dict["CONN_MAX_AGE"]
    out = io.StringIO()
    call_command("benchmark_pages", json=True, repeats=1, only="register", stdout=out)
    figures = json.loads(out.getvalue())
    assert {f["page"] for f in figures} >= {"register", "register ?overdue"}
    assert {f["role"] for f in figures} >= {"hr", "headteacher", "trust_executive"}
    for figure in figures:
        assert set(figure) == {"page", "role", "median_ms", "p95_ms", "ratio", "queries"}
        assert figure["median_ms"] > 0 and figure["ratio"] > 0 and figure["queries"] > 0, figure
    # The connection it kept between requests, as production does, is given back.
    assert connection.settings_dict["CONN_MAX_AGE"] == kept
