"""The policy review pack: a PDF of the clause analytics for the trust board, anonymised.

Laid out by WeasyPrint with the fonts named explicitly (fonts-liberation2, as the letters
use), in the page's margin boxes too; it fetches nothing but Casework's static files.
"""

from __future__ import annotations

from django.template import loader
from django.utils import timezone
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration

from casework.letters.rendering import BASE_URL, StaticFilesOnly

from .clauses import ClauseAnalytics, anonymity_minimum, printable
from .figures import Period


def review_pack_html(*, analytics: ClauseAnalytics, period: Period, trust_name: str) -> str:
    return loader.render_to_string(
        "casework/dashboards/review_pack.html",
        {
            "analytics": analytics,
            "tables": printable(analytics),
            "period": period,
            "trust_name": trust_name,
            "minimum": anonymity_minimum(),
            "made_on": timezone.localdate(),
        },
    )


def review_pack_pdf(*, analytics: ClauseAnalytics, period: Period, trust_name: str) -> bytes:
    html = review_pack_html(analytics=analytics, period=period, trust_name=trust_name)
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=StaticFilesOnly())
    return document.write_pdf(font_config=FontConfiguration())
