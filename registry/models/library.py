"""The library (资源库): one entry per certified resource, and the `library_events` outbox that
`indexing/` reads (docs/contracts.md)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registry.db import Base, str_enum
from registry.enums import LibraryEventKind, LibraryStatus
from registry.models.resources import Resource


class LibraryEntry(Base):
    """A resource in the library, created by certification (Art.15, Art.17)."""

    __tablename__ = "library_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    resource_id: Mapped[int] = mapped_column(ForeignKey("resources.id"), unique=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"))
    status: Mapped[LibraryStatus] = mapped_column(str_enum(LibraryStatus, 16), index=True)
    priority: Mapped[bool] = mapped_column(default=False)  # Art.19(4)
    certified_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    resource: Mapped[Resource] = relationship()


class LibraryEventRecord(Base):
    """One change of the library, appended in the transaction of the change (the outbox)."""

    __tablename__ = "library_events"

    # AUTOINCREMENT on SQLite so ids are never reused: readers resume from the last id seen.
    __table_args__ = {"sqlite_autoincrement": True}  # noqa: RUF012

    # BIGINT on PostgreSQL; SQLite needs INTEGER for the rowid alias.
    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer(), "sqlite"), primary_key=True
    )
    resource_code: Mapped[str] = mapped_column(String(16), index=True)
    kind: Mapped[LibraryEventKind] = mapped_column(str_enum(LibraryEventKind, 16))
    created_at: Mapped[datetime]
