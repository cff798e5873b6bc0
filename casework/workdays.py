"""The trust's calendar: working days, and periods of calendar months.

Every deadline that matters procedurally (triage, LADO referral, hearing notice, appeal)
counts working days: weekends, England and Wales bank holidays and closure days do not
count. "N working days after D" is the Nth working day following D, so a Monday plus five
working days is the next Monday.

Warnings' live periods and subject access deadlines are calendar months, counted by the
corresponding-date rule (see ``corresponding_date`` and ``last_day_of_months``).
"""

from __future__ import annotations

import datetime
import string
from functools import lru_cache

import holidays
from dateutil.relativedelta import relativedelta
from django.db.models import Q

from .models import Case, ClosureDay, Trust
from .trusts.configuration import procedure_settings


@lru_cache(maxsize=32)
def _bank_holidays(year: int) -> frozenset[datetime.date]:
    # England and Wales share one set of bank holidays.
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def bank_holiday_name(day: datetime.date) -> str | None:
    return holidays.country_holidays("GB", subdiv="ENG", years=day.year).get(day)


class Calendar:
    """Working days for a trust, or for one of its schools (whose closure days also count)."""

    def __init__(self, *, trust_id: int | None, school_id: int | None = None):
        self.trust_id = trust_id
        self.school_id = school_id
        self._closures: set[datetime.date] | None = None

    @classmethod
    def of_case(cls, case) -> Calendar:
        """The calendar a case's deadlines count in: its trust's, and its school's."""
        return cls(trust_id=case.trust_id, school_id=case.school_id)

    def _closure_days(self) -> set[datetime.date]:
        if self._closures is None:
            where = Q(trust_id=self.trust_id, school__isnull=True)
            if self.school_id is not None:
                where |= Q(school_id=self.school_id)
            self._closures = set(ClosureDay.objects.filter(where).values_list("date", flat=True))
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
        """Working days after ``start`` up to and including ``end``.

        Counted, not walked: the weekdays in the span, less the bank holidays and closure
        days on them (a worklist page asks this of tasks months overdue)."""
        if end <= start:
            return 0
        weeks, extra = divmod((end - start).days, 7)
        weekdays = weeks * 5 + sum((start.weekday() + step) % 7 < 5 for step in range(1, extra + 1))
        off = self._closure_days().union(
            *(_bank_holidays(year) for year in range(start.year, end.year + 1))
        )
        return weekdays - sum(start < day <= end and day.weekday() < 5 for day in off)

    def next_working_day(self, day: datetime.date) -> datetime.date:
        """``day`` itself if it is a working day, otherwise the next one."""
        while not self.is_working_day(day):
            day += datetime.timedelta(days=1)
        return day


def trust_of(case: Case) -> Trust | int:
    """The case's trust object where it is already loaded (it keeps the trust's settings
    once read), else its id: never a query of its own."""
    return case.trust if Case.trust.is_cached(case) else case.trust_id


def procedure(name: str, *, trust: Trust | int) -> int:
    """A number from the trust's procedure settings, e.g.
    procedure("APPEAL_WORKING_DAYS", trust=case.trust_id)."""
    return procedure_settings(trust)[name]


class _ProcedureFormatter(string.Formatter):
    def format_field(self, value, format_spec):
        if format_spec == "s":  # the plural ending for a count: "day{N:s}"
            return "" if value == 1 else "s"
        return super().format_field(value, format_spec)


def procedure_text(template: str, *, trust: Trust | int) -> str:
    """Text quoting the trust's procedure numbers, so a page says what its rules enforce:
    procedure_text("within {APPEAL_WORKING_DAYS} working day{APPEAL_WORKING_DAYS:s}", ...)."""
    return _ProcedureFormatter().format(template, **procedure_settings(trust))


# --- Calendar months ------------------------------------------------------------------------


def corresponding_date(start: datetime.date, months: int) -> datetime.date:
    """The date ``months`` calendar months after ``start``: the same day of the month, or the
    last day of the end month where it has no such day (31 January + 1 month is 28 or 29
    February). This is the corresponding-date rule the courts apply to periods of months
    (Dodds v Walker [1981]), and the ICO's rule for a subject access request's month."""
    return start + relativedelta(months=months)


def last_day_of_months(start: datetime.date, months: int) -> datetime.date:
    """The last day of a period of ``months`` calendar months whose first day is ``start``.

    ``start`` itself counts toward the period (a warning is live on the day it is issued,
    DOMAIN.md §3.6), so the period ends the day before the corresponding date: a six-month
    period from 15 January is 15 January to 14 July inclusive, and from 1 March it is
    1 March to 31 August.

    Where the end month has no day matching ``start`` (a period from 29, 30 or 31 August
    ending in February, or from 31 January ending in a 30-day month), the period runs to the
    end month's last day. Taking the clamped date and then a day off, as "plus six months,
    minus one day" does, would end a warning of 31 August on 27 February and take a day from
    the person's period; from 29 August 2027 the end month, February 2028, has a 29th, so
    that period ends on 28 February 2028 like any other.
    """
    if months < 1:
        raise ValueError("A period of months is at least one month long.")
    end = corresponding_date(start, months)
    if end.day != start.day:
        return end  # no corresponding day: the end month's last day
    return end - datetime.timedelta(days=1)
