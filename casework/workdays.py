"""The working-day calendar: weekends, England and Wales bank holidays and closure days.

Every deadline that matters procedurally (triage, LADO referral, hearing notice, appeal)
counts working days. "N working days after D" is the Nth working day following D, so a
Monday plus five working days is the next Monday.
"""

from __future__ import annotations

import datetime
from functools import lru_cache

import holidays
from django.conf import settings
from django.db.models import Q

from .models import ClosureDay


@lru_cache(maxsize=32)
def _bank_holidays(year: int) -> frozenset[datetime.date]:
    # England and Wales share one set of bank holidays.
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def bank_holiday_name(day: datetime.date) -> str | None:
    return holidays.country_holidays("GB", subdiv="ENG", years=day.year).get(day)


class Calendar:
    """Working days for the trust, or for one school (whose closure days also count)."""

    def __init__(self, *, school_id: int | None = None):
        self.school_id = school_id
        self._closures: set[datetime.date] | None = None

    def _closure_days(self) -> set[datetime.date]:
        if self._closures is None:
            closures = ClosureDay.objects.filter(Q(school__isnull=True))
            if self.school_id is not None:
                closures = ClosureDay.objects.filter(
                    Q(school__isnull=True) | Q(school_id=self.school_id)
                )
            self._closures = set(closures.values_list("date", flat=True))
        return self._closures

    def is_working_day(self, day: datetime.date) -> bool:
        return (
            day.weekday() < 5
            and day not in _bank_holidays(day.year)
            and day not in self._closure_days()
        )

    def add_working_days(self, start: datetime.date, days: int) -> datetime.date:
        """The ``days``-th working day after ``start`` (``start`` itself never counts)."""
        if days < 0:
            raise ValueError("Count working days forwards only.")
        day = start
        counted = 0
        while counted < days:
            day += datetime.timedelta(days=1)
            if self.is_working_day(day):
                counted += 1
        return day

    def working_days_between(self, start: datetime.date, end: datetime.date) -> int:
        """Working days after ``start`` up to and including ``end``."""
        count = 0
        day = start
        while day < end:
            day += datetime.timedelta(days=1)
            if self.is_working_day(day):
                count += 1
        return count

    def next_working_day(self, day: datetime.date) -> datetime.date:
        """``day`` itself if it is a working day, otherwise the next one."""
        while not self.is_working_day(day):
            day += datetime.timedelta(days=1)
        return day


def procedure(name: str) -> int:
    """A number from the trust's procedure settings, e.g. procedure("APPEAL_WORKING_DAYS")."""
    return settings.CASEWORK_PROCEDURE[name]
