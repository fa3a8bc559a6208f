"""Periods counted in years, as the Measures count them.

The Measures say "申报截止日前3年内", "申报日期前5年之内", "不低于2年", "3年内不得再次申报".
We read them with the Civil Code's rules on periods: a period in years ends on the corresponding
day, and when that month has no corresponding day (29 February in a common year) on the last day
of the month (民法典第二百零二条); "以内" and "不低于" include the boundary itself (第一千二百五
十九条). So a window of n years before a reference day includes both the reference day and the
day n years earlier.
"""

from __future__ import annotations

from datetime import date


def add_years(day: date, years: int) -> date:
    """The corresponding day `years` later (negative: earlier); 29 February → 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a common year: the month's last day (Civil Code Art.202)
        return day.replace(year=day.year + years, day=28)


def window_start(reference: date, years: int) -> date:
    """First day of the `years`-year window that ends on `reference` (both ends included)."""
    return add_years(reference, -years)


def within_years_before(event: date, reference: date, years: int) -> bool:
    """True when `event` lies in the `years` years up to `reference`, both ends included."""
    return window_start(reference, years) <= event <= reference
