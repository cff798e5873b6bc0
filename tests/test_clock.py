"""The moment Casework records: the current time, or one a caller states explicitly."""

import datetime

import pytest
from django.utils import timezone

from casework import clock


def test_without_a_stated_moment_it_is_the_current_time():
    before = timezone.now()
    assert before <= clock.now() <= timezone.now()
    assert clock.today() == timezone.localdate()


def test_a_stated_moment_holds_inside_the_block_only_and_reads_back_in_utc():
    summer_evening = timezone.make_aware(datetime.datetime(2026, 7, 31, 23, 30))  # London
    with clock.recorded_at(summer_evening):
        assert clock.now() == summer_evening
        assert clock.now().tzinfo == datetime.UTC  # stored and read back alike
        assert clock.today() == datetime.date(2026, 7, 31)  # the local day, not UTC's
    assert abs(clock.now() - timezone.now()) < datetime.timedelta(seconds=5)


def test_a_moment_without_a_time_zone_is_refused():
    naive = datetime.datetime(2026, 7, 31, 12)
    with pytest.raises(ValueError, match="aware"), clock.recorded_at(naive):
        pass
