"""Applicant organisations (Art.8): revenue, credit status, accidents, violations, bans."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registry.db import Base, str_enum
from registry.reference import OrgType, Scale
from registry.rules.facts import AccidentKind, AccidentSeverity


class Organisation(Base):
    """An organisation registered with its unified social credit code (Art.8)."""

    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    uscc: Mapped[str] = mapped_column(String(18), unique=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    org_type: Mapped[OrgType] = mapped_column(str_enum(OrgType))
    innovative_sme: Mapped[bool] = mapped_column(default=False)
    scale: Mapped[Scale] = mapped_column(str_enum(Scale, 8))
    city: Mapped[str] = mapped_column(String(20), index=True)  # one of the 21 cities, or 省外
    province: Mapped[str] = mapped_column(String(20))
    address: Mapped[str] = mapped_column(Text)
    guangdong_operations: Mapped[str] = mapped_column(Text)
    established_on: Mapped[date]
    business_since: Mapped[date]  # Art.7(1): start of the business in the declared direction
    employees: Mapped[int]
    contact_name: Mapped[str] = mapped_column(String(100))
    contact_phone: Mapped[str] = mapped_column(String(50))
    contact_email: Mapped[str] = mapped_column(String(200))
    # Art.4(1)-(3): what the applicant declares.
    independent_legal_person: Mapped[bool] = mapped_column(default=True)
    operating_normally: Mapped[bool] = mapped_column(default=True)
    facilities_and_team: Mapped[bool] = mapped_column(default=True)
    sound_finance: Mapped[bool] = mapped_column(default=True)
    # Art.4(5) serious-dishonesty list and Art.7(5) abnormal-operation list.
    dishonest_listed_on: Mapped[date | None]
    dishonest_removed_on: Mapped[date | None]
    punishment_ends_on: Mapped[date | None]
    abnormal_operation: Mapped[bool] = mapped_column(default=False)
    licence_file_id: Mapped[int | None] = mapped_column(ForeignKey("stored_files.id"))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    revenues: Mapped[list[Revenue]] = relationship(
        back_populates="organisation", cascade="all, delete-orphan", order_by="Revenue.year"
    )
    accidents: Mapped[list[Accident]] = relationship(
        back_populates="organisation", cascade="all, delete-orphan", order_by="Accident.occurred_on"
    )
    violations: Mapped[list[Violation]] = relationship(
        back_populates="organisation",
        cascade="all, delete-orphan",
        order_by="Violation.occurred_on",
    )
    bans: Mapped[list[Ban]] = relationship(
        back_populates="organisation", cascade="all, delete-orphan", order_by="Ban.starts_on"
    )

    @property
    def in_guangdong(self) -> bool:
        """False for organisations registered outside Guangdong (Art.16)."""
        return self.province == "广东省"


class Revenue(Base):
    """Operating revenue of one year in CNY (Art.7(2))."""

    __tablename__ = "organisation_revenues"
    __table_args__ = (UniqueConstraint("organisation_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    year: Mapped[int]
    amount_cny: Mapped[int] = mapped_column(BigInteger)

    organisation: Mapped[Organisation] = relationship(back_populates="revenues")


class Accident(Base):
    """A safety, environmental or quality accident (Art.4(4), Art.19(2))."""

    __tablename__ = "accidents"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    occurred_on: Mapped[date]
    kind: Mapped[AccidentKind] = mapped_column(str_enum(AccidentKind, 8))
    severity: Mapped[AccidentSeverity] = mapped_column(str_enum(AccidentSeverity, 8))
    description: Mapped[str] = mapped_column(Text)

    organisation: Mapped[Organisation] = relationship(back_populates="accidents")


class Violation(Base):
    """A recorded violation of law or regulation (Art.7(5))."""

    __tablename__ = "violations"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    occurred_on: Mapped[date]
    major: Mapped[bool]
    description: Mapped[str] = mapped_column(Text)

    organisation: Mapped[Organisation] = relationship(back_populates="violations")


class Ban(Base):
    """A ban on applying (Art.19(2), Art.21: three years), with its reason and article."""

    __tablename__ = "bans"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    reason: Mapped[str] = mapped_column(Text)
    article: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime]
    created_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    organisation: Mapped[Organisation] = relationship(back_populates="bans")
