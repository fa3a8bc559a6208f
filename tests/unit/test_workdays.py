"""Working-day deadlines across real Chinese holidays, and years loaded from holiday tables."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import chinese_calendar
import pytest

from registry.errors import CalendarNotCovered, InvalidInput
from registry.workdays import (
    PACKAGE_YEARS,
    SHANGHAI,
    WorkCalendar,
    YearTable,
    load_year_tables,
    parse_year_tables,
)

# A made-up 2027 arrangement used as test data only (not the State Council's notice).
TABLE_2027_YAML = """\
year: 2027
source: 测试用节假日表（非官方）
holidays:
  - 2027-01-01
  - {from: 2027-02-06, to: 2027-02-13}
workdays:
  - 2027-02-20
"""


@pytest.fixture
def calendar() -> WorkCalendar:
    return WorkCalendar()


@pytest.fixture
def calendar_2027(tmp_path: Path) -> WorkCalendar:
    path = tmp_path / "2027.yaml"
    path.write_text(TABLE_2027_YAML, encoding="utf-8")
    return WorkCalendar(extra_tables=load_year_tables(path))


def test_package_years_come_from_chinese_calendar() -> None:
    assert (PACKAGE_YEARS.start, PACKAGE_YEARS.stop) == (2004, 2027)


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2025, 9, 28), True),  # Sunday, make-up working day before National Day
        (date(2025, 10, 1), False),
        (date(2025, 10, 8), False),  # Wednesday inside the National Day / Mid-Autumn holiday
        (date(2025, 10, 11), True),  # Saturday, make-up working day
        (date(2025, 10, 12), False),
        (date(2025, 10, 13), True),
    ],
)
def test_is_working_day_2025_national_day(calendar: WorkCalendar, day: date, working: bool) -> None:
    assert calendar.is_working_day(day) is working


def test_received_on_a_make_up_sunday_is_due_after_national_day(calendar: WorkCalendar) -> None:
    received_at = datetime(2025, 9, 28, 15, 30, tzinfo=SHANGHAI)
    due = calendar.due_at(received_at, 10)
    assert due == datetime(2025, 10, 17, 23, 59, 59, tzinfo=SHANGHAI)
    assert due.utcoffset() == timedelta(hours=8)
    # counting only weekends and holidays without the make-up Saturday would give 2025-10-20
    assert calendar.working_days_between(date(2025, 9, 28), date(2025, 10, 17)) == 10
    assert calendar.working_days_between(date(2025, 9, 28), date(2025, 10, 10)) == 4


def test_spring_festival_2026(calendar: WorkCalendar) -> None:
    # holiday 2026-02-15..23; make-up Saturdays 2026-02-14 and 2026-02-28
    assert calendar.add_working_days(date(2026, 2, 13), 1) == date(2026, 2, 14)
    assert calendar.add_working_days(date(2026, 2, 13), 2) == date(2026, 2, 24)
    assert calendar.add_working_days(date(2026, 2, 13), 5) == date(2026, 2, 27)
    assert calendar.add_working_days(date(2026, 2, 13), 6) == date(2026, 2, 28)
    assert calendar.add_working_days(date(2026, 2, 13), 10) == date(2026, 3, 5)
    assert calendar.add_working_days(date(2026, 2, 17), 1) == date(2026, 2, 24)  # from inside


def test_start_day_never_counts(calendar: WorkCalendar) -> None:
    assert calendar.add_working_days(date(2025, 9, 29), 1) == date(2025, 9, 30)  # Monday -> Tuesday
    assert calendar.add_working_days(date(2025, 9, 29), 0) == date(2025, 9, 29)
    with pytest.raises(ValueError):
        calendar.add_working_days(date(2025, 9, 29), -1)


def test_due_at_uses_the_day_of_receipt_in_shanghai(calendar: WorkCalendar) -> None:
    # 16:30 UTC on 27 September is 00:30 on the make-up Sunday 28 September in Guangdong
    received_at = datetime(2025, 9, 27, 16, 30, tzinfo=UTC)
    assert calendar.due_at(received_at, 10) == datetime(2025, 10, 17, 23, 59, 59, tzinfo=SHANGHAI)
    with pytest.raises(ValueError, match="timezone-aware"):
        calendar.due_at(datetime(2025, 9, 28, 10, 0), 10)


def test_agrees_with_chinese_calendar_over_two_years(calendar: WorkCalendar) -> None:
    start = date(2025, 1, 1)
    for offset in range(0, 700, 3):
        a = start + timedelta(days=offset)
        b = a + timedelta(days=40)
        if b.year > PACKAGE_YEARS[-1]:
            break
        expected = len(chinese_calendar.get_workdays(a + timedelta(days=1), b))
        assert calendar.working_days_between(a, b) == expected


def test_working_days_between_inverts_add_working_days(calendar: WorkCalendar) -> None:
    for offset in range(0, 365, 7):
        a = date(2025, 1, 1) + timedelta(days=offset)
        for n in (0, 1, 5, 10):
            b = calendar.add_working_days(a, n)
            assert calendar.working_days_between(a, b) == n
            assert calendar.working_days_between(b, a) == -n


def test_2027_is_refused_until_a_table_is_loaded(calendar: WorkCalendar) -> None:
    assert not calendar.covers(2027)
    with pytest.raises(CalendarNotCovered) as caught:
        calendar.is_working_day(date(2027, 3, 1))
    error = caught.value
    assert error.code == "calendar_not_covered"
    assert "2027 年的法定节假日安排尚未载入" in error.message
    assert "2004–2026" in error.message and "节假日表" in error.message
    assert error.loc == ("calendar", 2027)
    with pytest.raises(CalendarNotCovered, match="2003 年"):
        calendar.is_working_day(date(2003, 12, 31))


def test_a_deadline_running_into_an_uncovered_year_is_refused(calendar: WorkCalendar) -> None:
    assert calendar.add_working_days(date(2026, 12, 28), 3) == date(2026, 12, 31)
    with pytest.raises(CalendarNotCovered):
        calendar.add_working_days(date(2026, 12, 28), 10)


def test_2027_computed_from_a_loaded_table(calendar_2027: WorkCalendar) -> None:
    assert calendar_2027.covers(2027) and calendar_2027.loaded_years == (2027,)
    assert calendar_2027.add_working_days(date(2027, 2, 5), 5) == date(2027, 2, 19)
    assert calendar_2027.add_working_days(date(2027, 2, 5), 6) == date(2027, 2, 20)  # make-up
    assert calendar_2027.add_working_days(date(2027, 2, 5), 10) == date(2027, 2, 25)
    # across the new year: package data for 2026, the table for 2027
    assert calendar_2027.add_working_days(date(2026, 12, 28), 10) == date(2027, 1, 12)
    with pytest.raises(CalendarNotCovered):
        calendar_2027.is_working_day(date(2028, 1, 3))


def test_json_tables_and_several_years_in_one_file(tmp_path: Path) -> None:
    data = {
        "tables": [
            {"year": 2027, "holidays": ["2027-01-01", {"from": "2027-02-06", "to": "2027-02-13"}]},
            {"year": 2028, "holidays": ["2028-01-01"], "workdays": ["2028-01-08"]},
        ]
    }
    path = tmp_path / "tables.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    tables = load_year_tables(path)
    assert [t.year for t in tables] == [2027, 2028]
    assert len(tables[0].holidays) == 9
    calendar = WorkCalendar(extra_tables=tables)
    assert calendar.is_working_day(date(2028, 1, 8))  # Saturday make-up
    assert not calendar.is_working_day(date(2028, 1, 1))


def test_a_loaded_table_replaces_the_package_year() -> None:
    table = YearTable(2025, frozenset({date(2025, 10, 1)}), frozenset())
    calendar = WorkCalendar(extra_tables=[table])
    assert not calendar.is_working_day(date(2025, 10, 11))  # no make-up Saturday in this table
    assert calendar.is_working_day(date(2025, 10, 8))


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        ({"year": 2027, "workdays": ["2027-02-22"]}, "调休上班日 2027-02-22 不是周六或周日"),
        ({"year": 2027, "holidays": ["2028-01-01"]}, "2028-01-01 不在 2027 年内"),
        (
            {"year": 2027, "holidays": ["2027-02-20"], "workdays": ["2027-02-20"]},
            "同时列为放假和调休上班",
        ),
        ({"year": 2027, "holidays": [{"from": "2027-02-13", "to": "2027-02-06"}]}, "结束早于开始"),
        ({"year": 2027, "holiday": ["2027-01-01"]}, "holiday"),
        ({"holidays": []}, "year"),
        ({"year": 2027, "holidays": ["不是日期"]}, "holidays.0"),
    ],
)
def test_bad_tables_are_refused_with_a_clear_message(
    data: dict[str, object], fragment: str
) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_year_tables(data)
    assert caught.value.code == "calendar_table_invalid"
    assert fragment in caught.value.message


def test_unparsable_file_and_duplicate_year(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("year: [2027\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match="无法解析"):
        load_year_tables(path)
    table = YearTable(2027, frozenset(), frozenset())
    with pytest.raises(InvalidInput) as caught:
        WorkCalendar(extra_tables=[table, table])
    assert caught.value.code == "calendar_table_duplicate"
