"""Lists write their dates with ``quick_date``, a quicker |date: it must write every date
and time exactly as Django's |date does, in the trust's time zone, summer time included."""

import datetime

from django.template import Context, Template
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

# Every format the lists use, and one they do not (written by Django's |date itself).
DATE_FORMATS = ["j M Y", "D j M Y", "Y-m-d", "l j F Y"]
TIME_FORMATS = [*DATE_FORMATS, "c", "D j M Y, H:i", "j M Y H:i:s", "j F Y, H:i"]


def written(value, format_string: str, filter_name: str) -> str:
    template = Template(f"{{% load casework %}}{{{{ value|{filter_name}:format }}}}")
    return template.render(Context({"value": value, "format": format_string}))


@hypothesis_settings(max_examples=200, deadline=None)
@given(
    moment=st.datetimes(
        min_value=datetime.datetime(1990, 1, 1),
        max_value=datetime.datetime(2100, 12, 31),
        timezones=st.just(datetime.UTC),
    ),
    format_string=st.sampled_from(TIME_FORMATS),
)
def test_a_time_is_written_as_django_writes_it_in_the_local_time_zone(moment, format_string):
    assert written(moment, format_string, "quick_date") == written(moment, format_string, "date")


@hypothesis_settings(max_examples=100, deadline=None)
@given(
    day=st.dates(min_value=datetime.date(1990, 1, 1), max_value=datetime.date(2100, 12, 31)),
    format_string=st.sampled_from(DATE_FORMATS),
)
def test_a_date_is_written_as_django_writes_it(day, format_string):
    assert written(day, format_string, "quick_date") == written(day, format_string, "date")


def test_an_evening_in_summer_is_the_next_day_in_london_past_midnight():
    # 23:30 UTC on 30 June is 00:30 on 1 July in London (British Summer Time).
    moment = datetime.datetime(2026, 6, 30, 23, 30, tzinfo=datetime.UTC)
    assert written(moment, "D j M Y, H:i", "quick_date") == "Wed 1 Jul 2026, 00:30"


def test_nothing_is_written_for_no_date():
    assert written(None, "j M Y", "quick_date") == ""
