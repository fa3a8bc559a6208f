"""Year arithmetic of the Measures' periods, including 29 February."""

from __future__ import annotations

from datetime import date

import pytest

from registry.rules.periods import add_years, window_start, within_years_before


@pytest.mark.parametrize(
    ("day", "years", "expected"),
    [
        (date(2024, 3, 10), 3, date(2027, 3, 10)),
        (date(2024, 2, 29), 3, date(2027, 2, 28)),  # no 29 February: month end (Civil Code 202)
        (date(2024, 2, 29), 4, date(2028, 2, 29)),
        (date(2028, 2, 29), -3, date(2025, 2, 28)),
        (date(2025, 12, 31), -5, date(2020, 12, 31)),
        (date(2025, 1, 1), 0, date(2025, 1, 1)),
    ],
)
def test_add_years(day: date, years: int, expected: date) -> None:
    assert add_years(day, years) == expected


def test_window_includes_both_ends() -> None:
    reference = date(2025, 9, 30)
    assert window_start(reference, 3) == date(2022, 9, 30)
    assert within_years_before(date(2022, 9, 30), reference, 3)
    assert within_years_before(reference, reference, 3)
    assert not within_years_before(date(2022, 9, 29), reference, 3)
    assert not within_years_before(date(2025, 10, 1), reference, 3)


def test_window_from_29_february() -> None:
    assert within_years_before(date(2025, 2, 28), date(2028, 2, 29), 3)
    assert not within_years_before(date(2025, 2, 27), date(2028, 2, 29), 3)
