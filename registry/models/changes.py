"""Changes to a certified resource's content (资源信息变更申请): the provider proposes new text
or new cases for one of its library entries, the province approves or rejects the proposal.
A certified text never changes without the province having seen it."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registry.db import Base, str_enum
from registry.models.library import LibraryEntry

# The resource's texts a change may replace (the Art.9(1) description of the resource).
CHANGEABLE_FIELDS = ("summary", "advantages", "indicators", "scenarios")


class EntryChangeStatus(StrEnum):
    """pending → approved | rejected by the province, withdrawn by the provider, or lapsed
    when the entry leaves the library before a decision."""

    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"
    LAPSED = "lapsed"  # the entry was removed or withdrawn meanwhile


class EntryChange(Base):
    """A proposed change of a library entry's texts and new cases, decided by the province.

    Only the fields the provider changes are set; `before` keeps the values they replace as
    read at proposal time (one pending change per entry, so nothing else changes them).
    `pending_entry_id` is the entry's id while the change is pending and NULL afterwards: its
    unique constraint lets the database refuse a second pending change made at the same moment.
    `version` is the optimistic lock: of two staff deciding at once, one wins, one conflicts.
    """

    __tablename__ = "entry_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    library_entry_id: Mapped[int] = mapped_column(ForeignKey("library_entries.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    pending_entry_id: Mapped[int | None] = mapped_column(unique=True)
    status: Mapped[EntryChangeStatus] = mapped_column(str_enum(EntryChangeStatus, 16), index=True)
    summary: Mapped[str | None] = mapped_column(Text)  # 技术简介
    advantages: Mapped[str | None] = mapped_column(Text)  # 核心优势
    indicators: Mapped[str | None] = mapped_column(Text)  # 性能指标
    scenarios: Mapped[str | None] = mapped_column(Text)  # 应用场景
    new_cases: Mapped[list[dict[str, Any]]] = mapped_column(JSON)  # CaseInput fields, ISO dates
    before: Mapped[dict[str, Any]] = mapped_column(JSON)
    explanation: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]
    created_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None]
    decided_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decision_reason: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(default=1)

    entry: Mapped[LibraryEntry] = relationship()

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012

    def proposed(self) -> dict[str, str]:
        """The texts this change replaces, field → new value."""
        return {
            name: value for name in CHANGEABLE_FIELDS if (value := getattr(self, name)) is not None
        }
