"""Calendar-month periods and deadlines that move past rest days, as the Civil Code counts them.

The Measures give the provider "6个月内整改" (Art.19(1)) and "每年3月底前" (Art.18). We read them
with the Civil Code: a period in months ends on the corresponding day of the last month, or on
that month's last day when it has no corresponding day (民法典第二百零二条: a warning of
31 August is due on 28 February, or 29 February in a leap year); and when the last day is a
rest day (weekend or statutory holiday, make-up working days counting as working days), the
period ends on the next working day (第二百零三条).

Whether a day is a rest day is known only for years with holiday data (chinese-calendar, or a
table staff loaded). A period ending in a year without it keeps its calendar end for now
(`period_end`), and the extension is applied when it matters — when someone asks whether the
period is over (`is_past`), which refuses with `CalendarNotCovered` rather than guess. So a
warning can be given in November for a deadline next May before next year's holidays are
published, and nobody is ever held late on a day that turns out to be a holiday.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from registry.errors import CalendarNotCovered
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


def period_end(day: date, work_calendar: WorkCalendar) -> date:
    """`day` moved past rest days when its year has holiday data; else `day` itself, to be
    extended by `is_past` once the data is there."""
    try:
        return next_working_day(day, work_calendar)
    except CalendarNotCovered:
        return day


def is_past(due_on: date, today: date, work_calendar: WorkCalendar) -> bool:
    """True when `today` is after the last day `due_on`, extended past rest days (Civil Code
    203); raises CalendarNotCovered when that extension cannot be known yet."""
    if today <= due_on:
        return False
    return today > next_working_day(due_on, work_calendar)


def months_deadline(start: date, months: int, work_calendar: WorkCalendar) -> date:
    """The last day of a period of `months` months decided on `start` (Civil Code 202-203)."""
    return period_end(add_months(start, months), work_calendar)


def annual_report_due_on(year: int, work_calendar: WorkCalendar) -> date:
    """Art.18: the report on `year` is due by 31 March of the next year, or the next working day."""
    return period_end(date(year + 1, 3, 31), work_calendar)
