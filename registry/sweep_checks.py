"""The date-driven checks of the sweep: each lists the conditions that hold on a day."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.actor import Actor
from registry.calendar_store import work_calendar
from registry.enums import NotificationKind, Role
from registry.library import VISIBLE
from registry.models.applications import Notification
from registry.models.library import LibraryEntry
from registry.models.monitoring import AnnualReport, LibraryWarning, WarningStatus
from registry.models.organisations import Ban, Organisation
from registry.models.resources import Resource
from registry.services.annual_reports import missing_flag_key
from registry.services.deadlines import overdue
from registry.services.periods import annual_report_due_on, is_past

SHANGHAI = ZoneInfo("Asia/Shanghai")
_CHECKER = Actor(user_id=None, role=Role.ADMIN)


@dataclass(frozen=True, slots=True)
class Condition:
    """Something that holds today and deserves a flag; `key` identifies it across runs."""

    key: str
    article: str
    message: str
    organisation_id: int | None = None
    city: str | None = None
    resource_code: str | None = None
    due_on: date | None = None
    on_raise: Callable[[Session, datetime], None] | None = None  # e.g. notify the organisation


def _today(now: datetime) -> date:
    return now.astimezone(SHANGHAI).date()


def missing_annual_reports(session: Session, now: datetime) -> list[Condition]:
    """Art.18: entries in the library without their report on a year whose deadline passed."""
    today, calendar = _today(now), work_calendar(session)
    rows = session.execute(
        select(LibraryEntry, Resource, Organisation)
        .join(Resource, LibraryEntry.resource_id == Resource.id)
        .join(Organisation, Resource.organisation_id == Organisation.id)
        .where(LibraryEntry.status.in_(VISIBLE))
        .order_by(Resource.code)
    ).all()
    filed = {
        (entry_id, year)
        for entry_id, year in session.execute(
            select(AnnualReport.library_entry_id, AnnualReport.year)
        )
    }
    conditions = []
    for entry, resource, org in rows:
        first = entry.certified_at.astimezone(SHANGHAI).year
        for year in range(first, today.year):
            if (entry.id, year) in filed:
                continue
            due_on = annual_report_due_on(year, calendar)
            if not is_past(due_on, today, calendar):
                continue
            conditions.append(
                Condition(
                    missing_flag_key(entry.id, year), "Art.18",
                    f"{org.name}“{resource.title}”（{resource.code}）未在{due_on.isoformat()}前"
                    f"报送{year}年度报告",
                    org.id, org.city, resource.code, due_on,
                )
            )  # fmt: skip
    return conditions


def overdue_warnings(session: Session, now: datetime) -> list[Condition]:
    """Art.19(1): warnings still open after the six months to rectify."""
    today = _today(now)
    rows = session.execute(
        select(LibraryWarning, Resource, Organisation)
        .join(LibraryEntry, LibraryWarning.library_entry_id == LibraryEntry.id)
        .join(Resource, LibraryEntry.resource_id == Resource.id)
        .join(Organisation, Resource.organisation_id == Organisation.id)
        .where(
            LibraryWarning.status.in_((WarningStatus.OPEN, WarningStatus.RECTIFIED)),
            LibraryWarning.rectification_due_on < today,
        )
        .order_by(LibraryWarning.rectification_due_on, LibraryWarning.id)
    )
    calendar = work_calendar(session)
    conditions = []
    for warning, resource, org in rows:
        if not is_past(warning.rectification_due_on, today, calendar):
            continue  # its last day was a rest day: the period runs to the next working day
        if warning.status is WarningStatus.OPEN:
            what = "整改期满仍未提交整改报告，请决定是否移出资源库"
        else:
            what = "整改期已满，整改报告待省厅审核"
        conditions.append(
            Condition(
                f"warning:{warning.id}:{warning.status.value}", "Art.19(1)",
                f"{org.name}“{resource.title}”（{resource.code}）的预警整改期限为"
                f"{warning.rectification_due_on.isoformat()}，{what}",
                org.id, org.city, resource.code, warning.rectification_due_on,
            )
        )  # fmt: skip
    return conditions


def bans_ended(session: Session, now: datetime) -> list[Condition]:
    """Art.19(2), Art.21: bans whose three years are over; the organisation is told once."""
    today = _today(now)
    rows = session.execute(
        select(Ban, Organisation)
        .join(Organisation, Ban.organisation_id == Organisation.id)
        .where(Ban.ends_on < today)
        .order_by(Ban.ends_on, Ban.id)
    )
    conditions = []
    for ban, org in rows:
        message = (
            f"{org.name}自{ban.starts_on.isoformat()}起的禁止申报期已于{ban.ends_on.isoformat()}"
            "届满，可重新申报"
        )
        conditions.append(
            Condition(
                f"ban:{ban.id}",
                ban.article,
                message,
                org.id,
                org.city,
                None,
                ban.ends_on,
                _notify(org.id, message),
            )
        )
    return conditions


def _notify(organisation_id: int, message: str) -> Callable[[Session, datetime], None]:
    def notify(session: Session, now: datetime) -> None:
        session.add(
            Notification(organisation_id=organisation_id, application_id=None,
                         kind=NotificationKind.STATUS_CHANGED, message=message, created_at=now)
        )  # fmt: skip

    return notify


def overdue_reviews(session: Session, now: datetime) -> list[Condition]:
    """Art.13-15: municipal review, expert review or publicity steps past their deadline."""
    conditions = []
    for item in overdue(session=session, actor=_CHECKER, now=now):
        due_on = item.due_at.astimezone(SHANGHAI).date()
        conditions.append(
            Condition(
                f"application:{item.application_id}:{item.status.value}:{due_on.isoformat()}",
                item.article,
                f"{item.organisation}（{item.resource_code}）的{item.step}已于{due_on.isoformat()}"
                "到期仍未办结",
                None, item.city, item.resource_code, due_on,
            )
        )  # fmt: skip
    return conditions
