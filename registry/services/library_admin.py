"""Staff actions on library entries; each appends to the `library_events` outbox."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.actor import Actor, require_role
from registry.audit import record
from registry.enums import LibraryEventKind, Role
from registry.errors import NotFound
from registry.library import VISIBLE, record_event
from registry.models.library import LibraryEntry
from registry.models.resources import Resource


def set_priority(
    *, session: Session, actor: Actor, now: datetime, resource_code: str, priority: bool
) -> LibraryEntry:
    """Mark an outstanding resource for priority in promotion (Art.19(4)), or unmark it."""
    require_role(actor, Role.PROVINCIAL_STAFF, article="Art.19(4)")
    entry = session.scalar(
        select(LibraryEntry)
        .join(Resource)
        .where(Resource.code == resource_code, LibraryEntry.status.in_(VISIBLE))
    )
    if entry is None:
        raise NotFound(f"资源库中没有该资源：{resource_code}", loc=("resource_code",))
    if entry.priority == priority:
        return entry
    before = {"priority": entry.priority}
    entry.priority = priority
    entry.updated_at = now
    kind = LibraryEventKind.PRIORITY_SET if priority else LibraryEventKind.PRIORITY_UNSET
    record_event(session, resource_code=resource_code, kind=kind, now=now)
    record(
        session,
        actor=actor,
        now=now,
        action="library.priority",
        object_type="library_entry",
        object_id=entry.id,
        before=before,
        after={"priority": priority},
    )
    return entry
