"""Municipal reviewers (地市工信部门): their own city's queue with deadlines and overdue flags,
the file of an application, and the Art.13 opinion (recommend / return / reject)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, Response
from sqlalchemy.orm import Session

from api.deps import ActorDep, FileStoreDep, NowDep, SessionDep
from api.queries import preload
from api.routes import api_router
from api.schemas.applications import ApplicationSummaryRead
from api.schemas.reviews import CityApplicationRead, MunicipalDecisionCreate, OverdueRead
from api.views import FILE_RESPONSE, city_view, evidence_file
from registry.actor import Actor
from registry.enums import ApplicationStatus
from registry.errors import NotFound
from registry.models.applications import Application
from registry.services import access, deadlines, municipal

router = api_router("/city", "地市初审")


def city_application(session: Session, actor: Actor, application_id: int) -> Application:
    """An application of the reviewer's city (registry scope), once the provider submitted it:
    a draft is the provider's own business."""
    application = access.get_application(
        session=session, actor=actor, application_id=application_id
    )
    if application.status is ApplicationStatus.DRAFT:
        raise NotFound(
            f"申报不存在或尚未提交：{application_id}",
            code="application_not_submitted",
            loc=("application", application_id),
        )
    return application


@router.get("/queue", name="city.queue", summary="待初审（按期限排序，标注逾期）")
def queue(
    actor: ActorDep,
    session: SessionDep,
    now: NowDep,
    overdue_only: Annotated[bool, Query()] = False,
) -> list[ApplicationSummaryRead]:
    """Applications of the reviewer's city awaiting the Art.13 opinion, earliest due first."""
    found = access.visible_applications(
        session=session, actor=actor, status=ApplicationStatus.MUNICIPAL_REVIEW
    )
    preload(session, found)
    items = [ApplicationSummaryRead.of(a, role=actor.role, now=now) for a in found]
    if overdue_only:
        items = [item for item in items if item.overdue]
    return sorted(items, key=lambda item: (item.current_due_at is None, item.current_due_at))


@router.get("/applications", name="city.applications.list", summary="本市申报")
def list_applications(
    actor: ActorDep,
    session: SessionDep,
    now: NowDep,
    status: Annotated[ApplicationStatus | None, Query()] = None,
) -> list[ApplicationSummaryRead]:
    """Every submitted application of the reviewer's city on the municipal route."""
    found = access.visible_applications(session=session, actor=actor, status=status)
    preload(session, found)
    return [ApplicationSummaryRead.of(a, role=actor.role, now=now) for a in found]


@router.get("/applications/{application_id}", name="city.applications.get", summary="申报材料")
def get_application(
    application_id: int, actor: ActorDep, session: SessionDep, now: NowDep
) -> CityApplicationRead:
    """The resource, cases, applicant, evidence, findings and history of one application."""
    application = city_application(session, actor, application_id)
    return city_view(session, application, actor=actor, now=now)


@router.get(
    "/applications/{application_id}/evidence/{evidence_id}/file",
    name="city.evidence",
    summary="下载佐证材料",
    response_class=Response,
    responses=FILE_RESPONSE,
)
def evidence(
    application_id: int, evidence_id: int, actor: ActorDep, session: SessionDep, store: FileStoreDep
) -> Response:
    """One evidence file of an application of the reviewer's city."""
    application = city_application(session, actor, application_id)
    return evidence_file(session, store, application, evidence_id)


@router.post(
    "/applications/{application_id}/decision",
    name="city.decide",
    summary="初审意见：推荐 / 退回补正 / 不予推荐（第十三条）",
)
def decide(
    application_id: int,
    body: MunicipalDecisionCreate,
    actor: ActorDep,
    session: SessionDep,
    now: NowDep,
) -> CityApplicationRead:
    """Record the city's opinion with reasons; the application moves on at once."""
    review = municipal.municipal_decide(
        session=session,
        actor=actor,
        now=now,
        application_id=application_id,
        decision=body.decision,
        reasons=body.reasons,
        expected_version=body.expected_version,
    )
    application = access.get_application(
        session=session, actor=actor, application_id=review.application_id
    )
    session.expire(application, ["findings", "history"])
    result = city_view(session, application, actor=actor, now=now)
    session.commit()
    return result


@router.get("/overdue", name="city.overdue", summary="本市逾期未初审")
def overdue(actor: ActorDep, session: SessionDep, now: NowDep) -> list[OverdueRead]:
    """The city's applications past their 10-working-day deadline (Art.13), oldest first."""
    found = deadlines.overdue(session=session, actor=actor, now=now)
    return [OverdueRead.of(item, now=now) for item in found]
