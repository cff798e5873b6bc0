"""Working days: weekends, England and Wales bank holidays, trust and school closure days,
and every deadline the procedure counts in them, read from the settings."""

import datetime
import zoneinfo

import holidays
import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from casework import deadlines
from casework.demo_cases import arrangement, case_at
from casework.errors import RuleBroken
from casework.models import Case, ClosureDay, Sanction, School, Status
from casework.services import hearings, outcomes
from casework.workdays import Calendar, bank_holiday_name, last_day_of_months
from tests.trusts import demo_trust_id

pytestmark = pytest.mark.django_db

D = datetime.date
LONDON = zoneinfo.ZoneInfo("Europe/London")


@pytest.fixture
def schools():
    return (
        School.objects.get(name__startswith="St Bernadette"),
        School.objects.get(name__startswith="St Thomas More"),
    )


def procedure_setting(settings, **values):
    settings.CASEWORK_PROCEDURE = {**settings.CASEWORK_PROCEDURE, **values}


def at(day: D, hour: int = 9, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=LONDON)


def unsaved_case(school, **fields) -> Case:
    """A case as the deadline rules see it: only its dates, status and school matter."""
    return Case(trust_id=school.trust_id, school=school, **fields)


# --- The calendar -------------------------------------------------------------------------


def test_weekends_are_not_working_days():
    calendar = Calendar(trust_id=demo_trust_id())
    assert calendar.add_working_days(D(2026, 3, 13), 1) == D(2026, 3, 16)  # Fri -> Mon
    assert calendar.add_working_days(D(2026, 3, 16), 5) == D(2026, 3, 23)  # Mon + 5 -> Mon
    assert calendar.add_working_days(D(2026, 3, 14), 1) == D(2026, 3, 16)  # from a Saturday
    assert calendar.add_working_days(D(2026, 3, 16), 0) == D(2026, 3, 16)
    assert not calendar.is_working_day(D(2026, 3, 14))
    assert calendar.next_working_day(D(2026, 3, 14)) == D(2026, 3, 16)


def test_christmas_and_boxing_day_substitutes_are_not_working_days():
    calendar = Calendar(trust_id=demo_trust_id())
    # 2026: Christmas on a Friday, Boxing Day on a Saturday, its substitute on Monday 28th.
    assert not calendar.is_working_day(D(2026, 12, 25))
    assert not calendar.is_working_day(D(2026, 12, 28))
    assert bank_holiday_name(D(2026, 12, 28)) is not None
    assert calendar.add_working_days(D(2026, 12, 24), 1) == D(2026, 12, 29)
    # 2027: both fall at the weekend; Monday 27th and Tuesday 28th are the substitutes.
    assert not calendar.is_working_day(D(2027, 12, 27))
    assert not calendar.is_working_day(D(2027, 12, 28))
    assert calendar.add_working_days(D(2027, 12, 24), 1) == D(2027, 12, 29)
    # New Year's Day.
    assert calendar.add_working_days(D(2026, 12, 31), 1) == D(2027, 1, 4)


def test_easter_may_and_august_bank_holidays_and_one_off_days():
    calendar = Calendar(trust_id=demo_trust_id())
    for day in (
        D(2026, 4, 3),  # Good Friday
        D(2026, 4, 6),  # Easter Monday
        D(2026, 5, 4),  # early May
        D(2026, 5, 25),  # spring
        D(2026, 8, 31),  # summer
        D(2022, 9, 19),  # the State Funeral of Queen Elizabeth II
        D(2022, 6, 3),  # the Platinum Jubilee
    ):
        assert not calendar.is_working_day(day), day
    assert calendar.add_working_days(D(2026, 4, 2), 1) == D(2026, 4, 7)


def test_holidays_elsewhere_in_the_uk_are_working_days_in_england():
    calendar = Calendar(trust_id=demo_trust_id())
    scotland = holidays.country_holidays("GB", subdiv="SCT", years=2026)
    northern_ireland = holidays.country_holidays("GB", subdiv="NIR", years=2026)
    assert D(2026, 1, 2) in scotland and calendar.is_working_day(D(2026, 1, 2))
    assert D(2026, 11, 30) in scotland and calendar.is_working_day(D(2026, 11, 30))
    assert D(2026, 3, 17) in northern_ireland and calendar.is_working_day(D(2026, 3, 17))


def test_trust_closure_days_count_for_every_school(schools):
    ClosureDay.objects.create(
        trust_id=demo_trust_id(), date=D(2026, 3, 16), description="Trust-wide training day"
    )
    for calendar in (
        Calendar(trust_id=demo_trust_id()),
        *(Calendar(trust_id=demo_trust_id(), school_id=school.pk) for school in schools),
    ):
        assert not calendar.is_working_day(D(2026, 3, 16))
        assert calendar.add_working_days(D(2026, 3, 13), 1) == D(2026, 3, 17)


def test_a_schools_closure_days_count_only_for_that_school(schools):
    bernadettes, thomas_more = schools
    ClosureDay.objects.create(
        trust_id=demo_trust_id(),
        date=D(2026, 3, 16),
        school=bernadettes,
        description="INSET day at St Bernadette's",
    )
    assert Calendar(trust_id=demo_trust_id(), school_id=bernadettes.pk).add_working_days(
        D(2026, 3, 13), 1
    ) == D(2026, 3, 17)
    assert Calendar(trust_id=demo_trust_id(), school_id=thomas_more.pk).add_working_days(
        D(2026, 3, 13), 1
    ) == D(2026, 3, 16)
    assert Calendar(trust_id=demo_trust_id()).add_working_days(D(2026, 3, 13), 1) == D(2026, 3, 16)


def test_working_days_between_counts_the_end_but_not_the_start():
    calendar = Calendar(trust_id=demo_trust_id())
    assert calendar.working_days_between(D(2026, 12, 24), D(2026, 12, 31)) == 3
    assert calendar.working_days_between(D(2026, 3, 16), D(2026, 3, 16)) == 0


@given(
    start=st.dates(D(2025, 1, 1), D(2028, 12, 31)),
    span=st.integers(-10, 800),
)
@hypothesis_settings(max_examples=60, deadline=None)
def test_working_days_between_is_the_working_days_counted_one_by_one(start, span):
    """However long the span, over new year and round closure days and bank holidays."""
    calendar = Calendar(trust_id=demo_trust_id())
    calendar._closures = {D(2026, 2, 16), D(2026, 2, 17), D(2027, 7, 24), D(2028, 1, 2)}
    end = start + datetime.timedelta(days=span)
    one_by_one = sum(
        calendar.is_working_day(start + datetime.timedelta(days=n)) for n in range(1, span + 1)
    )
    assert calendar.working_days_between(start, end) == one_by_one


def test_working_days_only_count_forwards():
    with pytest.raises(ValueError, match="forwards"):
        Calendar(trust_id=demo_trust_id()).add_working_days(D(2026, 3, 16), -1)


# --- Triage ---------------------------------------------------------------------------------


def test_triage_is_due_two_working_days_after_the_concern_arrived(schools, settings):
    _, school = schools
    christmas_eve = unsaved_case(school, status=Status.RECEIVED, raised_at=at(D(2026, 12, 24)))
    assert deadlines.action_due_on(christmas_eve) == D(2026, 12, 30)
    procedure_setting(settings, TRIAGE_WORKING_DAYS=3)
    assert deadlines.action_due_on(christmas_eve) == D(2026, 12, 31)
    procedure_setting(settings, TRIAGE_WORKING_DAYS=4)
    assert deadlines.action_due_on(christmas_eve) == D(2027, 1, 4)


def test_triage_counts_from_the_day_in_england_not_in_utc(schools):
    _, school = schools
    # 23:30 on Thursday in UTC is 00:30 on Friday in London (summer time).
    late = unsaved_case(
        school,
        status=Status.TRIAGE,
        raised_at=datetime.datetime(2026, 6, 18, 23, 30, tzinfo=datetime.UTC),
    )
    assert deadlines.action_due_on(late) == D(2026, 6, 23)


def test_a_new_concern_gets_its_triage_date_from_the_settings(settings):
    procedure_setting(settings, TRIAGE_WORKING_DAYS=7)
    case = case_at(Status.RECEIVED)
    calendar = Calendar.of_case(case)
    assert case.action_due_on == calendar.add_working_days(timezone.localdate(), 7)


# --- The LADO referral ----------------------------------------------------------------------


def test_the_lado_referral_is_due_one_working_day_after_it_reached_the_dsl(schools, settings):
    bernadettes, _ = schools
    case = unsaved_case(
        bernadettes,
        status=Status.SAFEGUARDING_REVIEW,
        raised_at=at(D(2026, 12, 21)),
        safeguarding_since=at(D(2026, 12, 24), 16, 45),
    )
    assert deadlines.lado_referral_due(case) == D(2026, 12, 29)
    assert deadlines.action_due_on(case) == D(2026, 12, 29)
    ClosureDay.objects.create(
        trust_id=demo_trust_id(), date=D(2026, 12, 29), school=bernadettes, description="Closed"
    )
    assert deadlines.lado_referral_due(case) == D(2026, 12, 30)
    procedure_setting(settings, LADO_REFERRAL_WORKING_DAYS=2)
    assert deadlines.lado_referral_due(case) == D(2026, 12, 31)


def test_a_safeguarding_concern_arriving_on_a_friday_is_referred_by_monday(schools):
    _, school = schools
    case = unsaved_case(school, status=Status.SAFEGUARDING_REVIEW, raised_at=at(D(2026, 3, 13), 15))
    assert deadlines.lado_referral_due(case) == D(2026, 3, 16)


# --- Hearing notice -------------------------------------------------------------------------


def _hearing_on(case, day: D) -> hearings.Arrangement:
    plan = arrangement(case, ("Catherine", "Walsh"))
    plan.starts_at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))
    return plan


def test_a_hearing_needs_five_working_days_notice_and_a_closure_day_moves_it(settings):
    case = case_at(Status.HEARING_TO_ARRANGE)
    today = timezone.localdate()
    calendar = Calendar.of_case(case)
    earliest = calendar.add_working_days(today, 5)
    hearings.check_notice(case, _hearing_on(case, earliest))  # accepted
    with pytest.raises(RuleBroken, match="needs 5 working days' notice"):
        hearings.check_notice(case, _hearing_on(case, calendar.add_working_days(today, 4)))

    # A closure day inside the notice period pushes the earliest date on by one.
    ClosureDay.objects.create(
        trust_id=demo_trust_id(),
        date=calendar.add_working_days(today, 2),
        school=case.school,
        description="INSET day",
    )
    with pytest.raises(RuleBroken, match=f"the earliest date is {_long(_next_wd(case, earliest))}"):
        hearings.check_notice(case, _hearing_on(case, earliest))

    procedure_setting(settings, HEARING_NOTICE_WORKING_DAYS=3)
    sooner = Calendar.of_case(case).add_working_days(today, 3)
    hearings.check_notice(case, _hearing_on(case, sooner))


def _next_wd(case, day: D) -> D:
    return Calendar.of_case(case).add_working_days(day, 1)


def _long(day: D) -> str:
    return f"{day:%A %d %B %Y}"


def test_a_hearing_cannot_be_on_a_bank_holiday_or_a_closure_day():
    case = case_at(Status.HEARING_TO_ARRANGE)
    today = timezone.localdate()
    after_notice = Calendar.of_case(case).add_working_days(today, 5)
    bank_holiday = min(
        day
        for year in (today.year, today.year + 1)
        for day in holidays.country_holidays("GB", subdiv="ENG", years=year)
        if day > after_notice and day.weekday() < 5
    )
    with pytest.raises(RuleBroken, match="is not a working day"):
        hearings.check_notice(case, _hearing_on(case, bank_holiday))
    closure = Calendar.of_case(case).add_working_days(after_notice, 2)
    ClosureDay.objects.create(
        trust_id=demo_trust_id(), date=closure, school=case.school, description="INSET day"
    )
    with pytest.raises(RuleBroken, match="is not a working day"):
        hearings.check_notice(case, _hearing_on(case, closure))


# --- Appeal deadline and live periods ------------------------------------------------------------


def test_the_appeal_deadline_is_ten_working_days_after_the_outcome(schools, settings):
    bernadettes, thomas_more = schools
    case = unsaved_case(bernadettes)
    # Friday 18 December 2026: Christmas, Boxing Day (observed) and New Year's Day fall inside.
    assert outcomes.appeal_deadline(case, D(2026, 12, 18)) == D(2027, 1, 6)
    ClosureDay.objects.create(
        trust_id=demo_trust_id(), date=D(2027, 1, 4), school=bernadettes, description="INSET day"
    )
    assert outcomes.appeal_deadline(case, D(2026, 12, 18)) == D(2027, 1, 7)
    assert outcomes.appeal_deadline(unsaved_case(thomas_more), D(2026, 12, 18)) == D(2027, 1, 6)
    procedure_setting(settings, APPEAL_WORKING_DAYS=5)
    assert outcomes.appeal_deadline(unsaved_case(thomas_more), D(2026, 12, 18)) == D(2026, 12, 29)


def test_an_issued_outcome_opens_the_appeal_window_from_the_settings(settings):
    procedure_setting(settings, APPEAL_WORKING_DAYS=3)
    case = case_at(Status.OUTCOME_ISSUED)
    assert case.appeal_deadline == Calendar.of_case(case).add_working_days(timezone.localdate(), 3)


def test_a_warning_is_live_from_the_day_of_issue():
    first = Sanction.FIRST_WRITTEN_WARNING
    final = Sanction.FINAL_WRITTEN_WARNING
    assert outcomes.warning_expiry(first, D(2026, 1, 15), trust=demo_trust_id()) == D(2026, 7, 14)
    assert outcomes.warning_expiry(final, D(2026, 1, 15), trust=demo_trust_id()) == D(2027, 1, 14)
    assert outcomes.warning_expiry(first, D(2026, 3, 1), trust=demo_trust_id()) == D(2026, 8, 31)
    for other in (Sanction.NO_ACTION, Sanction.MANAGEMENT_ADVICE, Sanction.SUMMARY_DISMISSAL):
        assert outcomes.warning_expiry(other, D(2026, 1, 15), trust=demo_trust_id()) is None


def test_live_periods_come_from_the_settings(settings):
    procedure_setting(settings, FIRST_WARNING_LIVE_MONTHS=3, FINAL_WARNING_LIVE_MONTHS=24)
    assert outcomes.warning_expiry(
        Sanction.FIRST_WRITTEN_WARNING, D(2026, 1, 15), trust=demo_trust_id()
    ) == D(2026, 4, 14)
    assert outcomes.warning_expiry(
        Sanction.FINAL_WRITTEN_WARNING, D(2026, 1, 15), trust=demo_trust_id()
    ) == D(2028, 1, 14)


# --- Other targets ----------------------------------------------------------------------------


def test_stage_targets_count_working_days_from_entering_the_stage(schools, settings):
    _, school = schools
    sign_off = unsaved_case(
        school, status=Status.AWAITING_SIGN_OFF, stage_entered_at=at(D(2026, 12, 23), 11)
    )
    assert deadlines.action_due_on(sign_off) == D(2026, 12, 30)
    procedure_setting(settings, SIGN_OFF_WORKING_DAYS=1)
    assert deadlines.action_due_on(sign_off) == D(2026, 12, 24)
    investigating = unsaved_case(
        school, status=Status.INVESTIGATION, stage_entered_at=at(D(2026, 3, 2))
    )
    procedure_setting(settings, INVESTIGATION_TARGET_WORKING_DAYS=20)
    assert deadlines.action_due_on(investigating) == D(2026, 3, 30)
    procedure_setting(settings, INVESTIGATION_TARGET_WORKING_DAYS=25)
    assert deadlines.action_due_on(investigating) == D(2026, 4, 8)  # over Easter
    on_hold = unsaved_case(
        school, status=Status.ON_HOLD_EXTERNAL, stage_entered_at=at(D(2026, 3, 2))
    )
    assert deadlines.action_due_on(on_hold) is None


# --- Calendar months: the corresponding-date rule ---------------------------------------------


@pytest.mark.parametrize(
    ("issued", "months", "last_live_day"),
    [
        # A day with a match in the end month: live to the day before it.
        (D(2026, 1, 15), 6, D(2026, 7, 14)),
        (D(2026, 3, 1), 6, D(2026, 8, 31)),
        (D(2026, 8, 28), 6, D(2027, 2, 27)),
        (D(2026, 12, 31), 12, D(2027, 12, 30)),
        # 29, 30 and 31 August have no match in February: live to its last day.
        (D(2026, 8, 29), 6, D(2027, 2, 28)),
        (D(2026, 8, 30), 6, D(2027, 2, 28)),
        (D(2026, 8, 31), 6, D(2027, 2, 28)),
        # Leap years: February 2028 has a 29th, so only 30 and 31 August lack a match.
        (D(2027, 8, 29), 6, D(2028, 2, 28)),
        (D(2027, 8, 30), 6, D(2028, 2, 29)),
        (D(2027, 8, 31), 6, D(2028, 2, 29)),
        (D(2028, 2, 29), 12, D(2029, 2, 28)),
        (D(2027, 2, 28), 12, D(2028, 2, 27)),
        # One month from the end of January, and six from the end of March.
        (D(2026, 1, 31), 1, D(2026, 2, 28)),
        (D(2028, 1, 31), 1, D(2028, 2, 29)),
        (D(2026, 1, 30), 1, D(2026, 2, 28)),
        (D(2026, 1, 28), 1, D(2026, 2, 27)),
        (D(2026, 3, 31), 6, D(2026, 9, 30)),
        (D(2026, 5, 31), 1, D(2026, 6, 30)),
    ],
)
def test_a_live_period_counts_its_first_day_and_ends_at_the_corresponding_date(
    settings, issued, months, last_live_day
):
    procedure_setting(settings, FIRST_WARNING_LIVE_MONTHS=months, FINAL_WARNING_LIVE_MONTHS=months)
    assert last_day_of_months(issued, months) == last_live_day
    for warning in (Sanction.FIRST_WRITTEN_WARNING, Sanction.FINAL_WRITTEN_WARNING):
        assert outcomes.warning_expiry(warning, issued, trust=demo_trust_id()) == last_live_day


def test_a_live_period_is_never_shorter_for_starting_at_a_month_end():
    """Warnings issued on later days never expire earlier, and each is live at least the
    number of days its calendar months hold."""
    day, previous = D(2026, 1, 1), None
    while day < D(2029, 1, 1):
        expiry = last_day_of_months(day, 6)
        if previous is not None:
            assert expiry >= previous, day
        assert (expiry - day).days + 1 >= 181, day  # six months hold at least 181 days
        previous, day = expiry, day + datetime.timedelta(days=1)


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (D(2026, 9, 3), D(2026, 10, 5)),  # the corresponding date is a Saturday
        (D(2026, 1, 31), D(2026, 3, 2)),  # no 31 February: 28 February, a Saturday
        (D(2028, 1, 31), D(2028, 2, 29)),  # leap year: 29 February, a Tuesday
        (D(2026, 11, 25), D(2026, 12, 29)),  # 25 December, then Boxing Day substitute
        (D(2026, 3, 10), D(2026, 4, 10)),
    ],
)
def test_the_month_of_a_subject_access_request_is_the_corresponding_date(received, due):
    """ICO: from the day of receipt to the corresponding calendar date of the next month (its
    last day if it has none), moved to the next working day if that is not one."""
    from casework.services.subject_access import subject_access_due

    assert subject_access_due(received, extended=False, trust=demo_trust_id()) == due


def test_a_warning_issued_at_a_month_end_expires_by_the_rule_over_http(sign_in, time_machine):
    """HR issues a first written warning on Tuesday 31 August 2027: it is live to the last
    day of February 2028, the 29th, as the letter and the case page say."""
    from .test_lifecycle_http import task_form

    time_machine.move_to(at(D(2027, 8, 31), 9), tick=False)
    case = case_at(Status.SIGNED_OFF)
    assert case.sanction == Sanction.FIRST_WRITTEN_WARNING
    client = sign_in("Hannah", "Reid")
    url = task_form(client, case, "issue_outcome")
    preview = client.post(url, {"action": "preview"})
    assert preview.status_code == 200
    assert "to 29 February 2028 inclusive" in preview.content.decode()
    digest = preview.context["form"].data["digest"]
    issued = client.post(url, {"action": "issue", "confirm": "on", "digest": digest})
    assert issued.status_code == 302
    case = Case.objects.get(pk=case.pk)
    assert case.outcome_issued_on == D(2027, 8, 31)
    assert case.warning_expires_on == D(2028, 2, 29)
    page = client.get(reverse("casework:case", args=[case.reference])).content.decode()
    assert "29 February 2028" in page
