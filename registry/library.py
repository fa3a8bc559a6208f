"""The library as `indexing/` sees it (docs/contracts.md): a read model of certified entries,
the `library_events` outbox, and in-process listeners called after commit.

Every change of the library appends an outbox row in the transaction of the change
(`record_event`); listeners hear about it only once that transaction has committed, and a
poller on `events_after` catches changes made by other processes.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import event, select
from sqlalchemy.orm import Session, selectinload

from registry.enums import LibraryEventKind, LibraryStatus
from registry.models.library import LibraryEntry, LibraryEventRecord
from registry.models.resources import ConsortiumMember, Resource

logger = logging.getLogger("funeng.registry.library")
SHANGHAI = ZoneInfo("Asia/Shanghai")
VISIBLE = (LibraryStatus.CERTIFIED, LibraryStatus.WARNED)
_PENDING_KEY = "funeng_library_events_pending"


@dataclass(frozen=True, slots=True)
class LibraryEvent:
    """One change of the library, as read from the outbox."""

    id: int
    resource_code: str
    kind: LibraryEventKind
    created_at: datetime


@dataclass(frozen=True, slots=True)
class CaseView:
    """An application case of a library entry."""

    id: int
    title: str
    client: str
    client_city: str
    client_industry: str
    implementation: str
    results: str
    feedback: str
    started_on: date
    completed_on: date
    feedback_on: date


@dataclass(frozen=True, slots=True)
class LibraryEntryView:
    """Everything the index needs about one resource in the library."""

    resource_id: int
    resource_code: str
    title: str
    directions: tuple[str, ...]
    form: str
    industries: tuple[str, ...]
    summary: str
    advantages: str
    indicators: str
    scenarios: str
    keywords: tuple[str, ...]
    provider_id: int
    provider_name: str
    provider_city: str
    provider_type: str
    consortium_names: tuple[str, ...]
    cases: tuple[CaseView, ...]
    status: LibraryStatus
    priority: bool
    certified_at: datetime
    certified_on: date  # in Asia/Shanghai


def entries(*, session: Session, codes: Sequence[str] | None = None) -> list[LibraryEntryView]:
    """Certified and warned library entries (all, or those with `codes`), ordered by code."""
    query = (
        select(LibraryEntry)
        .join(LibraryEntry.resource)
        .where(LibraryEntry.status.in_(VISIBLE))
        .options(
            selectinload(LibraryEntry.resource).selectinload(Resource.organisation),
            selectinload(LibraryEntry.resource).selectinload(Resource.directions),
            selectinload(LibraryEntry.resource).selectinload(Resource.industries),
            selectinload(LibraryEntry.resource).selectinload(Resource.cases),
            selectinload(LibraryEntry.resource)
            .selectinload(Resource.consortium)
            .selectinload(ConsortiumMember.organisation),
        )
        .order_by(Resource.code)
    )
    if codes is not None:
        query = query.where(Resource.code.in_(list(codes)))
    return [_view(entry) for entry in session.scalars(query)]


def _view(entry: LibraryEntry) -> LibraryEntryView:
    resource = entry.resource
    org = resource.organisation
    return LibraryEntryView(
        resource_id=resource.id,
        resource_code=resource.code,
        title=resource.title,
        directions=tuple(d.direction.value for d in resource.directions),
        form=resource.form.value,
        industries=tuple(resource.industry_codes),
        summary=resource.summary,
        advantages=resource.advantages,
        indicators=resource.indicators,
        scenarios=resource.scenarios,
        keywords=tuple(resource.keywords),
        provider_id=org.id,
        provider_name=org.name,
        provider_city=org.city,
        provider_type=org.org_type.value,
        consortium_names=tuple(m.organisation.name for m in resource.consortium),
        cases=tuple(
            CaseView(
                id=c.id,
                title=c.title,
                client=c.client,
                client_city=c.client_city,
                client_industry=c.client_industry,
                implementation=c.implementation,
                results=c.results,
                feedback=c.feedback,
                started_on=c.started_on,
                completed_on=c.completed_on,
                feedback_on=c.feedback_on,
            )
            for c in resource.cases
        ),
        status=entry.status,
        priority=entry.priority,
        certified_at=entry.certified_at,
        certified_on=entry.certified_at.astimezone(SHANGHAI).date(),
    )


def events_after(*, session: Session, after_id: int, limit: int = 1000) -> list[LibraryEvent]:
    """Outbox events with an id greater than `after_id`, oldest first."""
    rows = session.scalars(
        select(LibraryEventRecord)
        .where(LibraryEventRecord.id > after_id)
        .order_by(LibraryEventRecord.id)
        .limit(limit)
    )
    return [_event_view(row) for row in rows]


def _event_view(row: LibraryEventRecord) -> LibraryEvent:
    return LibraryEvent(
        id=row.id, resource_code=row.resource_code, kind=row.kind, created_at=row.created_at
    )


def record_event(
    session: Session, *, resource_code: str, kind: LibraryEventKind, now: datetime
) -> LibraryEvent:
    """Append an outbox row in the caller's transaction; listeners hear of it after commit."""
    row = LibraryEventRecord(resource_code=resource_code, kind=kind, created_at=now)
    session.add(row)
    session.flush()
    view = _event_view(row)
    session.info.setdefault(_PENDING_KEY, []).append(view)
    return view


Listener = Callable[[list[LibraryEvent]], None]
_listeners: list[Listener] = []


def add_listener(fn: Listener) -> None:
    """Call `fn(events)` after each commit that changed the library (in this process)."""
    if fn not in _listeners:
        _listeners.append(fn)


def remove_listener(fn: Listener) -> None:
    """Stop calling `fn`."""
    if fn in _listeners:
        _listeners.remove(fn)


@event.listens_for(Session, "after_commit")
def _dispatch_after_commit(session: Session) -> None:
    pending: list[LibraryEvent] = session.info.pop(_PENDING_KEY, [])
    if not pending:
        return
    for listener in list(_listeners):
        try:
            listener(list(pending))
        except Exception:
            # A failing listener must not undo a committed change; the outbox poller catches up.
            logger.exception("library listener %r failed", listener)


@event.listens_for(Session, "after_rollback")
def _forget_after_rollback(session: Session) -> None:
    session.info.pop(_PENDING_KEY, None)
