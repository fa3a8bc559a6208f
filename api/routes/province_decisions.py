"""Provincial staff: publicity and objections (Art.15), certification into the library, Art.17
direct entry, refusal, and voiding for false material (Art.21)."""

from __future__ import annotations

from api.deps import ActorDep, NowDep, SessionDep
from api.queries import objections
from api.routes import api_router
from api.schemas.common import ReasonedAction, VersionedAction
from api.schemas.reviews import (
    ObjectionCreate,
    ObjectionDecisionCreate,
    ObjectionRead,
    ProvinceApplicationRead,
)
from api.schemas.staff import LibraryEntryRead
from api.views import province_view
from registry.models.library import LibraryEntry
from registry.services import access, bans, publicity

router = api_router("/province", "省级认定")


def _entry(entry: LibraryEntry) -> LibraryEntryRead:
    return LibraryEntryRead(
        resource_code=entry.resource.code,
        status=entry.status,
        priority=entry.priority,
        certified_at=entry.certified_at,
        updated_at=entry.updated_at,
    )


@router.post(
    "/applications/{application_id}/publicity",
    name="province.publicity.start",
    summary="开始公示（5 个工作日，第十五条）",
)
def start_publicity(
    application_id: int, body: VersionedAction, actor: ActorDep, session: SessionDep, now: NowDep
) -> ProvinceApplicationRead:
    """Publish a proposed resource; the publicity deadline is stored."""
    application = publicity.start_publicity(
        session=session,
        actor=actor,
        now=now,
        application_id=application_id,
        expected_version=body.expected_version,
    )
    session.expire(application, ["findings", "history"])
    result = province_view(session, application, actor=actor, now=now)
    session.commit()
    return result


@router.get(
    "/applications/{application_id}/objections",
    name="province.objections.list",
    summary="异议",
)
def list_objections(
    application_id: int, actor: ActorDep, session: SessionDep
) -> list[ObjectionRead]:
    """Objections raised against an application and their decisions."""
    application = access.get_application(
        session=session, actor=actor, application_id=application_id
    )
    return [ObjectionRead.model_validate(o) for o in objections(session, application.id)]


@router.post(
    "/applications/{application_id}/objections",
    name="province.objections.raise",
    summary="登记公示期异议",
    status_code=201,
)
def raise_objection(
    application_id: int, body: ObjectionCreate, actor: ActorDep, session: SessionDep, now: NowDep
) -> ObjectionRead:
    """Record an objection received during publicity (after it ends, none is accepted)."""
    objection = publicity.raise_objection(
        session=session,
        actor=actor,
        now=now,
        application_id=application_id,
        raised_by=body.raised_by,
        content=body.content,
    )
    result = ObjectionRead.model_validate(objection)
    session.commit()
    return result


@router.post(
    "/objections/{objection_id}/decision",
    name="province.objections.decide",
    summary="异议处理：成立（不予认定）/ 不成立",
)
def decide_objection(
    objection_id: int,
    body: ObjectionDecisionCreate,
    actor: ActorDep,
    session: SessionDep,
    now: NowDep,
) -> ObjectionRead:
    """Decide an objection with reasons; an upheld one rejects the application."""
    objection = publicity.decide_objection(
        session=session,
        actor=actor,
        now=now,
        objection_id=objection_id,
        upheld=body.upheld,
        reason=body.reason,
        expected_version=body.expected_version,
    )
    result = ObjectionRead.model_validate(objection)
    session.commit()
    return result


@router.post(
    "/applications/{application_id}/certification",
    name="province.certify",
    summary="正式认定入库（公示期满、无未决异议）",
)
def certify(
    application_id: int, body: VersionedAction, actor: ActorDep, session: SessionDep, now: NowDep
) -> LibraryEntryRead:
    """Certify after publicity: the resource enters the library (and the index hears of it)."""
    entry = publicity.certify(
        session=session,
        actor=actor,
        now=now,
        application_id=application_id,
        expected_version=body.expected_version,
    )
    result = _entry(entry)
    session.commit()
    return result


@router.post(
    "/applications/{application_id}/direct-entry/verification",
    name="province.direct_entry.verify",
    summary="核实创新平台认定，直接入库（第十七条）",
)
def verify_direct_entry(
    application_id: int, body: VersionedAction, actor: ActorDep, session: SessionDep, now: NowDep
) -> LibraryEntryRead:
    """Verify the platform's certification (within validity): the resource enters at once."""
    entry = publicity.verify_direct_entry(
        session=session,
        actor=actor,
        now=now,
        application_id=application_id,
        expected_version=body.expected_version,
    )
    result = _entry(entry)
    session.commit()
    return result


@router.post(
    "/applications/{application_id}/rejection",
    name="province.reject",
    summary="不予直接入库（第十七条认定文件不成立）",
)
def reject(
    application_id: int, body: ReasonedAction, actor: ActorDep, session: SessionDep, now: NowDep
) -> ProvinceApplicationRead:
    """Refuse an Art.17 direct entry, with reasons."""
    application = publicity.reject_application(
        session=session,
        actor=actor,
        now=now,
        application_id=application_id,
        reason=body.reason,
        expected_version=body.expected_version,
    )
    session.expire(application, ["findings", "history"])
    result = province_view(session, application, actor=actor, now=now)
    session.commit()
    return result


@router.post(
    "/applications/{application_id}/void",
    name="province.void",
    summary="申报无效并禁止申报三年（第二十一条，虚假材料）",
)
def void(
    application_id: int, body: ReasonedAction, actor: ActorDep, session: SessionDep, now: NowDep
) -> ProvinceApplicationRead:
    """False material: the application is void and the applicant banned for three years."""
    application = bans.void_application(
        session=session,
        actor=actor,
        now=now,
        application_id=application_id,
        reason=body.reason,
        expected_version=body.expected_version,
    )
    session.expire(application, ["findings", "history"])
    result = province_view(session, application, actor=actor, now=now)
    session.commit()
    return result
