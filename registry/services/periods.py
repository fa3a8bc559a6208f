"""Calendar-month periods and deadlines that move past rest days, as the Civil Code counts them.

The Measures give the provider "6个月内整改" (Art.19(1)) and "每年3月底前" (Art.18). We read them
with the Civil Code: a period in months ends on the corresponding day of the last month, or on
that month's last day when it has no corresponding day (民法典第二百零二条: a warning of
31 August is due on 28 February, or 29 February in a leap year); and when the last day is a
rest day (weekend or statutory holiday, make-up working days counting as working days), the
period ends on the next working day (第二百零三条).
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from registry.workdays import WorkCalendar


def add_months(day: date, months: int) -> date:
    """The corresponding day `months` later; the month's last day when it has none."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def next_working_day(day: date, work_calendar: WorkCalendar) -> date:
    """`day` itself when it is a working day, else the first working day after it."""
    while not work_calendar.is_working_day(day):
        day += timedelta(days=1)
    return day


def months_deadline(start: date, months: int, work_calendar: WorkCalendar) -> date:
    """The last day of a period of `months` months decided on `start` (Civil Code 202-203)."""
    return next_working_day(add_months(start, months), work_calendar)


def annual_report_due_on(year: int, work_calendar: WorkCalendar) -> date:
    """Art.18: the report on `year` is due by 31 March of the next year, or the next working day."""
    return next_working_day(date(year + 1, 3, 31), work_calendar)
