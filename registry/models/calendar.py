"""Holiday tables loaded by staff for years `chinese-calendar` does not cover."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from registry.db import Base


class CalendarYear(Base):
    """A year whose holiday table was loaded; its exceptions are the `CalendarDay` rows."""

    __tablename__ = "calendar_years"

    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    source: Mapped[str] = mapped_column(String(300))  # e.g. 国务院办公厅关于…节假日安排的通知
    loaded_at: Mapped[datetime]


class CalendarDay(Base):
    """A day that differs from the Monday-Friday rule: a holiday, or a make-up working day."""

    __tablename__ = "calendar_days"

    day: Mapped[date] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(ForeignKey("calendar_years.year", ondelete="CASCADE"))
    is_working_day: Mapped[bool]  # False: a holiday; True: a make-up working day (调休)
