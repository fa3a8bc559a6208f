"""Writing the audit log (Art.22): every change records who, what, before and after."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from enum import Enum
from typing import Any

from sqlalchemy.orm import Session

from registry.actor import Actor
from registry.models.audit import AuditEntry


def jsonable(value: Any) -> Any:
    """A JSON-safe form of a column value (dates as ISO text, enums as their values)."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [jsonable(item) for item in value]
    if isinstance(value, dict):
        return {str(key): jsonable(item) for key, item in value.items()}
    return value


def snapshot(obj: object, fields: Iterable[str]) -> dict[str, Any]:
    """The named attributes of `obj` as a JSON-safe dict."""
    return {name: jsonable(getattr(obj, name)) for name in fields}


def record(
    session: Session,
    *,
    actor: Actor,
    now: datetime,
    action: str,
    object_type: str,
    object_id: int | str,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one audit row in the caller's transaction."""
    entry = AuditEntry(
        at=now,
        actor_user_id=actor.user_id,
        actor_role=actor.role,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        before=before,
        after=after,
    )
    session.add(entry)
    return entry
