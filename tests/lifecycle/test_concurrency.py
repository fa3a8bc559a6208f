"""Two staff change the same library entry at once (PostgreSQL): one transition, one Conflict,
exactly one history row and one outbox event. SQLite serialises writers at BEGIN, so there the
second simply sees the new state (a TransitionNotAllowed, tested elsewhere)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from registry.errors import Conflict
from registry.models import LibraryEntryHistory, LibraryEventRecord
from registry.services.library_admin import change_entry_status, entry_by_code
from registry.workflow import EntryEvent
from tests.db.factories import at
from tests.lifecycle.world import World

pytestmark = pytest.mark.postgres


def _act(
    sessions: sessionmaker[Session], w: World, event: EntryEvent, barrier: threading.Barrier
) -> str:
    with sessions() as session:
        entry = entry_by_code(session=session, resource_code="AI-001")
        barrier.wait(timeout=10)  # both have read `certified`
        try:
            change_entry_status(
                session=session,
                actor=w.staff,
                now=at(2025, 12, 1),
                entry=entry,
                event=event,
                note=f"并发操作：{event.value}",
            )
            session.commit()
            return event.value
        except Conflict as exc:
            session.rollback()
            return exc.code


def test_two_staff_at_once_one_wins(
    world: World, db_sessions: sessionmaker[Session], db_url: str
) -> None:
    if db_url.startswith("sqlite"):
        pytest.skip("SQLite takes the write lock at BEGIN: the two cannot read at once")
    world.certify("AI-001", n=1)
    barrier = threading.Barrier(2)
    with ThreadPoolExecutor(2) as pool:
        results = sorted(
            pool.map(
                lambda e: _act(db_sessions, world, e, barrier),
                (EntryEvent.WARN, EntryEvent.REMOVE),
            )
        )
    assert results[0] == "library_entry_changed" and results[1] in ("remove", "warn")
    with db_sessions() as s:
        assert s.scalar(select(func.count()).select_from(LibraryEntryHistory)) == 1
        kinds = s.scalars(select(LibraryEventRecord.kind).order_by(LibraryEventRecord.id)).all()
        assert [k.value for k in kinds] == [
            "certified",
            "removed" if results[1] == "remove" else "warned",
        ]
