"""Calendar-month periods and rest-day extensions (Civil Code Art.202-203) on real Chinese
holidays: the six months of a warning (Art.19(1)) and the 31 March deadline (Art.18)."""

from __future__ import annotations

from datetime import date

import pytest

from registry.errors import CalendarNotCovered
from registry.services.periods import (
    add_months,
    annual_report_due_on,
    is_past,
    months_deadline,
    next_working_day,
)
from registry.workdays import WorkCalendar, YearTable

CALENDAR = WorkCalendar()


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2025, 3, 15), 6, date(2025, 9, 15)),  # the corresponding day
        (date(2025, 8, 31), 6, date(2026, 2, 28)),  # no 31 February: the month's last day
        (date(2027, 8, 31), 6, date(2028, 2, 29)),  # ... which in a leap year is the 29th
        (date(2025, 8, 30), 6, date(2026, 2, 28)),
        (date(2025, 8, 29), 6, date(2026, 2, 28)),
        (date(2025, 8, 28), 6, date(2026, 2, 28)),
        (date(2025, 7, 31), 6, date(2026, 1, 31)),
        (date(2025, 12, 31), 6, date(2026, 6, 30)),  # across the year, 30-day June
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2025, 3, 31), -1, date(2025, 2, 28)),  # backwards too
        (date(2025, 1, 15), 0, date(2025, 1, 15)),
    ],
)
def test_add_months(start: date, months: int, expected: date) -> None:
    assert add_months(start, months) == expected


def test_a_make_up_saturday_is_a_working_day_so_the_deadline_stays() -> None:
    # 31 August 2025 + 6 months = Saturday 28 February 2026, a make-up working day (调休上班).
    assert date(2026, 2, 28).weekday() == 5
    assert months_deadline(date(2025, 8, 31), 6, CALENDAR) == date(2026, 2, 28)


def test_a_deadline_in_the_spring_festival_moves_to_the_first_working_day_after() -> None:
    # 17 February 2026 is in the 2026 Spring Festival holiday (15-23 February).
    assert months_deadline(date(2025, 8, 17), 6, CALENDAR) == date(2026, 2, 24)
    assert months_deadline(date(2025, 8, 14), 6, CALENDAR) == date(2026, 2, 14)  # make-up Sat


def test_a_deadline_on_a_sunday_moves_to_monday() -> None:
    assert months_deadline(date(2025, 8, 1), 6, CALENDAR) == date(2026, 2, 2)


def test_next_working_day_across_national_day() -> None:
    assert next_working_day(date(2025, 10, 1), CALENDAR) == date(2025, 10, 9)
    assert next_working_day(date(2025, 9, 28), CALENDAR) == date(2025, 9, 28)  # make-up Sunday


def test_annual_report_deadline_is_31_march_or_the_next_working_day() -> None:
    assert annual_report_due_on(2025, CALENDAR) == date(2026, 3, 31)  # a Tuesday
    assert annual_report_due_on(2023, CALENDAR) == date(2024, 4, 1)  # 31 March 2024: Sunday


def test_a_loaded_table_decides_deadlines_in_its_year() -> None:
    loaded = WorkCalendar([YearTable(2027, frozenset({date(2027, 4, 5)}), frozenset())])
    assert annual_report_due_on(2026, loaded) == date(2027, 3, 31)
    leap = WorkCalendar([YearTable(2028, frozenset(), frozenset())])
    assert months_deadline(date(2027, 8, 31), 6, leap) == date(2028, 2, 29)  # a Tuesday


def test_a_period_ending_in_a_year_without_data_keeps_its_calendar_end_for_now() -> None:
    # A warning given on 2026-11-26 runs to 2027-05-26; 2027 has no holiday data yet, so the
    # deadline is stored as the calendar end and the Civil Code extension waits for the data.
    assert months_deadline(date(2026, 11, 26), 6, CALENDAR) == date(2027, 5, 26)
    assert annual_report_due_on(2026, CALENDAR) == date(2027, 3, 31)
    # Before the calendar end nothing needs the data; after it, the answer is refused, not guessed.
    assert not is_past(date(2027, 5, 26), date(2027, 5, 26), CALENDAR)
    with pytest.raises(CalendarNotCovered):
        is_past(date(2027, 5, 26), date(2027, 5, 27), CALENDAR)


def test_is_past_extends_a_last_day_that_is_a_rest_day() -> None:
    # 2027-05-01 a (loaded) holiday through 05-05: a period ending on 05-01 runs to 05-06.
    holidays = frozenset(date(2027, 5, d) for d in range(1, 6))
    loaded = WorkCalendar([YearTable(2027, holidays, frozenset())])
    assert not is_past(date(2027, 5, 1), date(2027, 5, 6), loaded)
    assert is_past(date(2027, 5, 1), date(2027, 5, 7), loaded)
    # an ordinary working last day: past the day after
    assert is_past(date(2026, 11, 26), date(2026, 11, 27), CALENDAR)
