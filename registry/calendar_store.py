"""Holiday tables persisted in the database and the working-day calendar built from them.

`registry.workdays.WorkCalendar` knows the years `chinese-calendar` covers; staff load tables
for other years (`funeng registry calendar load FILE`), which are kept here and passed in.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from registry.actor import Actor, require_role
from registry.audit import record
from registry.enums import Role
from registry.models.calendar import CalendarDay, CalendarYear
from registry.workdays import WorkCalendar, YearTable

_CACHE_KEY = "funeng_work_calendar"


def year_tables(session: Session) -> list[YearTable]:
    """Every loaded holiday table, by year."""
    years = session.scalars(select(CalendarYear).order_by(CalendarYear.year)).all()
    days = session.scalars(select(CalendarDay)).all()
    return [
        YearTable(
            year=y.year,
            holidays=frozenset(d.day for d in days if d.year == y.year and not d.is_working_day),
            workdays=frozenset(d.day for d in days if d.year == y.year and d.is_working_day),
            source=y.source,
        )
        for y in years
    ]


def work_calendar(session: Session) -> WorkCalendar:
    """The calendar with this database's loaded tables (built once per session)."""
    calendar = session.info.get(_CACHE_KEY)
    if not isinstance(calendar, WorkCalendar):
        calendar = WorkCalendar(extra_tables=year_tables(session))
        session.info[_CACHE_KEY] = calendar
    return calendar


def save_year_tables(
    *, session: Session, actor: Actor, now: datetime, tables: list[YearTable]
) -> list[int]:
    """Store holiday tables, each replacing any earlier table of its year; returns the years."""
    require_role(actor, Role.PROVINCIAL_STAFF, Role.ADMIN)
    WorkCalendar(extra_tables=tables)  # refuses a year given twice
    for table in tables:
        existing = session.get(CalendarYear, table.year)
        before = None
        if existing is not None:
            before = {"source": existing.source}
            session.execute(delete(CalendarDay).where(CalendarDay.year == table.year))
            session.delete(existing)
            session.flush()
        session.add(CalendarYear(year=table.year, source=table.source or "", loaded_at=now))
        session.flush()
        session.add_all(
            [CalendarDay(day=d, year=table.year, is_working_day=False) for d in table.holidays]
            + [CalendarDay(day=d, year=table.year, is_working_day=True) for d in table.workdays]
        )
        record(
            session,
            actor=actor,
            now=now,
            action="calendar.load",
            object_type="calendar_year",
            object_id=table.year,
            before=before,
            after={
                "source": table.source,
                "holidays": len(table.holidays),
                "workdays": len(table.workdays),
            },
        )
    session.flush()
    session.info.pop(_CACHE_KEY, None)
    return [table.year for table in tables]
