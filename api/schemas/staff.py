"""What provincial staff and administrators send and read: batches, waivers, priority, the
audit log, accounts."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import Field

from api.schemas.common import InputSchema, LocalDateTime, ReadSchema
from registry.enums import ExpertCategory, LibraryStatus, Role


class BatchCreate(InputSchema):
    """A quarterly batch (Art.10)."""

    code: str = Field(pattern=r"^\d{4}Q[1-4]$", examples=["2026Q2"])
    title: str = Field(min_length=1, max_length=200)
    opens_on: date
    deadline_on: date


class WaiverCreate(InputSchema):
    """The province's Art.7(1) waiver of the 2-year business requirement."""

    reason: str = Field(min_length=1, max_length=4000)


class PriorityUpdate(InputSchema):
    """Mark or unmark an outstanding resource for priority in promotion (Art.19(4))."""

    priority: bool


class LibraryEntryRead(ReadSchema):
    """A library entry's state."""

    resource_code: str
    status: LibraryStatus
    priority: bool
    certified_at: LocalDateTime
    updated_at: LocalDateTime


class AuditRead(ReadSchema):
    """One audited action (Art.22)."""

    id: int
    at: LocalDateTime
    actor_user_id: int | None
    actor_role: Role
    action: str
    object_type: str
    object_id: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


class ExpertProfileCreate(InputSchema):
    """An expert's category and affiliation (Art.14, 22)."""

    category: ExpertCategory
    affiliation: str = Field(min_length=1, max_length=200)


class UserCreate(InputSchema):
    """A new account; the scope its role needs (city, organisation, expert profile) too."""

    username: str = Field(min_length=3, max_length=64, pattern=r"^[A-Za-z0-9_.\-]+$")
    password: str = Field(min_length=8, max_length=256)
    display_name: str = Field(min_length=1, max_length=100)
    role: Role
    city: str | None = None
    organisation_id: int | None = None
    expert: ExpertProfileCreate | None = None


class UserRead(ReadSchema):
    """An account (never its password hash)."""

    id: int
    username: str
    display_name: str
    role: Role
    city: str | None
    organisation_id: int | None
    is_active: bool
    created_at: LocalDateTime
