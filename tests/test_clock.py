"""The suite's clock (see the root conftest): a fixed, selectable day that every test starts at."""

import datetime
import time

from django.utils import timezone

from conftest import frozen_moment


def test_today_is_the_frozen_day_in_the_project_time_zone():
    assert timezone.localdate() == frozen_moment().date()
    assert datetime.date.today() == frozen_moment().date()


def test_each_test_starts_at_the_frozen_moment_and_the_clock_ticks_on():
    start = frozen_moment()
    first = timezone.now()
    assert datetime.timedelta(0) <= first - start < datetime.timedelta(minutes=1)
    time.sleep(0.01)
    assert timezone.now() > first
