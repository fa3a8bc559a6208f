"""Provincial staff (省工信厅): every application's file, the Art.7(1) waiver, the expert pool
with conflicts of interest, panel assignment and the panel report (Art.14, 22)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query, Response

from api.deps import ActorDep, FileStoreDep, NowDep, SessionDep
from api.queries import expert_pool, panel_of, preload
from api.routes import api_router
from api.schemas.applications import ApplicationSummaryRead
from api.schemas.common import Page, Paging, page_of, paging
from api.schemas.reviews import (
    ExpertRead,
    PanelAssign,
    PanelRead,
    PanelReportCreate,
    ProvinceApplicationRead,
)
from api.schemas.staff import WaiverCreate
from api.views import FILE_RESPONSE, evidence_file, province_view
from registry.enums import ApplicationStatus, ExpertCategory
from registry.services import access, experts, submissions

router = api_router("/province", "省级认定")


@router.get("/applications", name="province.applications.list", summary="全部申报")
def list_applications(
    actor: ActorDep,
    session: SessionDep,
    now: NowDep,
    page: Annotated[Paging, Depends(paging)],
    status: Annotated[ApplicationStatus | None, Query()] = None,
    batch: Annotated[str | None, Query(max_length=8)] = None,
    city: Annotated[str | None, Query(max_length=20)] = None,
) -> Page[ApplicationSummaryRead]:
    """Applications of every city and route, newest first, filtered and paged."""
    visible = access.visible_applications(session=session, actor=actor, status=status)
    if batch is not None or city is not None:
        preload(session, visible)
    found = [
        a
        for a in visible
        if (batch is None or a.batch.code == batch)
        and (city is None or a.resource.organisation.city == city)
    ]
    items, total = page_of(found, page)
    preload(session, items)
    return Page[ApplicationSummaryRead](
        items=[ApplicationSummaryRead.of(a, role=actor.role, now=now) for a in items],
        total=total,
        limit=page.limit,
        offset=page.offset,
    )


@router.get(
    "/applications/{application_id}", name="province.applications.get", summary="申报全部材料"
)
def get_application(
    application_id: int, actor: ActorDep, session: SessionDep, now: NowDep
) -> ProvinceApplicationRead:
    """The whole file: resource, applicant, evidence, opinions, panel, objections."""
    application = access.get_application(
        session=session, actor=actor, application_id=application_id
    )
    return province_view(session, application, actor=actor, now=now)


@router.get(
    "/applications/{application_id}/evidence/{evidence_id}/file",
    name="province.evidence",
    summary="下载佐证材料",
    response_class=Response,
    responses=FILE_RESPONSE,
)
def evidence(
    application_id: int, evidence_id: int, actor: ActorDep, session: SessionDep, store: FileStoreDep
) -> Response:
    """One evidence file of any application."""
    application = access.get_application(
        session=session, actor=actor, application_id=application_id
    )
    return evidence_file(session, store, application, evidence_id)


@router.post(
    "/applications/{application_id}/years-waiver",
    name="province.waiver",
    summary="放宽业务年限要求（第七条第（一）项）",
)
def years_waiver(
    application_id: int, body: WaiverCreate, actor: ActorDep, session: SessionDep, now: NowDep
) -> ProvinceApplicationRead:
    """Record the province's waiver of the 2-year requirement before submission."""
    application = submissions.record_years_waiver(
        session=session, actor=actor, now=now, application_id=application_id, reason=body.reason
    )
    result = province_view(session, application, actor=actor, now=now)
    session.commit()
    return result


@router.get("/experts", name="province.experts.list", summary="专家库（可标注与某申报的利益冲突）")
def list_experts(
    actor: ActorDep,
    session: SessionDep,
    category: Annotated[ExpertCategory | None, Query()] = None,
    application_id: Annotated[int | None, Query(description="给出时列出每位专家的回避理由")] = None,
) -> list[ExpertRead]:
    """Active experts; with `application_id`, each one's conflicts with that application."""
    application = (
        access.get_application(session=session, actor=actor, application_id=application_id)
        if application_id is not None
        else None
    )
    return [
        ExpertRead(
            id=e.id,
            name=e.name,
            category=e.category,
            affiliation=e.affiliation,
            conflicts=experts.conflicts(session, e, application) if application else [],
        )
        for e in expert_pool(session, category)
    ]


@router.post(
    "/applications/{application_id}/panel/experts",
    name="province.panel.assign",
    summary="分配评审专家（有利益冲突者一律拒绝）",
)
def assign_experts(
    application_id: int, body: PanelAssign, actor: ActorDep, session: SessionDep, now: NowDep
) -> PanelRead:
    """Add experts to the panel; any conflict of interest refuses the whole request (Art.22)."""
    panel = experts.assign_experts(
        session=session,
        actor=actor,
        now=now,
        application_id=application_id,
        expert_ids=body.expert_ids,
    )
    session.refresh(panel, ["assignments"])
    result = PanelRead.of(panel)
    session.commit()
    return result


@router.post(
    "/applications/{application_id}/panel/report",
    name="province.panel.report",
    summary="专家组评审报告：拟认定 / 不予认定（第十四条）",
)
def report_panel(
    application_id: int, body: PanelReportCreate, actor: ActorDep, session: SessionDep, now: NowDep
) -> PanelRead:
    """The panel's conclusion; needs an expert of each category and every score."""
    experts.report_panel(
        session=session,
        actor=actor,
        now=now,
        application_id=application_id,
        decision=body.decision,
        summary=body.summary,
        expected_version=body.expected_version,
    )
    panel = panel_of(session, application_id)
    assert panel is not None  # the report was just written on it
    session.refresh(panel, ["report"])
    result = PanelRead.of(panel)
    session.commit()
    return result
