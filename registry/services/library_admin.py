"""Staff actions on library entries. Every change of an entry's state goes through
`registry.workflow.ENTRY_TRANSITIONS` and `change_entry_status`: one guarded UPDATE, one history
row, one audit row, one `library_events` outbox row and a notification to the provider, all in
the caller's transaction."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from registry import workflow
from registry.actor import Actor, require_role
from registry.audit import record
from registry.enums import LibraryEventKind, LibraryStatus, NotificationKind, Role
from registry.errors import Conflict, NotFound, TransitionNotAllowed
from registry.findings import article_zh
from registry.library import VISIBLE, record_event
from registry.models.applications import Notification
from registry.models.changes import EntryChange, EntryChangeStatus
from registry.models.library import LibraryEntry
from registry.models.monitoring import (
    LibraryEntryHistory,
    LibraryWarning,
    WarningStatus,
    WithdrawalRequest,
    WithdrawalStatus,
)
from registry.models.resources import Resource
from registry.workflow import EntryEvent


def entry_by_code(
    *, session: Session, resource_code: str, visible_only: bool = True
) -> LibraryEntry:
    """The library entry of a resource (by default only a certified or warned one)."""
    query = select(LibraryEntry).join(Resource).where(Resource.code == resource_code)
    if visible_only:
        query = query.where(LibraryEntry.status.in_(VISIBLE))
    entry = session.scalar(query)
    if entry is None:
        raise NotFound(
            f"资源库中没有该资源：{resource_code}", code="entry_not_found", loc=("resource_code",)
        )
    return entry


def change_entry_status(
    *,
    session: Session,
    actor: Actor,
    now: datetime,
    entry: LibraryEntry,
    event: EntryEvent,
    note: str,
    article: str | None = None,
) -> LibraryEntry:
    """Move `entry` by `event` (checked against the table); Conflict if it changed meanwhile."""
    transition = workflow.entry_transition(entry.status, event, role=actor.role)
    article = article or transition.article
    previous, target = entry.status, transition.target
    # Guarded on the state we read: of two staff acting at once, one changes it, one conflicts.
    result = session.execute(
        update(LibraryEntry)
        .where(LibraryEntry.id == entry.id, LibraryEntry.status == previous)
        .values(status=target, updated_at=now)
        .execution_options(synchronize_session="fetch")
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise Conflict(
            f"资源库条目 {entry.resource.code} 已被他人处理，请刷新后重试",
            code="library_entry_changed",
            loc=("resource_code",),
        )
    code = entry.resource.code
    session.add(
        LibraryEntryHistory(
            library_entry_id=entry.id, from_status=previous, to_status=target,
            event=event.value, article=article, actor_user_id=actor.user_id,
            actor_role=actor.role, at=now, note=note,
        )
    )  # fmt: skip
    record(session, actor=actor, now=now, action=f"library.{event.value}",
           object_type="library_entry", object_id=entry.id,
           before={"status": previous.value},
           after={"status": target.value, "article": article, "note": note})  # fmt: skip
    record_event(session, resource_code=code, kind=transition.outbox, now=now)
    notify_entry(session=session, entry=entry, now=now, text=_notice(target, article, note))
    return entry


def _notice(target: LibraryStatus, article: str, note: str) -> str:
    label = workflow.ENTRY_STATE_LABELS[target]
    return f"状态变更为“{label}”（依据{article_zh(article)}）。说明：{note}"


def notify_entry(*, session: Session, entry: LibraryEntry, now: datetime, text: str) -> None:
    """Tell the provider of `entry` about it through the platform."""
    resource = entry.resource
    session.add(
        Notification(
            organisation_id=resource.organisation_id,
            application_id=entry.application_id,
            kind=NotificationKind.STATUS_CHANGED,
            message=f"您在资源库中的赋能资源“{resource.title}”（{resource.code}）{text}",
            created_at=now,
        )
    )


def move_status(
    session: Session,
    row: Any,
    target: StrEnum,
    *,
    allowed: Collection[StrEnum],
    labels: Mapping[Any, str],
    article: str | None = None,
    **values: object,
) -> None:
    """Guarded status change of a monitoring row (warning, withdrawal, complaint).

    Refused with TransitionNotAllowed from a state outside `allowed`; the UPDATE is guarded on
    the state read, so of two people acting at once one wins and the other gets a Conflict.
    """
    model, previous = type(row), row.status
    if previous not in allowed:
        raise TransitionNotAllowed(
            f"当前状态为“{labels[previous]}”，不能执行此操作",
            event=target.value, state=previous.value, article=article, loc=("status",),
        )  # fmt: skip
    result = session.execute(
        update(model)
        .where(model.id == row.id, model.status == previous)
        .values(status=target, **values)
        .execution_options(synchronize_session="fetch")
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise Conflict(
            f"该记录（{model.__tablename__} {row.id}）已被他人处理，请刷新后重试",
            code="record_changed", loc=(model.__tablename__, row.id),
        )  # fmt: skip


def close_open_items(
    *,
    session: Session,
    actor: Actor,
    entry: LibraryEntry,
    now: datetime,
    warnings_to: WarningStatus,
    note: str,
) -> None:
    """An entry left the library: its open warnings end, its pending withdrawal requests and
    its pending change request lapse (the latter audited: the provider sees why it ended)."""
    session.execute(
        update(LibraryWarning)
        .where(
            LibraryWarning.library_entry_id == entry.id,
            LibraryWarning.status.in_((WarningStatus.OPEN, WarningStatus.RECTIFIED)),
        )
        .values(status=warnings_to, decided_at=now, decision_note=note)
        .execution_options(synchronize_session="fetch")
    )
    session.execute(
        update(WithdrawalRequest)
        .where(
            WithdrawalRequest.library_entry_id == entry.id,
            WithdrawalRequest.status.in_((WithdrawalStatus.REQUESTED, WithdrawalStatus.FORWARDED)),
        )
        .values(status=WithdrawalStatus.SUPERSEDED, decided_at=now, decision_note=note)
        .execution_options(synchronize_session="fetch")
    )
    change = session.scalar(select(EntryChange).where(EntryChange.pending_entry_id == entry.id))
    if change is not None:
        change.status, change.pending_entry_id = EntryChangeStatus.LAPSED, None
        change.decided_at, change.decision_reason = now, note
        session.flush()
        record(session, actor=actor, now=now, action="entry_change.lapse",
               object_type="entry_change", object_id=change.id,
               before={"status": EntryChangeStatus.PENDING.value},
               after={"status": change.status.value, "resource_code": entry.resource.code,
                      "reason": note})  # fmt: skip


def set_priority(
    *,
    session: Session,
    actor: Actor,
    now: datetime,
    resource_code: str,
    priority: bool,
    reason: str | None = None,
) -> LibraryEntry:
    """Mark an outstanding resource for priority in promotion (Art.19(4)), or unmark it.

    Setting the value it already has changes nothing (no audit row, no outbox event).
    """
    require_role(actor, Role.PROVINCIAL_STAFF, article="Art.19(4)")
    entry = entry_by_code(session=session, resource_code=resource_code)
    if entry.priority == priority:
        return entry
    before = {"priority": entry.priority}
    entry.priority = priority
    entry.updated_at = now
    kind = LibraryEventKind.PRIORITY_SET if priority else LibraryEventKind.PRIORITY_UNSET
    record_event(session, resource_code=resource_code, kind=kind, now=now)
    after: dict[str, object] = {"priority": priority}
    if reason:
        after["reason"] = reason
    record(
        session,
        actor=actor,
        now=now,
        action="library.priority",
        object_type="library_entry",
        object_id=entry.id,
        before=before,
        after=after,
    )
    return entry
