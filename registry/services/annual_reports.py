"""Art.18 annual reports: each library entry reports on the previous year by 31 March.

Late filing is accepted and marked late (the province still wants the report); the sweep flags
missing reports from the day after the deadline. An entry owes a report on a year when it was
certified on or before 31 December of that year and is still in the library.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from registry.actor import Actor, require_organisation, require_role, signed_in
from registry.audit import record, snapshot
from registry.calendar_store import work_calendar
from registry.enums import Role
from registry.errors import Conflict, InvalidInput
from registry.library import VISIBLE
from registry.models.library import LibraryEntry
from registry.models.monitoring import AnnualReport, FlagKind, MonitoringFlag
from registry.models.organisations import Organisation
from registry.models.resources import Resource
from registry.services.library_admin import entry_by_code
from registry.services.periods import annual_report_due_on, is_past

SHANGHAI = ZoneInfo("Asia/Shanghai")
ARTICLE = "Art.18"
_TEXT_FIELDS = {
    "promotion": "市场推广情况",
    "application_data": "应用成效数据",
    "technical_updates": "技术更新迭代情况",
    "feedback": "服务企业反馈意见",
}


@dataclass(frozen=True, slots=True)
class AnnualReportInput:
    """What a provider reports on one year (Art.18)."""

    promotion: str
    application_data: str
    technical_updates: str
    enterprises_served: int
    feedback: str


class ReportState(StrEnum):
    """Where an entry stands with its report on a year."""

    FILED = "filed"
    FILED_LATE = "filed_late"
    MISSING = "missing"  # the deadline has passed
    DUE = "due"  # not filed yet, deadline still ahead


@dataclass(frozen=True, slots=True)
class ReportStatus:
    """One entry's report on one year."""

    resource_code: str
    title: str
    organisation_id: int
    organisation: str
    city: str
    year: int
    due_on: date
    state: ReportState
    submitted_at: datetime | None


def file_annual_report(
    *,
    session: Session,
    actor: Actor,
    now: datetime,
    resource_code: str,
    year: int,
    data: AnnualReportInput,
) -> AnnualReport:
    """The provider files its report on `year` for one of its entries; late ones are marked."""
    require_role(actor, Role.PROVIDER, article=ARTICLE)
    entry = entry_by_code(session=session, resource_code=resource_code)
    require_organisation(actor, entry.resource.organisation_id)
    today = now.astimezone(SHANGHAI).date()
    _check_input(data, year=year, today=today, entry=entry)
    if _report(session, entry.id, year) is not None:
        raise _exists(resource_code, year)
    calendar = work_calendar(session)
    due_on = annual_report_due_on(year, calendar)
    report = AnnualReport(
        library_entry_id=entry.id, year=year, promotion=data.promotion.strip(),
        application_data=data.application_data.strip(),
        technical_updates=data.technical_updates.strip(),
        enterprises_served=data.enterprises_served, feedback=data.feedback.strip(),
        due_on=due_on, late=is_past(due_on, today, calendar), submitted_at=now,
        submitted_by_user_id=signed_in(actor),
    )  # fmt: skip
    session.add(report)
    try:
        session.flush()
    except IntegrityError as exc:  # filed at the same moment by a colleague; caller rolls back
        raise _exists(resource_code, year) from exc
    after = {"resource_code": resource_code, **snapshot(report, ("year", "due_on", "late"))}
    record(session, actor=actor, now=now, action="annual_report.file",
           object_type="annual_report", object_id=report.id, after=after)  # fmt: skip
    _resolve_missing_flag(session, entry.id, year, now)
    return report


def _check_input(data: AnnualReportInput, *, year: int, today: date, entry: LibraryEntry) -> None:
    certified_year = entry.certified_at.astimezone(SHANGHAI).year
    if not certified_year <= year < today.year:
        raise InvalidInput(
            f"年度报告只能报送入库（{certified_year} 年）以来已结束的年度，不能报送 {year} 年",
            code="annual_report_year_invalid", article=ARTICLE, loc=("year",),
        )  # fmt: skip
    for name, label in _TEXT_FIELDS.items():
        if not str(getattr(data, name)).strip():
            raise InvalidInput(
                f"年度报告缺少“{label}”", code="annual_report_incomplete", article=ARTICLE,
                loc=(name,),
            )  # fmt: skip
    if data.enterprises_served < 0:
        raise InvalidInput(
            "服务企业数量不能为负数", code="annual_report_incomplete", article=ARTICLE,
            loc=("enterprises_served",),
        )  # fmt: skip


def _exists(resource_code: str, year: int) -> Conflict:
    return Conflict(
        f"{resource_code} 的 {year} 年度报告已报送", code="annual_report_exists",
        article=ARTICLE, loc=("year",),
    )  # fmt: skip


def _report(session: Session, entry_id: int, year: int) -> AnnualReport | None:
    return session.scalar(
        select(AnnualReport).where(
            AnnualReport.library_entry_id == entry_id, AnnualReport.year == year
        )
    )


def _resolve_missing_flag(session: Session, entry_id: int, year: int, now: datetime) -> None:
    flag = session.scalar(
        select(MonitoringFlag).where(
            MonitoringFlag.kind == FlagKind.ANNUAL_REPORT_MISSING,
            MonitoringFlag.key == missing_flag_key(entry_id, year),
            MonitoringFlag.resolved_at.is_(None),
        )
    )
    if flag is not None:
        flag.resolved_at, flag.resolution = now, "已补报（逾期）"


def missing_flag_key(entry_id: int, year: int) -> str:
    """The sweep flag key of a missing report."""
    return f"entry:{entry_id}:year:{year}"


def report_statuses(
    *, session: Session, actor: Actor, now: datetime, year: int
) -> list[ReportStatus]:
    """Every entry owing a report on `year` and where it stands (providers: their own; cities:
    their city's; the province: all), by city then code."""
    require_role(actor, Role.PROVIDER, Role.MUNICIPAL_REVIEWER, Role.PROVINCIAL_STAFF, Role.ADMIN)
    today = now.astimezone(SHANGHAI).date()
    due_on = annual_report_due_on(year, work_calendar(session))
    query = (
        select(LibraryEntry, Resource, Organisation, AnnualReport)
        .join(Resource, LibraryEntry.resource_id == Resource.id)
        .join(Organisation, Resource.organisation_id == Organisation.id)
        .outerjoin(
            AnnualReport,
            (AnnualReport.library_entry_id == LibraryEntry.id) & (AnnualReport.year == year),
        )
        .where(LibraryEntry.status.in_(VISIBLE))
        .order_by(Organisation.city, Resource.code)
    )
    if actor.role is Role.PROVIDER:
        query = query.where(Organisation.id == actor.organisation_id)
    elif actor.role is Role.MUNICIPAL_REVIEWER:
        query = query.where(Organisation.city == actor.city)
    rows = []
    for entry, resource, org, report in session.execute(query):
        if entry.certified_at.astimezone(SHANGHAI).year > year:
            continue  # not in the library during that year
        rows.append(
            ReportStatus(
                resource.code, resource.title, org.id, org.name, org.city, year, due_on,
                _state(report, today, due_on), report.submitted_at if report else None,
            )
        )  # fmt: skip
    return rows


def _state(report: AnnualReport | None, today: date, due_on: date) -> ReportState:
    if report is not None:
        return ReportState.FILED_LATE if report.late else ReportState.FILED
    return ReportState.MISSING if today > due_on else ReportState.DUE
