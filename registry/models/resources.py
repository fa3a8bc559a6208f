"""Enabling resources (Art.2, 5, 9), their cases (Art.9(2)) and evidence documents (Art.9, 12)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registry.db import Base, str_enum
from registry.models.files import StoredFile
from registry.models.organisations import Organisation
from registry.reference import Direction, Form
from registry.seed_schema import EvidenceKind


class Resource(Base):
    """An enabling resource of one organisation; certified ones form the library."""

    __tablename__ = "resources"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    form: Mapped[Form] = mapped_column(str_enum(Form, 16))
    summary: Mapped[str] = mapped_column(Text)  # 技术简介
    advantages: Mapped[str] = mapped_column(Text)  # 核心优势
    indicators: Mapped[str] = mapped_column(Text)  # 性能指标
    scenarios: Mapped[str] = mapped_column(Text)  # 应用场景
    keywords: Mapped[list[str]]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    organisation: Mapped[Organisation] = relationship()
    directions: Mapped[list[ResourceDirection]] = relationship(
        cascade="all, delete-orphan", order_by="ResourceDirection.position"
    )
    industries: Mapped[list[ResourceIndustry]] = relationship(
        cascade="all, delete-orphan", order_by="ResourceIndustry.position"
    )
    consortium: Mapped[list[ConsortiumMember]] = relationship(
        cascade="all, delete-orphan", order_by="ConsortiumMember.position"
    )
    cases: Mapped[list[Case]] = relationship(
        back_populates="resource", cascade="all, delete-orphan", order_by="Case.position"
    )
    evidence: Mapped[list[EvidenceDocument]] = relationship(
        back_populates="resource", order_by="EvidenceDocument.id"
    )

    @property
    def direction_values(self) -> list[Direction]:
        """Art.5 directions in the order the applicant gave them."""
        return [d.direction for d in self.directions]

    @property
    def industry_codes(self) -> list[str]:
        """GB/T 4754-2017 division codes (C13-C43) in the applicant's order."""
        return [i.industry_code for i in self.industries]


class ResourceDirection(Base):
    """One Art.5 direction of a resource (a resource may have several)."""

    __tablename__ = "resource_directions"

    resource_id: Mapped[int] = mapped_column(
        ForeignKey("resources.id", ondelete="CASCADE"), primary_key=True
    )
    direction: Mapped[Direction] = mapped_column(str_enum(Direction, 16), primary_key=True)
    position: Mapped[int]


class ResourceIndustry(Base):
    """One key industry (GB/T 4754-2017 division C13-C43) a resource serves."""

    __tablename__ = "resource_industries"

    resource_id: Mapped[int] = mapped_column(
        ForeignKey("resources.id", ondelete="CASCADE"), primary_key=True
    )
    industry_code: Mapped[str] = mapped_column(String(3), primary_key=True)
    position: Mapped[int]


class ConsortiumMember(Base):
    """Another organisation of a 综合赋能 consortium (联合体, Art.5)."""

    __tablename__ = "consortium_members"

    resource_id: Mapped[int] = mapped_column(
        ForeignKey("resources.id", ondelete="CASCADE"), primary_key=True
    )
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), primary_key=True)
    position: Mapped[int]

    organisation: Mapped[Organisation] = relationship()


class Case(Base):
    """An application case (典型案例, Art.9(2)): client, implementation, results, feedback."""

    __tablename__ = "cases"

    id: Mapped[int] = mapped_column(primary_key=True)
    resource_id: Mapped[int] = mapped_column(
        ForeignKey("resources.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int]
    title: Mapped[str] = mapped_column(String(200))
    client: Mapped[str] = mapped_column(String(200))
    client_city: Mapped[str] = mapped_column(String(20))
    client_industry: Mapped[str] = mapped_column(String(3))
    started_on: Mapped[date]
    completed_on: Mapped[date]
    implementation: Mapped[str] = mapped_column(Text)
    results: Mapped[str] = mapped_column(Text)
    feedback: Mapped[str] = mapped_column(Text)
    feedback_on: Mapped[date]
    created_at: Mapped[datetime]

    resource: Mapped[Resource] = relationship(back_populates="cases")


class EvidenceDocument(Base):
    """A qualification, IP, standard, certification, test or financial document (Art.9, 12).

    Financial documents (audit report, financial statement) belong to the organisation and
    have no resource; every other kind belongs to one resource.
    """

    __tablename__ = "evidence_documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    resource_id: Mapped[int | None] = mapped_column(
        ForeignKey("resources.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[EvidenceKind] = mapped_column(str_enum(EvidenceKind, 16))
    title: Mapped[str] = mapped_column(String(200))
    number: Mapped[str | None] = mapped_column(String(100))
    issued_on: Mapped[date]
    expires_on: Mapped[date | None]
    issuer: Mapped[str | None] = mapped_column(String(200))
    file_id: Mapped[int] = mapped_column(ForeignKey("stored_files.id"))
    created_at: Mapped[datetime]

    resource: Mapped[Resource | None] = relationship(back_populates="evidence")
    file: Mapped[StoredFile] = relationship()
