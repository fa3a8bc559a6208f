"""Provincial staff, after certification: the library's entries, warnings with six months to
rectify then closure or removal (Art.19(1)), withdrawal decisions (Art.19(3)), missing annual
reports (Art.18) and the daily sweep's open flags. Direct removals, bans and credit referrals
are in `lifecycle_province_removals`; priority (Art.19(4)) is `province.priority`."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query
from sqlalchemy import select
from sqlalchemy.orm import Session

from api.deps import ActorDep, NowDep, SessionDep
from api.routes import api_router
from api.routes.lifecycle_provider import YearQuery, report_year, today_of
from api.schemas.lifecycle import (
    AnnualReportStatusRead,
    EntryRead,
    FlagRead,
    NoteCreate,
    WarningCreate,
    WarningRead,
    WithdrawalRead,
    state_label,
)
from registry.enums import LibraryStatus
from registry.models.library import LibraryEntry
from registry.models.monitoring import FlagKind, WithdrawalStatus
from registry.models.organisations import Organisation
from registry.models.resources import Resource
from registry.services import annual_reports, warnings, withdrawals
from registry.services.annual_reports import ReportState
from registry.sweep import open_flags

router = api_router("/province", "省级管理：入库后管理")


def library_entries(
    session: Session, *, status: LibraryStatus | None = None, q: str | None = None
) -> list[EntryRead]:
    """Every library entry (any state), by code, optionally in one state or matching `q`."""
    query = (
        select(LibraryEntry, Resource, Organisation)
        .join(Resource, LibraryEntry.resource_id == Resource.id)
        .join(Organisation, Resource.organisation_id == Organisation.id)
        .order_by(Resource.code)
    )
    if status is not None:
        query = query.where(LibraryEntry.status == status)
    if q:
        like = f"%{q.strip()}%"
        query = query.where(
            Resource.code.ilike(like) | Resource.title.ilike(like) | Organisation.name.ilike(like)
        )
    return [
        EntryRead(
            resource_code=r.code, title=r.title, organisation_id=o.id, organisation=o.name,
            city=o.city, status=e.status, status_label=state_label(e.status), priority=e.priority,
            certified_at=e.certified_at, updated_at=e.updated_at,
        )
        for e, r, o in session.execute(query)
    ]  # fmt: skip


@router.get("/library", name="province.library.list", summary="资源库条目（含已移出、已退出）")
def list_entries(
    session: SessionDep,
    status: Annotated[LibraryStatus | None, Query()] = None,
    q: Annotated[str | None, Query(max_length=100, description="资源编号、名称或单位")] = None,
) -> list[EntryRead]:
    """Library entries in any state, by code."""
    return library_entries(session, status=status, q=q)


@router.post(
    "/library/{resource_code}/warnings",
    name="province.warnings.create",
    summary="发出预警、限期 6 个月整改（第十九条第（一）项）",
    status_code=201,
)
def warn(
    resource_code: str, body: WarningCreate, actor: ActorDep, session: SessionDep, now: NowDep
) -> WarningRead:
    """Warn an entry with reasons: it stays searchable, flagged and demoted."""
    warning = warnings.warn_entry(
        session=session,
        actor=actor,
        now=now,
        resource_code=resource_code,
        reasons=body.reasons,
        detail=body.detail,
    )
    result = WarningRead.of(warning, today=today_of(now))
    session.commit()
    return result


@router.get("/warnings", name="province.warnings.list", summary="预警及整改期限")
def list_warnings(
    actor: ActorDep,
    session: SessionDep,
    now: NowDep,
    open_only: Annotated[bool, Query(description="只看未办结的")] = True,
) -> list[WarningRead]:
    """Warnings, soonest rectification deadline first; overdue ones flagged."""
    views = warnings.warnings_list(session=session, actor=actor, now=now, open_only=open_only)
    today = today_of(now)
    return [
        WarningRead.of(warnings.get_warning(session=session, actor=actor, warning_id=v.id),
                       today=today)
        for v in views
    ]  # fmt: skip


@router.get("/warnings/{warning_id}", name="province.warnings.get", summary="预警详情")
def get_warning(warning_id: int, actor: ActorDep, session: SessionDep, now: NowDep) -> WarningRead:
    """A warning with the provider's rectification."""
    warning = warnings.get_warning(session=session, actor=actor, warning_id=warning_id)
    return WarningRead.of(warning, today=today_of(now))


@router.post(
    "/warnings/{warning_id}/closure", name="province.warnings.close", summary="整改合格，解除预警"
)
def close_warning(
    warning_id: int, body: NoteCreate, actor: ActorDep, session: SessionDep, now: NowDep
) -> WarningRead:
    """Accept the rectification: the entry is certified again (flag and demotion lifted)."""
    warning = warnings.close_warning(
        session=session, actor=actor, now=now, warning_id=warning_id, note=body.note
    )
    result = WarningRead.of(warning, today=today_of(now))
    session.commit()
    return result


@router.post(
    "/warnings/{warning_id}/removal",
    name="province.warnings.remove",
    summary="整改不合格或逾期未整改，移出资源库",
)
def remove_after_warning(
    warning_id: int, body: NoteCreate, actor: ActorDep, session: SessionDep, now: NowDep
) -> WarningRead:
    """Remove the entry after its warning (refused while the six months run without a
    rectification)."""
    warning = warnings.remove_after_warning(
        session=session, actor=actor, now=now, warning_id=warning_id, note=body.note
    )
    result = WarningRead.of(warning, today=today_of(now))
    session.commit()
    return result


@router.get("/withdrawals", name="province.withdrawals.list", summary="退出资源库申请")
def list_withdrawals(
    actor: ActorDep,
    session: SessionDep,
    status: Annotated[WithdrawalStatus | None, Query(description="forwarded 为待审核")] = None,
) -> list[WithdrawalRead]:
    """Every request, newest first (those to decide: `status=forwarded`)."""
    found = withdrawals.withdrawal_requests(session=session, actor=actor, status=status)
    return [WithdrawalRead.of(r) for r in found]


@router.get("/withdrawals/{request_id}", name="province.withdrawals.get", summary="退出申请详情")
def get_withdrawal(request_id: int, actor: ActorDep, session: SessionDep) -> WithdrawalRead:
    """A request with the city's opinion."""
    return WithdrawalRead.of(
        withdrawals.get_withdrawal(session=session, actor=actor, request_id=request_id)
    )


@router.post(
    "/withdrawals/{request_id}/approval",
    name="province.withdrawals.approve",
    summary="同意退出资源库（第十九条第（三）项）",
)
def approve_withdrawal(
    request_id: int, body: NoteCreate, actor: ActorDep, session: SessionDep, now: NowDep
) -> WithdrawalRead:
    """Approve: the entry is withdrawn and leaves search at once."""
    request = withdrawals.approve_withdrawal(
        session=session, actor=actor, now=now, request_id=request_id, note=body.note
    )
    result = WithdrawalRead.of(request)
    session.commit()
    return result


@router.post(
    "/withdrawals/{request_id}/refusal", name="province.withdrawals.refuse", summary="不同意退出"
)
def refuse_withdrawal(
    request_id: int, body: NoteCreate, actor: ActorDep, session: SessionDep, now: NowDep
) -> WithdrawalRead:
    """Refuse with reasons; the provider is told and the entry stays listed."""
    request = withdrawals.refuse_withdrawal(
        session=session, actor=actor, now=now, request_id=request_id, note=body.note
    )
    result = WithdrawalRead.of(request)
    session.commit()
    return result


@router.get(
    "/annual-reports", name="province.annual_reports.list", summary="年度报告报送情况（第十八条）"
)
def list_reports(
    actor: ActorDep,
    session: SessionDep,
    now: NowDep,
    year: YearQuery = None,
    state: Annotated[ReportState | None, Query(description="missing 为逾期未报")] = None,
) -> list[AnnualReportStatusRead]:
    """Every entry owing a report on `year` (default the previous one), by city; `state=missing`
    lists those not filed by the deadline."""
    found = annual_reports.report_statuses(
        session=session, actor=actor, now=now, year=report_year(now, year)
    )
    return [AnnualReportStatusRead.of(s) for s in found if state is None or s.state is state]


@router.get("/flags", name="province.flags.list", summary="每日巡检发现的待办事项")
def list_flags(
    actor: ActorDep,
    session: SessionDep,
    kind: Annotated[FlagKind | None, Query()] = None,
) -> list[FlagRead]:
    """Open flags of the daily sweep (`funeng sweep`), oldest due first."""
    return [FlagRead.of(f) for f in open_flags(session=session, actor=actor, kind=kind)]
