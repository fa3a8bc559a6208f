"""Reviews: the municipal opinion (Art.13), the expert panel with assignments, conflict
declarations, scores and report (Art.14, 22), and publicity objections (Art.15)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registry.db import Base, str_enum
from registry.enums import MunicipalDecision, ObjectionDecision, PanelDecision
from registry.models.accounts import Expert


class MunicipalReview(Base):
    """The city's opinion on an application: recommend, return for completion, or reject."""

    __tablename__ = "municipal_reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), index=True)
    reviewer_user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    city: Mapped[str] = mapped_column(String(20))
    decision: Mapped[MunicipalDecision] = mapped_column(str_enum(MunicipalDecision, 16))
    reasons: Mapped[str] = mapped_column(Text)
    decided_at: Mapped[datetime]


class ExpertPanel(Base):
    """The panel that reviews one application (Art.14)."""

    __tablename__ = "expert_panels"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), unique=True)
    created_at: Mapped[datetime]
    created_by_user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))

    assignments: Mapped[list[PanelAssignment]] = relationship(
        back_populates="panel", order_by="PanelAssignment.id"
    )
    report: Mapped[PanelReport | None] = relationship(back_populates="panel")


class PanelAssignment(Base):
    """An expert assigned to a panel; experts see only applications assigned to them."""

    __tablename__ = "panel_assignments"
    __table_args__ = (UniqueConstraint("panel_id", "expert_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    panel_id: Mapped[int] = mapped_column(ForeignKey("expert_panels.id"), index=True)
    expert_id: Mapped[int] = mapped_column(ForeignKey("experts.id"), index=True)
    assigned_at: Mapped[datetime]
    assigned_by_user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))

    panel: Mapped[ExpertPanel] = relationship(back_populates="assignments")
    expert: Mapped[Expert] = relationship()
    score: Mapped[ExpertScore | None] = relationship(back_populates="assignment")


class ConflictDeclaration(Base):
    """An expert's declared conflict of interest with an organisation (Art.22)."""

    __tablename__ = "conflict_declarations"
    __table_args__ = (UniqueConstraint("expert_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    expert_id: Mapped[int] = mapped_column(ForeignKey("experts.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    reason: Mapped[str] = mapped_column(Text)
    declared_at: Mapped[datetime]


SCORE_RANGE = "BETWEEN 0 AND 100"


class ExpertScore(Base):
    """One expert's scores (0-100) on the four Art.14 criteria, with a comment."""

    __tablename__ = "expert_scores"
    __table_args__ = tuple(
        CheckConstraint(f"{column} {SCORE_RANGE}", name=f"{column}_range")
        for column in ("advancement", "maturity", "application_effect", "promotion_value")
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("panel_assignments.id"), unique=True)
    advancement: Mapped[int]  # 技术先进性
    maturity: Mapped[int]  # 成熟度
    application_effect: Mapped[int]  # 应用成效
    promotion_value: Mapped[int]  # 推广价值
    comment: Mapped[str] = mapped_column(Text)
    scored_at: Mapped[datetime]

    assignment: Mapped[PanelAssignment] = relationship(back_populates="score")

    @property
    def total(self) -> float:
        """Mean of the four criteria."""
        parts = (self.advancement, self.maturity, self.application_effect, self.promotion_value)
        return sum(parts) / len(parts)


class PanelReport(Base):
    """The panel's report (专家评审报告) with its decision and mean score."""

    __tablename__ = "panel_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    panel_id: Mapped[int] = mapped_column(ForeignKey("expert_panels.id"), unique=True)
    decision: Mapped[PanelDecision] = mapped_column(str_enum(PanelDecision, 16))
    mean_score: Mapped[float] = mapped_column(Numeric(5, 2, asdecimal=False))
    summary: Mapped[str] = mapped_column(Text)
    reported_at: Mapped[datetime]
    reported_by_user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))

    panel: Mapped[ExpertPanel] = relationship(back_populates="report")


class Objection(Base):
    """An objection (异议) raised during publicity, and its decision (Art.15)."""

    __tablename__ = "objections"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), index=True)
    raised_by: Mapped[str] = mapped_column(String(200))
    content: Mapped[str] = mapped_column(Text)
    raised_at: Mapped[datetime]
    # Staff record objections received by letter or phone; the public raises its own online,
    # with a contact and a follow-up token of which only the SHA-256 is kept.
    recorded_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    contact: Mapped[str | None] = mapped_column(String(200))
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    decision: Mapped[ObjectionDecision | None] = mapped_column(str_enum(ObjectionDecision, 16))
    decision_reason: Mapped[str | None] = mapped_column(Text)
    decided_at: Mapped[datetime | None]
    decided_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
