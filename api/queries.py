"""Read-only queries the API needs and the registry has no service function for yet.

They only read; every scope decision still goes through the registry (`get_application`,
`get_organisation`, …) before any of these is used on a scoped object.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from api.errors import ServiceError
from registry.enums import ApplicationStatus, ExpertCategory
from registry.errors import NotFound
from registry.models.accounts import Expert, User
from registry.models.applications import Application, Batch
from registry.models.audit import AuditEntry
from registry.models.resources import EvidenceDocument, Resource
from registry.models.reviews import ExpertPanel, MunicipalReview, Objection


def batches(session: Session) -> list[Batch]:
    """Every batch, newest first."""
    return list(session.scalars(select(Batch).order_by(Batch.opens_on.desc())))


def preload(session: Session, applications: Sequence[Application]) -> None:
    """Load the resources, organisations and batches of `applications` in two queries, so the
    summaries built from them find everything in the session instead of one query each."""
    if not applications:
        return
    resource_ids = {a.resource_id for a in applications}
    session.scalars(
        select(Resource)
        .options(selectinload(Resource.organisation))
        .where(Resource.id.in_(resource_ids))
    ).all()
    session.scalars(select(Batch).where(Batch.id.in_({a.batch_id for a in applications}))).all()


def in_publicity(session: Session) -> list[Application]:
    """Applications in their publicity period (public by definition, Art.15), oldest first."""
    query = (
        select(Application)
        .where(Application.status == ApplicationStatus.PUBLICITY)
        .order_by(Application.publicity_started_at, Application.id)
    )
    return list(session.scalars(query))


def organisation_resources(session: Session, organisation_id: int) -> list[Resource]:
    """The resources of one organisation, by code."""
    query = select(Resource).where(Resource.organisation_id == organisation_id)
    return list(session.scalars(query.order_by(Resource.code)))


def organisation_evidence(session: Session, organisation_id: int) -> list[EvidenceDocument]:
    """Every evidence document of one organisation (its resources' and its financial ones)."""
    query = select(EvidenceDocument).where(EvidenceDocument.organisation_id == organisation_id)
    return list(session.scalars(query.order_by(EvidenceDocument.id)))


def application_evidence(session: Session, application: Application) -> list[EvidenceDocument]:
    """What reviewers of `application` may read: its resource's and the applicant's financial
    documents (Art.9(3)-(4))."""
    resource = application.resource
    query = select(EvidenceDocument).where(
        EvidenceDocument.organisation_id == resource.organisation_id,
        (EvidenceDocument.resource_id == resource.id) | EvidenceDocument.resource_id.is_(None),
    )
    return list(session.scalars(query.order_by(EvidenceDocument.id)))


def evidence_of_application(
    session: Session, application: Application, evidence_id: int
) -> EvidenceDocument:
    """One evidence document of `application` (the caller already may see the application)."""
    for document in application_evidence(session, application):
        if document.id == evidence_id:
            return document
    raise NotFound(
        f"该申报没有这份佐证材料：{evidence_id}",
        code="evidence_not_found",
        loc=("evidence", evidence_id),
    )


def municipal_reviews(session: Session, application_id: int) -> list[MunicipalReview]:
    """The city's opinions on an application, oldest first."""
    query = select(MunicipalReview).where(MunicipalReview.application_id == application_id)
    return list(session.scalars(query.order_by(MunicipalReview.id)))


def objections(session: Session, application_id: int) -> list[Objection]:
    """Objections raised against an application, oldest first."""
    query = select(Objection).where(Objection.application_id == application_id)
    return list(session.scalars(query.order_by(Objection.id)))


def panel_of(session: Session, application_id: int) -> ExpertPanel | None:
    """The expert panel of an application, if one was formed."""
    return session.scalar(select(ExpertPanel).where(ExpertPanel.application_id == application_id))


def expert_pool(session: Session, category: ExpertCategory | None) -> list[Expert]:
    """Active experts of the pool, optionally of one category, by name."""
    query = select(Expert).join(User, Expert.user_id == User.id).where(User.is_active.is_(True))
    if category is not None:
        query = query.where(Expert.category == category)
    return list(session.scalars(query.order_by(Expert.name, Expert.id)))


def users(session: Session) -> list[User]:
    """Every account, by username."""
    return list(session.scalars(select(User).order_by(User.username)))


@dataclass(frozen=True, slots=True, kw_only=True)
class AuditFilter:
    """Which audit rows to read (all given conditions must hold)."""

    object_type: str | None = None
    object_id: str | None = None
    action: str | None = None  # exact, or a prefix ending in "." (e.g. "application.")
    actor_user_id: int | None = None
    since: datetime | None = None
    until: datetime | None = None


def audit_entries(
    session: Session, where: AuditFilter, *, limit: int, offset: int
) -> tuple[list[AuditEntry], int]:
    """Audit rows matching `where`, newest first, one page of them and the total."""
    if where.since and where.until and where.since > where.until:
        raise ServiceError(422, "audit_range_invalid", "起始时间不能晚于结束时间")
    query = select(AuditEntry)
    if where.object_type:
        query = query.where(AuditEntry.object_type == where.object_type)
    if where.object_id:
        query = query.where(AuditEntry.object_id == where.object_id)
    if where.action:
        query = query.where(
            AuditEntry.action.startswith(where.action, autoescape=True)
            if where.action.endswith(".")
            else AuditEntry.action == where.action
        )
    if where.actor_user_id is not None:
        query = query.where(AuditEntry.actor_user_id == where.actor_user_id)
    if where.since:
        query = query.where(AuditEntry.at >= where.since)
    if where.until:
        query = query.where(AuditEntry.at <= where.until)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(
        query.order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(limit).offset(offset)
    )
    return list(rows), total
