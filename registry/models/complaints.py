"""Complaints and reports from the public (投诉举报, Art.23): recorded, assigned, investigated,
closed with a result; the complainant follows one with a token of which only the hash is kept."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registry.db import Base, str_enum

SHANGHAI = ZoneInfo("Asia/Shanghai")


class ComplaintSubject(StrEnum):
    """What a complaint is about."""

    ENTRY = "entry"  # a resource in the library
    ORGANISATION = "organisation"  # an applicant or provider
    PROCESS = "process"  # the certification, management or promotion work itself


class ComplaintStatus(StrEnum):
    """received → assigned → investigating → closed."""

    RECEIVED = "received"
    ASSIGNED = "assigned"
    INVESTIGATING = "investigating"
    CLOSED = "closed"


class Complaint(Base):
    """One complaint or report; contact details are optional (reports may be anonymous)."""

    __tablename__ = "complaints"
    __table_args__ = (Index(None, "status", "assignee_user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)  # sha256 hex of the token
    subject: Mapped[ComplaintSubject] = mapped_column(str_enum(ComplaintSubject, 16))
    resource_code: Mapped[str | None] = mapped_column(String(16), index=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    city: Mapped[str | None] = mapped_column(String(20))  # of the organisation concerned
    title: Mapped[str] = mapped_column(String(200))
    content: Mapped[str] = mapped_column(Text)
    contact_name: Mapped[str | None] = mapped_column(String(100))
    contact_phone: Mapped[str | None] = mapped_column(String(50))
    contact_email: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[ComplaintStatus] = mapped_column(str_enum(ComplaintStatus, 16))
    assignee_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    result: Mapped[str | None] = mapped_column(Text)  # shown to the complainant
    filed_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    closed_at: Mapped[datetime | None]

    notes: Mapped[list[ComplaintNote]] = relationship(order_by="ComplaintNote.id")

    @property
    def reference(self) -> str:
        """The number quoted to the complainant and in correspondence (受理编号)."""
        return f"TS{self.created_at.astimezone(SHANGHAI).year}-{self.id:06d}"


class ComplaintNote(Base):
    """An investigation note by staff; never shown to the complainant."""

    __tablename__ = "complaint_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"), index=True)
    author_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]
