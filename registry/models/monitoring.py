"""Management of the library after certification (Art.18, 19, 21): the history of each entry's
library state, annual reports, warnings with rectification, voluntary withdrawals, direct
removals with their credit-report referrals, and the flags the daily sweep raises."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registry.db import Base, str_enum
from registry.enums import LibraryStatus, Role
from registry.models.library import LibraryEntry


class WarningReason(StrEnum):
    """Art.19(1): why the province warns an entry."""

    OUTDATED = "technology_outdated"  # 技术落后
    NO_CASES = "no_real_cases"  # 无实际应用案例
    POOR_FEEDBACK = "poor_feedback"  # 用户反馈较差
    INELIGIBLE = "no_longer_eligible"  # 不再符合认定条件


class WarningStatus(StrEnum):
    """A warning is open, then rectified by the provider, then closed or ends in removal."""

    OPEN = "open"
    RECTIFIED = "rectified"  # rectification submitted, awaiting the province
    CLOSED = "closed"  # back to certified
    REMOVED = "removed"  # the entry was removed (after the warning, or by a direct removal)
    WITHDRAWN = "withdrawn"  # the entry left the library by an approved withdrawal


class WithdrawalStatus(StrEnum):
    """Art.19(3): requested → forwarded by the city → approved / refused by the province."""

    REQUESTED = "requested"
    FORWARDED = "forwarded"
    APPROVED = "approved"
    REFUSED = "refused"
    CANCELLED = "cancelled"  # by the provider before the decision
    SUPERSEDED = "superseded"  # the entry was removed meanwhile


class RemovalGround(StrEnum):
    """Grounds of a direct removal with a 3-year ban (Art.19(2), Art.21)."""

    MAJOR_ACCIDENT = "major_accident"  # 重大安全生产、环境保护、产品质量事故
    SERIOUS_DISHONESTY = "serious_dishonesty"  # 列入严重失信主体名单
    FALSE_MATERIAL = "false_material"  # 提供虚假材料（第二十一条）


class FlagKind(StrEnum):
    """What the date-driven sweep flags for staff."""

    ANNUAL_REPORT_MISSING = "annual_report_missing"  # Art.18
    WARNING_OVERDUE = "warning_overdue"  # Art.19(1)
    BAN_ENDED = "ban_ended"  # Art.19(2), Art.21
    REVIEW_OVERDUE = "review_overdue"  # Art.13-15


class LibraryEntryHistory(Base):
    """One change of an entry's library state: from, to, event, who, when, why."""

    __tablename__ = "library_entry_history"

    id: Mapped[int] = mapped_column(primary_key=True)
    library_entry_id: Mapped[int] = mapped_column(ForeignKey("library_entries.id"), index=True)
    from_status: Mapped[LibraryStatus] = mapped_column(str_enum(LibraryStatus, 16))
    to_status: Mapped[LibraryStatus] = mapped_column(str_enum(LibraryStatus, 16))
    event: Mapped[str] = mapped_column(String(32))
    article: Mapped[str] = mapped_column(String(16))
    actor_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    actor_role: Mapped[Role] = mapped_column(str_enum(Role))
    at: Mapped[datetime]
    note: Mapped[str | None] = mapped_column(Text)


class AnnualReport(Base):
    """Art.18: the report of one library entry on one year, due by 31 March of the next."""

    __tablename__ = "annual_reports"
    __table_args__ = (UniqueConstraint("library_entry_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    library_entry_id: Mapped[int] = mapped_column(ForeignKey("library_entries.id"), index=True)
    year: Mapped[int]
    promotion: Mapped[str] = mapped_column(Text)  # 市场推广情况
    application_data: Mapped[str] = mapped_column(Text)  # 应用成效数据
    technical_updates: Mapped[str] = mapped_column(Text)  # 技术更新迭代情况
    enterprises_served: Mapped[int]  # 服务企业数量
    feedback: Mapped[str] = mapped_column(Text)  # 反馈意见
    due_on: Mapped[date]
    late: Mapped[bool]
    submitted_at: Mapped[datetime]
    submitted_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    entry: Mapped[LibraryEntry] = relationship()


class LibraryWarning(Base):
    """Art.19(1): a warning with reasons and six months to rectify."""

    __tablename__ = "library_warnings"
    __table_args__ = (Index(None, "status", "rectification_due_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    library_entry_id: Mapped[int] = mapped_column(ForeignKey("library_entries.id"), index=True)
    status: Mapped[WarningStatus] = mapped_column(str_enum(WarningStatus, 16))
    reasons: Mapped[list[str]]
    detail: Mapped[str] = mapped_column(Text)
    warned_at: Mapped[datetime]
    warned_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    rectification_due_on: Mapped[date]  # last day, inclusive
    rectification: Mapped[str | None] = mapped_column(Text)
    rectified_at: Mapped[datetime | None]
    decided_at: Mapped[datetime | None]
    decided_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decision_note: Mapped[str | None] = mapped_column(Text)

    entry: Mapped[LibraryEntry] = relationship()


class WithdrawalRequest(Base):
    """Art.19(3): a provider asks to leave the library through its city; the province decides."""

    __tablename__ = "withdrawal_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    library_entry_id: Mapped[int] = mapped_column(ForeignKey("library_entries.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    city: Mapped[str] = mapped_column(String(20), index=True)  # the forwarding city
    status: Mapped[WithdrawalStatus] = mapped_column(str_enum(WithdrawalStatus, 16))
    reason: Mapped[str] = mapped_column(Text)
    requested_at: Mapped[datetime]
    requested_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    forwarded_at: Mapped[datetime | None]
    forwarded_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    city_opinion: Mapped[str | None] = mapped_column(Text)
    decided_at: Mapped[datetime | None]
    decided_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decision_note: Mapped[str | None] = mapped_column(Text)

    entry: Mapped[LibraryEntry] = relationship()


class Removal(Base):
    """A direct removal of every entry of an organisation with a 3-year ban (Art.19(2), 21)."""

    __tablename__ = "removals"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    ground: Mapped[RemovalGround] = mapped_column(str_enum(RemovalGround, 24))
    article: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(Text)
    removed_codes: Mapped[list[str]]
    voided_application_ids: Mapped[list[Any]] = mapped_column(JSON)
    ban_id: Mapped[int] = mapped_column(ForeignKey("bans.id"))
    decided_at: Mapped[datetime]
    decided_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class CreditReferral(Base):
    """Art.21: the violation reported to the social-credit authority; `reported_at` once sent."""

    __tablename__ = "credit_referrals"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    removal_id: Mapped[int] = mapped_column(ForeignKey("removals.id"), unique=True)
    article: Mapped[str] = mapped_column(String(16))
    content: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]
    reported_at: Mapped[datetime | None]
    reported_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reference: Mapped[str | None] = mapped_column(String(100))  # the authority's receipt number


class MonitoringFlag(Base):
    """Something a date-driven check found; `key` makes raising it again a no-op."""

    __tablename__ = "monitoring_flags"
    __table_args__ = (UniqueConstraint("kind", "key"), Index(None, "resolved_at", "kind"))

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[FlagKind] = mapped_column(str_enum(FlagKind, 32))
    key: Mapped[str] = mapped_column(String(80))
    article: Mapped[str] = mapped_column(String(16))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    city: Mapped[str | None] = mapped_column(String(20))
    resource_code: Mapped[str | None] = mapped_column(String(16))
    message: Mapped[str] = mapped_column(Text)
    due_on: Mapped[date | None]
    raised_at: Mapped[datetime]
    resolved_at: Mapped[datetime | None]
    resolution: Mapped[str | None] = mapped_column(Text)


class PublicContact(Base):
    """The contact a provider agrees to publish in the annual catalog (Art.20(1))."""

    __tablename__ = "public_contacts"

    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True
    )
    contact: Mapped[str] = mapped_column(String(200))
    updated_at: Mapped[datetime]
    updated_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
