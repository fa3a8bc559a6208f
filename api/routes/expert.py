"""Experts (评审专家): only the applications assigned to them (Art.22), their own scores on the
four Art.14 criteria, evidence files, and declarations of conflicts of interest."""

from __future__ import annotations

from fastapi import Response

from api.deps import ActorDep, FileStoreDep, NowDep, SessionDep
from api.queries import preload
from api.routes import api_router
from api.schemas.applications import ApplicationSummaryRead
from api.schemas.reviews import (
    ConflictCreate,
    ConflictRead,
    ExpertApplicationRead,
    ScoreRead,
    ScoreUpdate,
)
from api.views import FILE_RESPONSE, evidence_file, expert_view
from registry.errors import NotFound
from registry.models.organisations import Organisation
from registry.services import access, experts

router = api_router("/expert", "专家评审")


@router.get("/applications", name="expert.applications.list", summary="分配给本人的申报")
def list_applications(
    actor: ActorDep, session: SessionDep, now: NowDep
) -> list[ApplicationSummaryRead]:
    """Applications on whose panel the expert sits, with the expert-review deadline."""
    found = access.visible_applications(session=session, actor=actor)
    preload(session, found)
    return [ApplicationSummaryRead.of(a, role=actor.role, now=now) for a in found]


@router.get("/applications/{application_id}", name="expert.applications.get", summary="申报材料")
def get_application(
    application_id: int, actor: ActorDep, session: SessionDep, now: NowDep
) -> ExpertApplicationRead:
    """An assigned application's file and the expert's own score (never the others')."""
    application = access.get_application(
        session=session, actor=actor, application_id=application_id
    )
    return expert_view(session, application, actor=actor, now=now)


@router.get(
    "/applications/{application_id}/evidence/{evidence_id}/file",
    name="expert.evidence",
    summary="下载佐证材料",
    response_class=Response,
    responses=FILE_RESPONSE,
)
def evidence(
    application_id: int, evidence_id: int, actor: ActorDep, session: SessionDep, store: FileStoreDep
) -> Response:
    """One evidence file of an assigned application."""
    application = access.get_application(
        session=session, actor=actor, application_id=application_id
    )
    return evidence_file(session, store, application, evidence_id)


@router.put(
    "/applications/{application_id}/score",
    name="expert.score",
    summary="评分：技术先进性、成熟度、应用成效、推广价值（第十四条）",
)
def score(
    application_id: int, body: ScoreUpdate, actor: ActorDep, session: SessionDep, now: NowDep
) -> ScoreRead:
    """Record or revise the expert's scores until the panel reports."""
    saved = experts.submit_score(
        session=session,
        actor=actor,
        now=now,
        application_id=application_id,
        scores=body.to_input(),
    )
    result = ScoreRead.model_validate(saved)
    session.commit()
    return result


@router.post(
    "/conflicts",
    name="expert.conflicts.declare",
    summary="申报利益冲突（第二十二条）",
    status_code=201,
)
def declare_conflict(
    body: ConflictCreate, actor: ActorDep, session: SessionDep, now: NowDep
) -> ConflictRead:
    """Declare a conflict of interest with an organisation; assignment to it is then refused."""
    if session.get(Organisation, body.organisation_id) is None:
        raise NotFound(
            f"申报单位不存在：{body.organisation_id}",
            code="organisation_not_found",
            loc=("body", "organisation_id"),
        )
    declaration = experts.declare_conflict(
        session=session,
        actor=actor,
        now=now,
        organisation_id=body.organisation_id,
        reason=body.reason,
    )
    result = ConflictRead.model_validate(declaration)
    session.commit()
    return result
