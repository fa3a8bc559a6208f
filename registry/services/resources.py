"""Resources with their cases and evidence (Art.9), created and edited by their provider."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.actor import Actor, require_organisation, require_role
from registry.audit import record, snapshot
from registry.enums import ApplicationStatus, Role
from registry.errors import Conflict, InvalidInput, NotFound
from registry.inputs import CaseInput, ResourceInput
from registry.models.applications import Application
from registry.models.organisations import Organisation
from registry.models.resources import (
    Case,
    ConsortiumMember,
    Resource,
    ResourceDirection,
    ResourceIndustry,
)
from registry.reference import INDUSTRIES, Direction
from registry.services.resource_codes import insert_with_code

# While an application is in one of these states its resource may be edited.
EDITABLE = frozenset(
    {
        ApplicationStatus.DRAFT,
        ApplicationStatus.RETURNED,
        ApplicationStatus.REJECTED,
        ApplicationStatus.VOIDED,
    }
)
_RESOURCE_FIELDS = ("code", "title", "form", "summary", "advantages", "indicators", "scenarios")


def get_resource(*, session: Session, actor: Actor, resource_id: int) -> Resource:
    """A resource the actor may see: providers only their own organisation's."""
    resource = session.get(Resource, resource_id)
    if resource is None:
        raise NotFound(f"赋能资源不存在：{resource_id}", loc=("resource", resource_id))
    if actor.role is Role.PROVIDER:
        require_organisation(actor, resource.organisation_id)
    return resource


def editable_resource(session: Session, actor: Actor, resource_id: int) -> Resource:
    """The actor's resource, if no application holds it under review or in the library."""
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
    if data.code and session.scalar(select(Resource.id).where(Resource.code == data.code)):
        raise Conflict(f"资源编号已存在：{data.code}", code="resource_exists", loc=("code",))
    resource = Resource(organisation_id=organisation_id, created_at=now, updated_at=now)
    _assign(session, resource, data)
    if data.code:  # a loaded library brings its own codes
        resource.code = data.code
        session.add(resource)
        session.flush()
    else:
        insert_with_code(session=session, resource=resource, direction=data.directions[0], now=now)
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
    resource = editable_resource(session, actor, resource_id)
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
    resource = editable_resource(session, actor, resource_id)
    check_case(data)
    case = new_case(resource, data, now)
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


def check_case(data: CaseInput, loc: tuple[str | int, ...] = ()) -> None:
    """Refuse a case with an unknown client industry or dates out of order (Art.9(2))."""
    if data.client_industry not in INDUSTRIES:
        raise InvalidInput(
            f"未知行业代码：{data.client_industry}",
            code="art9.industry_invalid",
            article="Art.9(2)",
            loc=(*loc, "client_industry"),
        )
    if not data.started_on <= data.completed_on <= data.feedback_on:
        raise InvalidInput(
            "应满足 开始日期 ≤ 完成日期 ≤ 反馈日期",
            code="case_dates_order",
            article="Art.9(2)",
            loc=(*loc, "started_on"),
        )


def new_case(resource: Resource, data: CaseInput, now: datetime) -> Case:
    """Append a case built from `data` to the resource's cases (last position)."""
    case = Case(
        **{f: getattr(data, f) for f in CaseInput.__slots__},
        created_at=now,
        position=len(resource.cases),
    )
    resource.cases.append(case)
    return case
