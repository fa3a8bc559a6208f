"""Building the reviewers' views of an application, and serving evidence files to those who
may read them (the registry has already checked the caller may see the application)."""

from __future__ import annotations

import hashlib
import logging
from datetime import datetime
from typing import Any
from urllib.parse import quote

from fastapi import Response
from sqlalchemy.orm import Session

from api.errors import ServiceError
from api.queries import (
    application_evidence,
    evidence_of_application,
    municipal_reviews,
    objections,
    panel_of,
)
from api.schemas.applications import ApplicationSummaryRead, FindingRead, HistoryRead
from api.schemas.organisations import OrganisationRead
from api.schemas.resources import EvidenceRead, ResourceRead
from api.schemas.reviews import (
    CityApplicationRead,
    ExpertApplicationRead,
    MunicipalReviewRead,
    ObjectionRead,
    PanelRead,
    ProvinceApplicationRead,
    ScoreRead,
)
from registry.actor import Actor
from registry.models.applications import Application
from registry.storage import FileStore

logger = logging.getLogger("funeng.api")

# Shown in OpenAPI for routes that send a file.
FILE_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {"content": {"application/octet-stream": {}}, "description": "文件内容"}
}


def _review_fields(
    session: Session, application: Application, *, actor: Actor, now: datetime
) -> dict[str, object]:
    resource = application.resource
    return {
        **ApplicationSummaryRead.fields(application, role=actor.role, now=now),
        "findings": [FindingRead.of(f) for f in application.findings],
        "history": [HistoryRead.of(h) for h in application.history],
        "resource": ResourceRead.of(resource),
        "organisation": OrganisationRead.model_validate(resource.organisation),
        "evidence": [EvidenceRead.of(d) for d in application_evidence(session, application)],
    }


def _reviews(session: Session, application: Application) -> list[MunicipalReviewRead]:
    return [
        MunicipalReviewRead.model_validate(r) for r in municipal_reviews(session, application.id)
    ]


def city_view(
    session: Session, application: Application, *, actor: Actor, now: datetime
) -> CityApplicationRead:
    """What the city reads of one of its applications."""
    return CityApplicationRead(
        **_review_fields(session, application, actor=actor, now=now),
        municipal_reviews=_reviews(session, application),
    )


def expert_view(
    session: Session, application: Application, *, actor: Actor, now: datetime
) -> ExpertApplicationRead:
    """What an assigned expert reads: no other expert's score (Art.22)."""
    panel = panel_of(session, application.id)
    mine = next(
        (a for a in (panel.assignments if panel else []) if a.expert_id == actor.expert_id), None
    )
    return ExpertApplicationRead(
        **_review_fields(session, application, actor=actor, now=now),
        my_score=ScoreRead.of(mine.score if mine else None),
        panel_closed=panel is not None and panel.report is not None,
    )


def province_view(
    session: Session, application: Application, *, actor: Actor, now: datetime
) -> ProvinceApplicationRead:
    """What the province reads: the whole file."""
    panel = panel_of(session, application.id)
    return ProvinceApplicationRead(
        **_review_fields(session, application, actor=actor, now=now),
        municipal_reviews=_reviews(session, application),
        panel=PanelRead.of(panel) if panel else None,
        objections=[ObjectionRead.model_validate(o) for o in objections(session, application.id)],
        years_waiver_reason=application.years_waiver_reason,
        platform_name=application.platform_name,
        platform_document=application.platform_document,
        platform_certified_on=application.platform_certified_on,
        platform_valid_until=application.platform_valid_until,
    )


def evidence_file(
    session: Session, store: FileStore, application: Application, evidence_id: int
) -> Response:
    """The file of one evidence document of `application`, checked against its SHA-256."""
    document = evidence_of_application(session, application, evidence_id)
    stored = document.file
    try:
        content = store.read(stored.storage_key)
    except OSError:
        content = None
    if content is None or hashlib.sha256(content).hexdigest() != stored.sha256:
        logger.error("evidence file %s missing or corrupted (%s)", document.id, stored.storage_key)
        raise ServiceError(
            503, "file_unavailable", "文件暂时无法读取（存储缺失或校验不符），已记录"
        )
    return Response(
        content,
        media_type=stored.content_type or "application/octet-stream",
        headers={
            "Content-Disposition": f"attachment; filename*=UTF-8''{quote(stored.filename)}",
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "private, no-store",
            "ETag": f'"{stored.sha256}"',
            "X-Checksum-SHA256": stored.sha256,
        },
    )
