"""资源信息变更申请 (entry change requests): a provider proposes new texts and cases for one of
its library entries and may withdraw the proposal while it is pending; provincial staff list
them, see each text before and after, and approve (the entry changes and search follows) or
reject with a reason. Scopes (own organisation) are the registry's."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query

from api.deps import ActorDep, NowDep, SessionDep
from api.routes import api_router
from api.schemas.entry_changes import (
    ApprovalCreate,
    EntryChangeCreate,
    EntryChangeRead,
    RejectionCreate,
)
from registry.models.changes import EntryChangeStatus
from registry.services import entry_changes

provider = api_router("/provider", "申报单位：资源信息变更申请")
province = api_router("/province", "省级管理：资源信息变更申请")


@provider.post(
    "/library/{resource_code}/changes",
    name="provider.entry_changes.create",
    summary="申请变更在库资源的信息（技术简介、核心优势、性能指标、应用场景、新增案例）",
    status_code=201,
)
def propose(
    resource_code: str, body: EntryChangeCreate, actor: ActorDep, session: SessionDep, now: NowDep
) -> EntryChangeRead:
    """Propose new content for a certified or warned entry; it changes once the province agrees."""
    change = entry_changes.propose_change(
        session=session, actor=actor, now=now, resource_code=resource_code, data=body.to_input()
    )
    result = EntryChangeRead.of(change)
    session.commit()
    return result


@provider.get("/entry-changes", name="provider.entry_changes.list", summary="本单位的变更申请")
def provider_list(
    actor: ActorDep,
    session: SessionDep,
    resource_code: Annotated[str | None, Query(max_length=16)] = None,
) -> list[EntryChangeRead]:
    """The organisation's change requests (optionally of one entry), newest first."""
    found = entry_changes.entry_changes(session=session, actor=actor, resource_code=resource_code)
    return [EntryChangeRead.of(c) for c in found]


@provider.get(
    "/entry-changes/{change_id}", name="provider.entry_changes.get", summary="本单位的一项变更申请"
)
def provider_get(change_id: int, actor: ActorDep, session: SessionDep) -> EntryChangeRead:
    """One of the organisation's change requests with every text before and after, its state and
    the province's reason."""
    change = entry_changes.get_change(session=session, actor=actor, change_id=change_id)
    return EntryChangeRead.of(change)


@provider.post(
    "/entry-changes/{change_id}/withdrawal",
    name="provider.entry_changes.withdraw",
    summary="撤回待审核的变更申请",
)
def withdraw(change_id: int, actor: ActorDep, session: SessionDep, now: NowDep) -> EntryChangeRead:
    """Take a pending change back before the province decides."""
    change = entry_changes.withdraw_change(
        session=session, actor=actor, now=now, change_id=change_id
    )
    result = EntryChangeRead.of(change)
    session.commit()
    return result


@province.get("/entry-changes", name="province.entry_changes.list", summary="资源信息变更申请")
def province_list(
    actor: ActorDep,
    session: SessionDep,
    status: Annotated[EntryChangeStatus | None, Query(description="pending 为待审核")] = None,
) -> list[EntryChangeRead]:
    """Every change request, newest first (those to decide: `status=pending`)."""
    found = entry_changes.entry_changes(session=session, actor=actor, status=status)
    return [EntryChangeRead.of(c) for c in found]


@province.get(
    "/entry-changes/{change_id}", name="province.entry_changes.get", summary="变更申请详情"
)
def get_change(change_id: int, actor: ActorDep, session: SessionDep) -> EntryChangeRead:
    """A change request with every text before and after."""
    change = entry_changes.get_change(session=session, actor=actor, change_id=change_id)
    return EntryChangeRead.of(change)


@province.post(
    "/entry-changes/{change_id}/approval",
    name="province.entry_changes.approve",
    summary="同意变更：资源库内容随即更新",
)
def approve(
    change_id: int, body: ApprovalCreate, actor: ActorDep, session: SessionDep, now: NowDep
) -> EntryChangeRead:
    """Approve: the texts change, the cases are added and search reads the new content."""
    change = entry_changes.approve_change(
        session=session, actor=actor, now=now, change_id=change_id, note=body.note,
        expected_version=body.expected_version,
    )  # fmt: skip
    result = EntryChangeRead.of(change)
    session.commit()
    return result


@province.post(
    "/entry-changes/{change_id}/rejection",
    name="province.entry_changes.reject",
    summary="不同意变更（须说明理由）",
)
def reject(
    change_id: int, body: RejectionCreate, actor: ActorDep, session: SessionDep, now: NowDep
) -> EntryChangeRead:
    """Reject with a reason; the provider is told and the entry keeps its content."""
    change = entry_changes.reject_change(
        session=session, actor=actor, now=now, change_id=change_id, reason=body.reason,
        expected_version=body.expected_version,
    )  # fmt: skip
    result = EntryChangeRead.of(change)
    session.commit()
    return result
