"""add_workdays / notice_end under weekends, holidays and adjusted workdays (no database)."""

import datetime

import pytest

from recognition.workdays import add_workdays, is_workday, notice_end

D = datetime.date

# The 2025 arrangement (国办发明电〔2024〕12号), as in migration 0002.
NATIONAL_DAY_2025 = {D(2025, 10, d) for d in range(1, 9)}
SPRING_2025 = {D(2025, 1, 28) + datetime.timedelta(days=i) for i in range(8)}
ADJUSTED_2025 = {D(2025, 1, 26), D(2025, 2, 8), D(2025, 4, 27), D(2025, 9, 28), D(2025, 10, 11)}
HOLIDAYS_2025 = NATIONAL_DAY_2025 | SPRING_2025


def test_zero_days_is_the_start_itself():
    assert add_workdays(D(2025, 3, 5), 0) == D(2025, 3, 5)


def test_it_skips_the_weekend():
    # Friday + 1 working day = Monday
    assert add_workdays(D(2025, 3, 7), 1) == D(2025, 3, 10)
    assert add_workdays(D(2025, 3, 6), 5) == D(2025, 3, 13)


def test_it_skips_a_holiday_on_a_weekday():
    assert add_workdays(D(2025, 4, 3), 1, holidays={D(2025, 4, 4)}) == D(2025, 4, 7)


def test_an_adjusted_saturday_counts_as_a_workday():
    assert is_workday(D(2025, 10, 11), HOLIDAYS_2025, ADJUSTED_2025)
    assert not is_workday(D(2025, 10, 11), HOLIDAYS_2025, set())
    assert add_workdays(D(2025, 2, 7), 1, HOLIDAYS_2025, ADJUSTED_2025) == D(2025, 2, 8)


def test_a_notice_starting_before_national_day_ends_after_the_holiday_week():
    # 9/30 (day 1), 10/1–8 off, 10/9 (2), 10/10 (3), 10/11 adjusted Saturday (4), 10/13 (5).
    assert notice_end(D(2025, 9, 30), 5, HOLIDAYS_2025, ADJUSTED_2025) == D(2025, 10, 13)
    # Without the 调休 Saturday it would run a day longer.
    assert notice_end(D(2025, 9, 30), 5, HOLIDAYS_2025, set()) == D(2025, 10, 14)
    # Without the holiday calendar at all it would end inside the holiday week.
    assert notice_end(D(2025, 9, 30), 5) == D(2025, 10, 6)
    # The adjusted Sunday before the holiday counts too.
    assert notice_end(D(2025, 9, 28), 3, HOLIDAYS_2025, ADJUSTED_2025) == D(2025, 9, 30)


def test_across_the_spring_festival():
    # 1/26 is an adjusted Sunday; 1/27 Monday; 1/28–2/4 off; 2/5 Wednesday.
    assert add_workdays(D(2025, 1, 25), 3, HOLIDAYS_2025, ADJUSTED_2025) == D(2025, 2, 5)


def test_a_notice_starting_on_a_holiday_counts_from_the_next_workday():
    assert notice_end(D(2025, 10, 3), 1, HOLIDAYS_2025, ADJUSTED_2025) == D(2025, 10, 9)


def test_it_refuses_negative_and_absurd_counts():
    with pytest.raises(ValueError):
        add_workdays(D(2025, 1, 1), -1)
    with pytest.raises(ValueError):
        notice_end(D(2025, 1, 1), 0)
    with pytest.raises(ValueError):
        add_workdays(D(2025, 1, 1), 10_000)


@pytest.mark.django_db
def test_the_seeded_calendar_carries_the_2025_and_2026_arrangements():
    from recognition.services import calendar_sets, compute_notice_end

    holidays, adjusted = calendar_sets(D(2025, 1, 1), D(2026, 12, 31))
    assert holidays >= NATIONAL_DAY_2025 and adjusted >= ADJUSTED_2025
    assert D(2026, 2, 17) in holidays and D(2026, 2, 14) in adjusted
    assert compute_notice_end(D(2025, 9, 30), 5) == D(2025, 10, 13)
