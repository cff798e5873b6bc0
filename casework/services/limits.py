"""What one person may send in a day: CASEWORK_DAILY_CONCERN_LIMIT concerns raised and
CASEWORK_DAILY_EVIDENCE_LIMIT evidence files added (with concerns or to cases), counted
over the trust's calendar day.

Each check locks the person's own row first, so that two submissions sent at the same
moment are counted one after the other and cannot both slip under the limit.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils import timezone

from casework import clock
from casework.errors import RuleBroken
from casework.models import Case, EvidenceFile, StaffMember, User


def start_of_today() -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(clock.today(), datetime.time()))


def ensure_concern_allowed_today(*, reporter: StaffMember) -> None:
    limit = settings.CASEWORK_DAILY_CONCERN_LIMIT
    StaffMember.objects.select_for_update().filter(pk=reporter.pk).exists()
    raised = Case.objects.filter(reporter=reporter, raised_at__gte=start_of_today()).count()
    if raised >= limit:
        raise RuleBroken(
            f"You have raised {raised} concerns today, the most Casework takes from one "
            "person in a day. Raise this one tomorrow, or speak to HR directly if it cannot "
            "wait. Nothing was stored."
        )


def ensure_evidence_allowed_today(*, user: User, adding: int) -> None:
    if adding <= 0:
        return
    limit = settings.CASEWORK_DAILY_EVIDENCE_LIMIT
    User.objects.select_for_update().filter(pk=user.pk).exists()
    added = EvidenceFile.objects.filter(uploaded_by=user, uploaded_at__gte=start_of_today()).count()
    if added + adding > limit:
        left = max(limit - added, 0)
        raise RuleBroken(
            f"One person may add {limit} evidence files a day; you have added {added} today, "
            f"so {left} more can be added today, not {adding}. Send the rest tomorrow. "
            "Nothing was stored."
        )
