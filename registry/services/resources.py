"""Resources with their cases and evidence (Art.9), created and edited by their provider."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.actor import Actor, require_organisation, require_role
from registry.audit import record, snapshot
from registry.enums import ApplicationStatus, Role
from registry.errors import Conflict, InvalidInput, NotFound
from registry.inputs import CaseInput, EvidenceInput, ResourceInput, UploadedFile
from registry.models.applications import Application
from registry.models.organisations import Organisation
from registry.models.resources import (
    Case,
    ConsortiumMember,
    EvidenceDocument,
    Resource,
    ResourceDirection,
    ResourceIndustry,
)
from registry.reference import INDUSTRIES, Direction
from registry.seed_schema import EvidenceKind
from registry.services.files import store_file
from registry.storage import FileStore

# While an application is in one of these states its resource may be edited.
EDITABLE = frozenset(
    {
        ApplicationStatus.DRAFT,
        ApplicationStatus.RETURNED,
        ApplicationStatus.REJECTED,
        ApplicationStatus.VOIDED,
    }
)
FINANCIAL_KINDS = frozenset({EvidenceKind.AUDIT_REPORT, EvidenceKind.FINANCIAL_STATEMENT})
_RESOURCE_FIELDS = ("code", "title", "form", "summary", "advantages", "indicators", "scenarios")


def get_resource(*, session: Session, actor: Actor, resource_id: int) -> Resource:
    """A resource the actor may see: providers only their own organisation's."""
    resource = session.get(Resource, resource_id)
    if resource is None:
        raise NotFound(f"赋能资源不存在：{resource_id}", loc=("resource", resource_id))
    if actor.role is Role.PROVIDER:
        require_organisation(actor, resource.organisation_id)
    return resource


def _editable(session: Session, actor: Actor, resource_id: int) -> Resource:
    require_role(actor, Role.PROVIDER, Role.ADMIN)
    resource = get_resource(session=session, actor=actor, resource_id=resource_id)
    busy = session.scalar(
        select(Application.status).where(
            Application.resource_id == resource.id, Application.status.not_in(EDITABLE)
        )
    )
    if busy is not None:
        raise Conflict(
            "该资源正在审核或已入库，不能修改材料", code="resource_locked", loc=("resource",)
        )
    return resource


def _validate_resource(data: ResourceInput) -> None:
    if not data.directions:
        raise InvalidInput(
            "至少选择一个赋能方向",
            code="directions_missing",
            article="Art.9(1)",
            loc=("directions",),
        )
    unknown = [code for code in data.industries if code not in INDUSTRIES]
    if unknown or not data.industries:
        raise InvalidInput(
            f"赋能重点行业应为 GB/T 4754-2017 C13–C43：{', '.join(unknown) or '未填写'}",
            code="art9.industry_invalid",
            article="Art.9(1)",
            loc=("industries",),
        )
    if data.consortium_uscc and Direction.COMPREHENSIVE not in data.directions:
        raise InvalidInput(
            "只有综合赋能方向的资源可以由联合体申报",
            code="art5.consortium_not_comprehensive",
            article="Art.5",
            loc=("consortium",),
        )


def _consortium(session: Session, owner_id: int, usccs: tuple[str, ...]) -> list[ConsortiumMember]:
    members = []
    for position, uscc in enumerate(usccs):
        org_id = session.scalar(select(Organisation.id).where(Organisation.uscc == uscc))
        if org_id is None or org_id == owner_id:
            raise InvalidInput(
                f"联合体成员未注册或与申报单位相同：{uscc}",
                code="unknown_consortium_member",
                article="Art.5",
                loc=("consortium", position),
            )
        members.append(ConsortiumMember(organisation_id=org_id, position=position))
    return members


def create_resource(
    *, session: Session, actor: Actor, now: datetime, organisation_id: int, data: ResourceInput
) -> Resource:
    """Create a resource of the actor's organisation (Art.9(1) information)."""
    require_role(actor, Role.PROVIDER, Role.ADMIN)
    if actor.role is Role.PROVIDER:
        require_organisation(actor, organisation_id)
    _validate_resource(data)
    code = data.code or f"R{uuid.uuid4().hex[:10].upper()}"
    if session.scalar(select(Resource.id).where(Resource.code == code)):
        raise Conflict(f"资源编号已存在：{code}", code="resource_exists", loc=("code",))
    resource = Resource(organisation_id=organisation_id, code=code, created_at=now, updated_at=now)
    _assign(session, resource, data)
    session.add(resource)
    session.flush()
    record(
        session,
        actor=actor,
        now=now,
        action="resource.create",
        object_type="resource",
        object_id=resource.id,
        after=_state(resource),
    )
    return resource


def update_resource(
    *, session: Session, actor: Actor, now: datetime, resource_id: int, data: ResourceInput
) -> Resource:
    """Replace a resource's information while it is not under review."""
    resource = _editable(session, actor, resource_id)
    _validate_resource(data)
    before = _state(resource)
    _assign(session, resource, data)
    resource.updated_at = now
    session.flush()
    record(
        session,
        actor=actor,
        now=now,
        action="resource.update",
        object_type="resource",
        object_id=resource.id,
        before=before,
        after=_state(resource),
    )
    return resource


def _assign(session: Session, resource: Resource, data: ResourceInput) -> None:
    for name in ("title", "form", "summary", "advantages", "indicators", "scenarios"):
        setattr(resource, name, getattr(data, name))
    resource.keywords = list(data.keywords)
    resource.directions = [
        ResourceDirection(direction=d, position=i)
        for i, d in enumerate(dict.fromkeys(data.directions))
    ]
    resource.industries = [
        ResourceIndustry(industry_code=c, position=i)
        for i, c in enumerate(dict.fromkeys(data.industries))
    ]
    resource.consortium = _consortium(session, resource.organisation_id, data.consortium_uscc)


def _state(resource: Resource) -> dict[str, object]:
    return snapshot(resource, _RESOURCE_FIELDS) | {
        "directions": [d.value for d in resource.direction_values],
        "industries": resource.industry_codes,
    }


def add_case(
    *, session: Session, actor: Actor, now: datetime, resource_id: int, data: CaseInput
) -> Case:
    """Add an application case (Art.9(2)) to a resource that is not under review."""
    resource = _editable(session, actor, resource_id)
    if data.client_industry not in INDUSTRIES:
        raise InvalidInput(
            f"未知行业代码：{data.client_industry}",
            code="unknown_industry",
            article="Art.9(2)",
            loc=("client_industry",),
        )
    if not data.started_on <= data.completed_on <= data.feedback_on:
        raise InvalidInput(
            "应满足 开始日期 ≤ 完成日期 ≤ 反馈日期",
            code="case_dates_order",
            article="Art.9(2)",
            loc=("started_on",),
        )
    case = Case(
        **{f: getattr(data, f) for f in CaseInput.__slots__},
        created_at=now,
        position=len(resource.cases),
    )
    resource.cases.append(case)
    resource.updated_at = now
    session.flush()
    record(
        session,
        actor=actor,
        now=now,
        action="case.create",
        object_type="case",
        object_id=case.id,
        after=snapshot(case, ("resource_id", "title", "client")),
    )
    return case


def add_evidence(
    *,
    session: Session,
    actor: Actor,
    now: datetime,
    store: FileStore,
    organisation_id: int,
    resource_id: int | None,
    data: EvidenceInput,
    upload: UploadedFile,
) -> EvidenceDocument:
    """Add an evidence document with its file; financial documents belong to the organisation."""
    require_role(actor, Role.PROVIDER, Role.ADMIN)
    if actor.role is Role.PROVIDER:
        require_organisation(actor, organisation_id)
    if (data.kind in FINANCIAL_KINDS) != (resource_id is None):
        raise InvalidInput(
            "财务材料属于申报单位，其他佐证材料属于某一赋能资源",
            code="evidence_owner",
            article="Art.9",
            loc=("resource_id",),
        )
    if resource_id is not None:
        resource = _editable(session, actor, resource_id)
        if resource.organisation_id != organisation_id:
            raise InvalidInput("资源不属于该申报单位", code="evidence_owner", loc=("resource_id",))
    if data.expires_on is not None and data.expires_on <= data.issued_on:
        raise InvalidInput(
            "有效期截止日期必须晚于发证日期",
            code="evidence_dates_order",
            article="Art.12(1)",
            loc=("expires_on",),
        )
    stored = store_file(session=session, store=store, upload=upload, now=now)
    document = EvidenceDocument(
        organisation_id=organisation_id,
        resource_id=resource_id,
        kind=data.kind,
        title=data.title,
        number=data.number,
        issued_on=data.issued_on,
        expires_on=data.expires_on,
        issuer=data.issuer,
        file_id=stored.id,
        created_at=now,
    )
    session.add(document)
    session.flush()
    record(
        session,
        actor=actor,
        now=now,
        action="evidence.create",
        object_type="evidence",
        object_id=document.id,
        after=snapshot(document, ("kind", "title", "issued_on", "expires_on"))
        | {"sha256": stored.sha256, "size_bytes": stored.size_bytes},
    )
    return document
