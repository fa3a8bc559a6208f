"""Provincial staff: quarterly batches, supervision records (accidents, violations), 3-year
bans, priority in promotion, overdue review steps, and the audit log (Art.10, 19, 21, 22)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import Depends, Query

from api.deps import SHANGHAI, ActorDep, NowDep, SessionDep
from api.queries import AuditFilter, audit_entries
from api.routes import api_router
from api.schemas.common import Page, Paging, paging
from api.schemas.library import BatchRead
from api.schemas.organisations import (
    AccidentCreate,
    AccidentRead,
    BanCreate,
    BanRead,
    OrganisationStaffRead,
    ViolationCreate,
    ViolationRead,
)
from api.schemas.reviews import OverdueRead
from api.schemas.staff import AuditRead, BatchCreate, LibraryEntryRead, PriorityUpdate
from registry.services import bans, batches, deadlines, library_admin, organisations

router = api_router("/province", "省级管理")


@router.post(
    "/batches",
    name="province.batches.create",
    summary="开设季度申报批次（第十条）",
    status_code=201,
)
def create_batch(body: BatchCreate, actor: ActorDep, session: SessionDep, now: NowDep) -> BatchRead:
    """Open a quarterly batch accepting applications until its deadline."""
    batch = batches.create_batch(
        session=session,
        actor=actor,
        now=now,
        code=body.code,
        title=body.title,
        opens_on=body.opens_on,
        deadline_on=body.deadline_on,
    )
    today = now.astimezone(SHANGHAI).date()
    result = BatchRead(
        code=batch.code,
        title=batch.title,
        opens_on=batch.opens_on,
        deadline_on=batch.deadline_on,
        accepting=batch.opens_on <= today <= batch.deadline_on,
    )
    session.commit()
    return result


@router.get(
    "/organisations/{organisation_id}",
    name="province.organisations.get",
    summary="申报单位（含信用、事故、违法记录与禁报）",
)
def get_organisation(
    organisation_id: int, actor: ActorDep, session: SessionDep
) -> OrganisationStaffRead:
    """An organisation with everything the rules check against it."""
    org = organisations.get_organisation(
        session=session, actor=actor, organisation_id=organisation_id
    )
    return OrganisationStaffRead.of(org)


@router.post(
    "/organisations/{organisation_id}/bans",
    name="province.bans.create",
    summary="禁止申报三年（第十九条第（二）项、第二十一条）",
    status_code=201,
)
def ban(
    organisation_id: int, body: BanCreate, actor: ActorDep, session: SessionDep, now: NowDep
) -> BanRead:
    """Ban an organisation from applying for three years from today."""
    created = bans.ban_organisation(
        session=session,
        actor=actor,
        now=now,
        organisation_id=organisation_id,
        reason=body.reason,
        article=body.article,
    )
    result = BanRead.model_validate(created)
    session.commit()
    return result


@router.post(
    "/organisations/{organisation_id}/accidents",
    name="province.accidents.create",
    summary="登记安全、环保、质量事故（第四条第（四）项）",
    status_code=201,
)
def record_accident(
    organisation_id: int, body: AccidentCreate, actor: ActorDep, session: SessionDep, now: NowDep
) -> AccidentRead:
    """Record an accident found by supervision."""
    accident = organisations.record_accident(
        session=session,
        actor=actor,
        now=now,
        organisation_id=organisation_id,
        data=body.to_input(),
    )
    result = AccidentRead.model_validate(accident)
    session.commit()
    return result


@router.post(
    "/organisations/{organisation_id}/violations",
    name="province.violations.create",
    summary="登记违法违规记录（第七条第（五）项）",
    status_code=201,
)
def record_violation(
    organisation_id: int, body: ViolationCreate, actor: ActorDep, session: SessionDep, now: NowDep
) -> ViolationRead:
    """Record a violation of law or regulation."""
    violation = organisations.record_violation(
        session=session,
        actor=actor,
        now=now,
        organisation_id=organisation_id,
        data=body.to_input(),
    )
    result = ViolationRead.model_validate(violation)
    session.commit()
    return result


@router.put(
    "/library/{resource_code}/priority",
    name="province.priority",
    summary="优先推广（第十九条第（四）项）",
)
def set_priority(
    resource_code: str, body: PriorityUpdate, actor: ActorDep, session: SessionDep, now: NowDep
) -> LibraryEntryRead:
    """Mark or unmark an outstanding library resource for priority in promotion."""
    entry = library_admin.set_priority(
        session=session, actor=actor, now=now, resource_code=resource_code, priority=body.priority
    )
    result = LibraryEntryRead(
        resource_code=resource_code,
        status=entry.status,
        priority=entry.priority,
        certified_at=entry.certified_at,
        updated_at=entry.updated_at,
    )
    session.commit()
    return result


@router.get("/overdue", name="province.overdue", summary="逾期未办结的审核环节")
def overdue(actor: ActorDep, session: SessionDep, now: NowDep) -> list[OverdueRead]:
    """Every open step past its working-day deadline (Art.13-15), oldest first."""
    found = deadlines.overdue(session=session, actor=actor, now=now)
    return [OverdueRead.of(item, now=now) for item in found]


@router.get("/audit", name="province.audit", summary="审计日志查询（第二十二条）")
def audit(
    actor: ActorDep,
    session: SessionDep,
    page: Annotated[Paging, Depends(paging)],
    object_type: Annotated[str | None, Query(max_length=32)] = None,
    object_id: Annotated[str | None, Query(max_length=64)] = None,
    action: Annotated[
        str | None, Query(max_length=64, description="完整动作名，或以“.”结尾的前缀")
    ] = None,
    actor_user_id: Annotated[int | None, Query()] = None,
    since: Annotated[datetime | None, Query()] = None,
    until: Annotated[datetime | None, Query()] = None,
) -> Page[AuditRead]:
    """Audited actions, newest first, filtered by object, action, actor and time."""
    rows, total = audit_entries(
        session,
        AuditFilter(
            object_type=object_type,
            object_id=object_id,
            action=action,
            actor_user_id=actor_user_id,
            since=_aware(since),
            until=_aware(until),
        ),
        limit=page.limit,
        offset=page.offset,
    )
    return Page[AuditRead](
        items=[AuditRead.model_validate(r) for r in rows],
        total=total,
        limit=page.limit,
        offset=page.offset,
    )


def _aware(moment: datetime | None) -> datetime | None:
    """Times without a zone are read as Asia/Shanghai."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=SHANGHAI)
