"""Quarterly batches (Art.10), applications with their route and deadlines, history, findings,
and the notifications the platform sends to applicants (Art.15)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registry.db import Base, str_enum
from registry.enums import ApplicationStatus, NotificationKind, Role
from registry.findings import Severity
from registry.models.resources import Resource
from registry.seed_schema import Route


class Batch(Base):
    """A quarterly batch: applications are accepted from `opens_on` to `deadline_on` (Art.10-11)."""

    __tablename__ = "batches"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(8), unique=True)  # e.g. 2026Q1
    title: Mapped[str] = mapped_column(String(200))
    opens_on: Mapped[date]
    deadline_on: Mapped[date]
    created_at: Mapped[datetime]


class Application(Base):
    """One application of a resource in a batch; `status` changes only through the workflow.

    `version` is the optimistic lock: every UPDATE checks it, so two actors deciding at once
    yield one change and one conflict.
    """

    __tablename__ = "applications"
    __table_args__ = (
        UniqueConstraint("resource_id", "batch_id"),
        Index(None, "status", "municipal_due_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    resource_id: Mapped[int] = mapped_column(ForeignKey("resources.id"), index=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("batches.id"), index=True)
    route: Mapped[Route] = mapped_column(str_enum(Route, 24))
    status: Mapped[ApplicationStatus] = mapped_column(str_enum(ApplicationStatus, 24))
    version: Mapped[int] = mapped_column(default=1)
    commitment_signed_at: Mapped[datetime | None]  # Art.9(5)
    submitted_at: Mapped[datetime | None]
    received_at: Mapped[datetime | None]  # receipt by the reviewing authority
    municipal_due_at: Mapped[datetime | None]  # Art.13: 10 working days
    recommended_at: Mapped[datetime | None]
    expert_due_at: Mapped[datetime | None]  # Art.14: 5 working days
    publicity_started_at: Mapped[datetime | None]
    publicity_due_at: Mapped[datetime | None]  # Art.15: 5 working days
    decided_at: Mapped[datetime | None]  # certified, rejected or voided
    years_waiver_reason: Mapped[str | None] = mapped_column(Text)  # Art.7(1), by the province
    years_waiver_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # Art.17: the certifying document of a provincial-or-higher innovation platform.
    platform_name: Mapped[str | None] = mapped_column(String(200))
    platform_document: Mapped[str | None] = mapped_column(String(200))
    platform_certified_on: Mapped[date | None]
    platform_valid_until: Mapped[date | None]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    resource: Mapped[Resource] = relationship()
    batch: Mapped[Batch] = relationship()
    history: Mapped[list[ApplicationHistory]] = relationship(
        back_populates="application", order_by="ApplicationHistory.id"
    )
    findings: Mapped[list[ApplicationFinding]] = relationship(
        back_populates="application", order_by="ApplicationFinding.id"
    )

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class ApplicationHistory(Base):
    """One transition of an application: from, to, event, who, when, why."""

    __tablename__ = "application_history"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), index=True)
    from_status: Mapped[ApplicationStatus | None] = mapped_column(str_enum(ApplicationStatus, 24))
    to_status: Mapped[ApplicationStatus] = mapped_column(str_enum(ApplicationStatus, 24))
    event: Mapped[str] = mapped_column(String(32))
    actor_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    actor_role: Mapped[Role] = mapped_column(str_enum(Role))
    at: Mapped[datetime]
    note: Mapped[str | None] = mapped_column(Text)

    application: Mapped[Application] = relationship(back_populates="history")


class ApplicationFinding(Base):
    """A non-blocking finding of the submission checks, kept for the reviewers."""

    __tablename__ = "application_findings"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), index=True)
    code: Mapped[str] = mapped_column(String(64))
    article: Mapped[str] = mapped_column(String(16))
    severity: Mapped[Severity] = mapped_column(str_enum(Severity, 8))
    message: Mapped[str] = mapped_column(Text)
    loc: Mapped[list[Any]] = mapped_column(JSON)
    created_at: Mapped[datetime]

    application: Mapped[Application] = relationship(back_populates="findings")


class Notification(Base):
    """A message to an applicant organisation through the platform (Art.15)."""

    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    application_id: Mapped[int | None] = mapped_column(ForeignKey("applications.id"))
    kind: Mapped[NotificationKind] = mapped_column(str_enum(NotificationKind))
    message: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]
    read_at: Mapped[datetime | None]
