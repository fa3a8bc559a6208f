"""Registering organisations (Art.8) and recording what the rules later check against them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.actor import Actor, require_organisation, require_role
from registry.audit import record, snapshot
from registry.enums import Role
from registry.errors import Conflict, InvalidInput, NotFound
from registry.inputs import AccidentInput, OrganisationInput, UploadedFile, ViolationInput
from registry.models.organisations import Accident, Organisation, Revenue, Violation
from registry.reference import OUTSIDE_GUANGDONG, is_guangdong_city
from registry.services.files import store_file
from registry.storage import FileStore
from registry.uscc import uscc_problem

_REGISTERED = ("uscc", "name", "org_type", "scale", "city", "province", "innovative_sme")
# Who may register an organisation: the applicant itself (a provider without one yet) or staff.
_REGISTRARS = (Role.PROVIDER, Role.PROVINCIAL_STAFF, Role.ADMIN)


def validate_organisation(data: OrganisationInput) -> None:
    """InvalidInput for a bad USCC, an unknown city or an inconsistent province (Art.8)."""
    problem = uscc_problem(data.uscc)
    if problem:
        raise InvalidInput(problem, code="art8.uscc_invalid", article="Art.8", loc=("uscc",))
    if data.city != OUTSIDE_GUANGDONG and not is_guangdong_city(data.city):
        raise InvalidInput(
            f"未知城市：{data.city}（应为广东省 21 个地级以上市之一或“省外”）",
            code="art8.city_unknown",
            article="Art.8",
            loc=("city",),
        )
    if (data.city == OUTSIDE_GUANGDONG) == (data.province == "广东省"):
        raise InvalidInput(
            "所在城市为“省外”时省份必须为外省，反之必须为广东省",
            code="art8.province_mismatch",
            article="Art.8",
            loc=("province",),
        )
    if data.business_since < data.established_on:
        raise InvalidInput(
            "从事相关业务的起始日期不能早于成立日期",
            code="business_before_establishment",
            loc=("business_since",),
        )


def register_organisation(
    *,
    session: Session,
    actor: Actor,
    now: datetime,
    data: OrganisationInput,
    store: FileStore,
    licence: UploadedFile,
) -> Organisation:
    """Register an organisation with its licence file (营业执照 / 法人证书, Art.8)."""
    require_role(actor, *_REGISTRARS, article="Art.8")
    if actor.role is Role.PROVIDER and actor.organisation_id is not None:
        raise Conflict("本账号已关联申报单位", code="already_registered", loc=("uscc",))
    validate_organisation(data)
    for column, value in (("uscc", data.uscc), ("name", data.name)):
        if session.scalar(select(Organisation.id).where(getattr(Organisation, column) == value)):
            raise Conflict(
                f"该单位已注册：{value}", code="organisation_exists", article="Art.8", loc=(column,)
            )
    fields = {name: getattr(data, name) for name in _ORG_COLUMNS}
    org = Organisation(**fields, created_at=now, updated_at=now)
    org.licence_file_id = store_file(session=session, store=store, upload=licence, now=now).id
    org.revenues = [Revenue(year=year, amount_cny=amount) for year, amount in data.revenue]
    org.accidents = [_accident(a) for a in data.accidents]
    org.violations = [_violation(v) for v in data.violations]
    session.add(org)
    session.flush()
    record(
        session,
        actor=actor,
        now=now,
        action="organisation.register",
        object_type="organisation",
        object_id=org.id,
        after=snapshot(org, _REGISTERED),
    )
    return org


_ORG_COLUMNS = (
    "uscc",
    "name",
    "org_type",
    "innovative_sme",
    "scale",
    "city",
    "province",
    "address",
    "guangdong_operations",
    "established_on",
    "business_since",
    "employees",
    "contact_name",
    "contact_phone",
    "contact_email",
    "independent_legal_person",
    "operating_normally",
    "facilities_and_team",
    "sound_finance",
    "dishonest_listed_on",
    "dishonest_removed_on",
    "punishment_ends_on",
    "abnormal_operation",
)


def _accident(data: AccidentInput) -> Accident:
    return Accident(
        occurred_on=data.occurred_on,
        kind=data.kind,
        severity=data.severity,
        description=data.description,
    )


def _violation(data: ViolationInput) -> Violation:
    return Violation(occurred_on=data.occurred_on, major=data.major, description=data.description)


def get_organisation(*, session: Session, actor: Actor, organisation_id: int) -> Organisation:
    """An organisation the actor may see: providers only their own."""
    if actor.role is Role.PROVIDER:
        require_organisation(actor, organisation_id)
    org = session.get(Organisation, organisation_id)
    if org is None:
        raise NotFound(f"申报单位不存在：{organisation_id}", loc=("organisation", organisation_id))
    return org


def find_by_uscc(*, session: Session, uscc: str) -> Organisation | None:
    """The organisation registered with `uscc`, if any."""
    return session.scalar(select(Organisation).where(Organisation.uscc == uscc))


def record_accident(
    *, session: Session, actor: Actor, now: datetime, organisation_id: int, data: AccidentInput
) -> Accident:
    """Staff record an accident found by supervision (Art.4(4), Art.19(2))."""
    require_role(actor, Role.PROVINCIAL_STAFF, article="Art.19(2)")
    org = get_organisation(session=session, actor=actor, organisation_id=organisation_id)
    accident = _accident(data)
    org.accidents.append(accident)
    session.flush()
    record(
        session,
        actor=actor,
        now=now,
        action="organisation.record_accident",
        object_type="organisation",
        object_id=org.id,
        after=snapshot(accident, ("occurred_on", "kind", "severity", "description")),
    )
    return accident


def record_violation(
    *, session: Session, actor: Actor, now: datetime, organisation_id: int, data: ViolationInput
) -> Violation:
    """Staff record a violation of law or regulation (Art.7(5))."""
    require_role(actor, Role.PROVINCIAL_STAFF, article="Art.7(5)")
    org = get_organisation(session=session, actor=actor, organisation_id=organisation_id)
    violation = _violation(data)
    org.violations.append(violation)
    session.flush()
    record(
        session,
        actor=actor,
        now=now,
        action="organisation.record_violation",
        object_type="organisation",
        object_id=org.id,
        after=snapshot(violation, ("occurred_on", "major", "description")),
    )
    return violation
