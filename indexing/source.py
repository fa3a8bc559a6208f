"""Where the live index reads the library: the registry's read model and outbox, or a stand-in.

`DatabaseSource` opens one short session per call (on SQLite every transaction takes the write
lock, so reads must not linger). `StaticSource` serves views held in memory, for benchmarks
and tests that need no database.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Protocol

from sqlalchemy.orm import Session, sessionmaker

from registry import library
from registry.db import read_only_sessions
from registry.enums import LibraryEventKind
from registry.library import LibraryEntryView, LibraryEvent


class LibrarySource(Protocol):
    """The certified library and its change outbox."""

    def entries(self, codes: Sequence[str] | None = None) -> list[LibraryEntryView]:
        """Certified and warned entries (all, or those with `codes`)."""
        ...

    def events_after(self, after_id: int, limit: int) -> list[LibraryEvent]:
        """Outbox events with an id above `after_id`, oldest first, at most `limit`."""
        ...


class DatabaseSource:
    """`LibrarySource` over the registry database (`registry.library`)."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        # Reads only: on SQLite a poll every half second must not take the write lock.
        self.sessions = read_only_sessions(sessions)

    def entries(self, codes: Sequence[str] | None = None) -> list[LibraryEntryView]:
        """Certified and warned entries, read in one short transaction."""
        with self.sessions() as session:
            views = library.entries(session=session, codes=codes)
            session.rollback()
        return views

    def events_after(self, after_id: int, limit: int) -> list[LibraryEvent]:
        """Outbox events after `after_id`, read in one short transaction."""
        with self.sessions() as session:
            events = library.events_after(session=session, after_id=after_id, limit=limit)
            session.rollback()
        return events


class StaticSource:
    """`LibrarySource` held in memory; `put` / `drop` change it and append outbox events."""

    def __init__(self, views: Iterable[LibraryEntryView] = ()) -> None:
        self._views = {v.resource_code: v for v in views}
        self._events: list[LibraryEvent] = []

    def entries(self, codes: Sequence[str] | None = None) -> list[LibraryEntryView]:
        """Entries by code order, as the registry returns them."""
        wanted = set(self._views) if codes is None else set(codes) & set(self._views)
        return [self._views[c] for c in sorted(wanted)]

    def events_after(self, after_id: int, limit: int) -> list[LibraryEvent]:
        """Events after `after_id`."""
        return [e for e in self._events if e.id > after_id][:limit]

    def put(self, view: LibraryEntryView, kind: LibraryEventKind) -> LibraryEvent:
        """Add or replace an entry and record the change."""
        self._views[view.resource_code] = view
        return self._record(view.resource_code, kind)

    def drop(self, code: str, kind: LibraryEventKind = LibraryEventKind.REMOVED) -> LibraryEvent:
        """Take an entry out of the library and record the change."""
        self._views.pop(code, None)
        return self._record(code, kind)

    def _record(self, code: str, kind: LibraryEventKind) -> LibraryEvent:
        event = LibraryEvent(
            id=len(self._events) + 1, resource_code=code, kind=kind, created_at=datetime.now(UTC)
        )
        self._events.append(event)
        return event
