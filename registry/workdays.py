"""Chinese working days for the deadlines of the Measures (Art.13: 10, Art.14: 5, Art.15: 5).

A working day is a Monday-Friday that is not a statutory holiday, or a weekend day declared a
make-up working day (调休上班). Years 2004-2026 come from the `chinese-calendar` package; other
years need a holiday table loaded by staff from the State Council's yearly notice
(国务院办公厅关于××年部分节假日安排的通知). A year that is neither covered nor loaded raises
`CalendarNotCovered`: a deadline is never guessed from plain weekends.

Holiday table format (YAML, or the same structure in JSON with dates as "YYYY-MM-DD")::

    year: 2027
    source: 国务院办公厅关于2027年部分节假日安排的通知   # optional, for the audit trail
    holidays:            # days off: single dates or inclusive ranges (weekends may be included)
      - 2027-01-01
      - {from: 2027-02-06, to: 2027-02-13}
    workdays:            # make-up working days: each must be a Saturday or Sunday
      - 2027-02-20

A file holds one table as above, or several under ``tables: [...]``. A loaded table replaces
the package's data for its year (so staff can correct a year as well as add one).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import chinese_calendar
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from registry.errors import CalendarNotCovered, InvalidInput

SHANGHAI = ZoneInfo("Asia/Shanghai")
END_OF_DAY = time(23, 59, 59)
# The years chinese-calendar has data for, read from its own tables rather than hard-coded.
PACKAGE_YEARS = range(min(chinese_calendar.holidays).year, max(chinese_calendar.holidays).year + 1)


@dataclass(frozen=True, slots=True)
class YearTable:
    """One year's holiday arrangement: days off and make-up working days."""

    year: int
    holidays: frozenset[date]
    workdays: frozenset[date]
    source: str = ""

    def __post_init__(self) -> None:
        listed = self.holidays | self.workdays
        problems = [f"{d.isoformat()} 不在 {self.year} 年内" for d in listed if d.year != self.year]
        problems += [
            f"{d.isoformat()} 同时列为放假和调休上班" for d in self.holidays & self.workdays
        ]
        problems += [
            f"调休上班日 {d.isoformat()} 不是周六或周日" for d in self.workdays if d.weekday() < 5
        ]
        if problems:
            raise InvalidInput(
                f"{self.year} 年节假日表有误：{'；'.join(sorted(problems))}。",
                code="calendar_table_invalid",
            )

    def is_working_day(self, day: date) -> bool:
        """True for a working day of this year's arrangement."""
        return day in self.workdays or (day.weekday() < 5 and day not in self.holidays)


class WorkCalendar:
    """Working days from `chinese-calendar`, plus loaded tables for the years it lacks."""

    def __init__(self, extra_tables: Iterable[YearTable] = ()) -> None:
        self._tables: dict[int, YearTable] = {}
        for table in extra_tables:
            if table.year in self._tables:
                raise InvalidInput(
                    f"{table.year} 年的节假日表重复载入。", code="calendar_table_duplicate"
                )
            self._tables[table.year] = table

    @property
    def loaded_years(self) -> tuple[int, ...]:
        """Years served by a loaded table, ascending."""
        return tuple(sorted(self._tables))

    def covers(self, year: int) -> bool:
        """True when working days of `year` are known (package data or a loaded table)."""
        return year in self._tables or year in PACKAGE_YEARS

    def is_working_day(self, day: date) -> bool:
        """True for a Chinese working day; CalendarNotCovered for a year without data."""
        table = self._tables.get(day.year)
        if table is not None:
            return table.is_working_day(day)
        if day.year not in PACKAGE_YEARS:
            raise _not_covered(day.year)
        return bool(chinese_calendar.is_workday(day))

    def add_working_days(self, start: date, n: int) -> date:
        """The n-th working day after `start` (`start` itself never counts); n=0 gives `start`."""
        if n < 0:
            raise ValueError("n must be zero or positive")
        day = start
        while n:
            day += timedelta(days=1)
            if self.is_working_day(day):
                n -= 1
        return day

    def due_at(self, received_at: datetime, n: int) -> datetime:
        """End (23:59:59 Asia/Shanghai) of the n-th working day after the day of receipt."""
        if received_at.tzinfo is None or received_at.utcoffset() is None:
            raise ValueError("received_at must be timezone-aware")
        received_on = received_at.astimezone(SHANGHAI).date()
        return datetime.combine(self.add_working_days(received_on, n), END_OF_DAY, SHANGHAI)

    def working_days_between(self, a: date, b: date) -> int:
        """Working days after `a` up to and including `b`; negative when `b` is before `a`.

        The inverse of `add_working_days`: ``working_days_between(a, add_working_days(a, n))
        == n``.
        """
        if b < a:
            return -self.working_days_between(b, a)
        span = (b - a).days
        return sum(self.is_working_day(a + timedelta(days=i)) for i in range(1, span + 1))


def _not_covered(year: int) -> CalendarNotCovered:
    first, last = PACKAGE_YEARS[0], PACKAGE_YEARS[-1]
    return CalendarNotCovered(
        f"{year} 年的法定节假日安排尚未载入：内置日历（chinese-calendar）只覆盖 {first}–{last} 年，"
        f"系统不会只按周末推算工作日。请依据国务院办公厅公布的 {year} 年部分节假日安排通知，"
        "编写该年节假日表（YAML/JSON：year、holidays、workdays，格式见 registry/workdays.py），"
        "载入后重试。",
        loc=("calendar", year),
    )


class _Range(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    start: date = Field(alias="from")
    end: date = Field(alias="to")


class _TableModel(BaseModel):
    model_config = ConfigDict(extra="forbid")

    year: int
    source: str = ""
    holidays: list[date | _Range] = []
    workdays: list[date] = []


class _FileModel(BaseModel):
    model_config = ConfigDict(extra="forbid")

    tables: list[_TableModel]


def parse_year_tables(data: Any) -> list[YearTable]:
    """Year tables from parsed YAML/JSON: one table, or several under ``tables``."""
    try:
        if isinstance(data, dict) and "tables" in data:
            models = _FileModel.model_validate(data).tables
        else:
            models = [_TableModel.model_validate(data)]
    except ValidationError as exc:
        details = "；".join(
            f"{'.'.join(str(p) for p in err['loc']) or '(根)'}：{err['msg']}"
            for err in exc.errors()
        )
        raise InvalidInput(f"节假日表格式有误：{details}。", code="calendar_table_invalid") from exc
    return [_to_table(model) for model in models]


def _to_table(model: _TableModel) -> YearTable:
    days: set[date] = set()
    for item in model.holidays:
        if isinstance(item, date):
            days.add(item)
            continue
        if item.end < item.start:
            raise InvalidInput(
                f"{model.year} 年节假日表有误：区间 {item.start} 至 {item.end} 的结束早于开始。",
                code="calendar_table_invalid",
            )
        days.update(item.start + timedelta(days=i) for i in range((item.end - item.start).days + 1))
    return YearTable(model.year, frozenset(days), frozenset(model.workdays), model.source)


def load_year_tables(path: str | Path) -> list[YearTable]:
    """Read year tables from a ``.json`` file, or YAML for any other extension."""
    import yaml

    text = Path(path).read_text(encoding="utf-8")
    try:
        data = json.loads(text) if Path(path).suffix.lower() == ".json" else yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        raise InvalidInput(
            f"节假日表 {path} 无法解析：{exc}", code="calendar_table_invalid"
        ) from exc
    return parse_year_tables(data)
