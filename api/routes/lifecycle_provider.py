"""Providers, after certification: their library entries with what is due on each, annual
reports on the previous year (Art.18), warnings and rectification within six months
(Art.19(1)), and voluntary withdrawal through the city (Art.19(3)). Scopes (own organisation)
are the registry's."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from fastapi import Query
from sqlalchemy import select
from sqlalchemy.orm import Session

from api.deps import SHANGHAI, ActorDep, NowDep, SessionDep
from api.routes import api_router
from api.routes.provider import own_organisation_id
from api.schemas.lifecycle import (
    REPORT_STATE_LABELS,
    AnnualReportCreate,
    AnnualReportRead,
    AnnualReportStatusRead,
    EntryRead,
    RectificationCreate,
    WarningRead,
    WithdrawalCreate,
    WithdrawalRead,
    state_label,
)
from registry.actor import Actor
from registry.errors import CalendarNotCovered
from registry.models.library import LibraryEntry
from registry.models.resources import Resource
from registry.services import annual_reports, warnings, withdrawals

router = api_router("/provider", "申报单位：入库后管理")
YearQuery = Annotated[int | None, Query(ge=2000, le=2100, description="报告年度，默认上一年度")]


def report_year(now: datetime, year: int | None = None) -> int:
    """The year a report is asked about: the given one, else the previous calendar year."""
    return year if year is not None else now.astimezone(SHANGHAI).year - 1


def provider_entries(session: Session, actor: Actor, now: datetime) -> list[EntryRead]:
    """The provider's library entries (any state), each with its open warning, pending
    withdrawal and the state of its report on the previous year."""
    org_id = own_organisation_id(actor)
    rows = session.scalars(
        select(LibraryEntry)
        .join(Resource, LibraryEntry.resource_id == Resource.id)
        .where(Resource.organisation_id == org_id)
        .order_by(Resource.code)
    ).all()
    try:
        statuses = annual_reports.report_statuses(
            session=session, actor=actor, now=now, year=report_year(now)
        )
    except CalendarNotCovered:  # the deadline cannot be told yet: the entries still show
        statuses = []
    reports = {r.resource_code: r for r in statuses}
    open_warnings = {
        w.resource_code: w for w in warnings.warnings_list(session=session, actor=actor, now=now)
    }
    pending = {
        r.library_entry_id: r.id
        for r in withdrawals.withdrawal_requests(session=session, actor=actor)
        if r.status in withdrawals.PENDING
    }
    return [_entry(e, reports, open_warnings, pending) for e in rows]


def _entry(
    entry: LibraryEntry,
    reports: dict[str, annual_reports.ReportStatus],
    open_warnings: dict[str, warnings.WarningView],
    pending: dict[int, int],
) -> EntryRead:
    resource = entry.resource
    report, warning = reports.get(resource.code), open_warnings.get(resource.code)
    return EntryRead(
        resource_code=resource.code,
        title=resource.title,
        organisation_id=resource.organisation_id,
        organisation=resource.organisation.name,
        city=resource.organisation.city,
        status=entry.status,
        status_label=state_label(entry.status),
        priority=entry.priority,
        certified_at=entry.certified_at,
        updated_at=entry.updated_at,
        open_warning_id=warning.id if warning else None,
        rectification_due_on=warning.rectification_due_on if warning else None,
        warning_overdue=warning.overdue if warning else False,
        pending_withdrawal_id=pending.get(entry.id),
        report_year=report.year if report else None,
        report_state=report.state if report else None,
        report_state_label=REPORT_STATE_LABELS[report.state] if report else None,
        report_due_on=report.due_on if report else None,
    )


def today_of(now: datetime) -> date:
    """The Asia/Shanghai date of `now`."""
    return now.astimezone(SHANGHAI).date()


@router.get("/library", name="provider.library.list", summary="本单位在库资源及待办事项")
def list_entries(actor: ActorDep, session: SessionDep, now: NowDep) -> list[EntryRead]:
    """Every entry of the organisation with its warning, withdrawal and annual-report state."""
    return provider_entries(session, actor, now)


@router.get(
    "/annual-reports", name="provider.annual_reports.list", summary="年度报告：应报、已报、逾期"
)
def list_reports(
    actor: ActorDep, session: SessionDep, now: NowDep, year: YearQuery = None
) -> list[AnnualReportStatusRead]:
    """Each entry owing a report on `year` (default the previous one), due by 31 March."""
    found = annual_reports.report_statuses(
        session=session, actor=actor, now=now, year=report_year(now, year)
    )
    return [AnnualReportStatusRead.of(s) for s in found]


@router.post(
    "/library/{resource_code}/annual-reports",
    name="provider.annual_reports.file",
    summary="报送年度报告（第十八条，次年 3 月 31 日前）",
    status_code=201,
)
def file_report(
    resource_code: str, body: AnnualReportCreate, actor: ActorDep, session: SessionDep, now: NowDep
) -> AnnualReportRead:
    """File the report on a finished year; after the deadline it is accepted and marked late."""
    report = annual_reports.file_annual_report(
        session=session,
        actor=actor,
        now=now,
        resource_code=resource_code,
        year=body.year,
        data=body.to_input(),
    )
    result = AnnualReportRead.of(report)
    session.commit()
    return result


@router.get("/warnings", name="provider.warnings.list", summary="预警通知（第十九条第（一）项）")
def list_warnings(
    actor: ActorDep,
    session: SessionDep,
    now: NowDep,
    open_only: Annotated[bool, Query(description="只看整改中的")] = False,
) -> list[WarningRead]:
    """The organisation's warnings, soonest rectification deadline first."""
    views = warnings.warnings_list(session=session, actor=actor, now=now, open_only=open_only)
    return [
        WarningRead.of(warnings.get_warning(session=session, actor=actor, warning_id=v.id),
                       today=today_of(now))
        for v in views
    ]  # fmt: skip


@router.get("/warnings/{warning_id}", name="provider.warnings.get", summary="预警详情")
def get_warning(warning_id: int, actor: ActorDep, session: SessionDep, now: NowDep) -> WarningRead:
    """A warning on one of the organisation's entries, with its deadline."""
    warning = warnings.get_warning(session=session, actor=actor, warning_id=warning_id)
    return WarningRead.of(warning, today=today_of(now))


@router.post(
    "/warnings/{warning_id}/rectification",
    name="provider.warnings.rectify",
    summary="提交整改报告（6 个月内）",
)
def rectify(
    warning_id: int, body: RectificationCreate, actor: ActorDep, session: SessionDep, now: NowDep
) -> WarningRead:
    """Report what was rectified; the province then closes the warning or removes the entry."""
    warning = warnings.submit_rectification(
        session=session,
        actor=actor,
        now=now,
        warning_id=warning_id,
        rectification=body.rectification,
    )
    result = WarningRead.of(warning, today=today_of(now))
    session.commit()
    return result


@router.get("/withdrawals", name="provider.withdrawals.list", summary="退出资源库申请")
def list_withdrawals(actor: ActorDep, session: SessionDep) -> list[WithdrawalRead]:
    """The organisation's withdrawal requests, newest first."""
    found = withdrawals.withdrawal_requests(session=session, actor=actor)
    return [WithdrawalRead.of(r) for r in found]


@router.post(
    "/withdrawals",
    name="provider.withdrawals.request",
    summary="申请退出资源库（第十九条第（三）项，经地市报省厅）",
    status_code=201,
)
def request_withdrawal(
    body: WithdrawalCreate, actor: ActorDep, session: SessionDep, now: NowDep
) -> WithdrawalRead:
    """Ask to take an entry out of the library; the city forwards it, the province decides."""
    request = withdrawals.request_withdrawal(
        session=session, actor=actor, now=now, resource_code=body.resource_code, reason=body.reason
    )
    result = WithdrawalRead.of(request)
    session.commit()
    return result


@router.get("/withdrawals/{request_id}", name="provider.withdrawals.get", summary="退出申请详情")
def get_withdrawal(request_id: int, actor: ActorDep, session: SessionDep) -> WithdrawalRead:
    """One of the organisation's requests and where it is."""
    return WithdrawalRead.of(
        withdrawals.get_withdrawal(session=session, actor=actor, request_id=request_id)
    )


@router.post(
    "/withdrawals/{request_id}/cancellation",
    name="provider.withdrawals.cancel",
    summary="撤回退出申请（省厅决定前）",
)
def cancel_withdrawal(
    request_id: int, actor: ActorDep, session: SessionDep, now: NowDep
) -> WithdrawalRead:
    """Take the request back before the province decides."""
    request = withdrawals.cancel_withdrawal(
        session=session, actor=actor, now=now, request_id=request_id
    )
    result = WithdrawalRead.of(request)
    session.commit()
    return result
