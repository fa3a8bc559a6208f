"""The outbox cursor: late commits of lower ids are still applied; permanent gaps are let go."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from indexing import cursor as cursor_module
from indexing.cursor import CursorState, EventCursor
from registry.enums import LibraryEventKind
from registry.library import LibraryEvent


class Outbox:
    """Committed events by id (a test can commit them out of order)."""

    def __init__(self) -> None:
        self.events: dict[int, LibraryEvent] = {}
        self.reads: list[int] = []

    def commit(self, *ids: int) -> None:
        for i in ids:
            self.events[i] = LibraryEvent(
                id=i,
                resource_code=f"R-{i}",
                kind=LibraryEventKind.UPDATED,
                created_at=datetime(2025, 1, 1, tzinfo=UTC),
            )

    def events_after(self, after_id: int, limit: int) -> list[LibraryEvent]:
        self.reads.append(after_id)
        return [self.events[i] for i in sorted(self.events) if i > after_id][:limit]


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def ids(events: list[LibraryEvent]) -> list[int]:
    return [e.id for e in events]


def test_in_order_events_advance_the_low_water_mark() -> None:
    outbox, cursor = Outbox(), EventCursor()
    outbox.commit(1, 2, 3)
    assert ids(cursor.pending(outbox)) == [1, 2, 3]
    cursor.commit(cursor.pending(outbox))
    assert (cursor.low_water, cursor.seen, cursor.version) == (3, set(), 3)
    assert cursor.pending(outbox) == []


def test_a_late_commit_of_a_lower_id_is_not_lost() -> None:
    outbox, clock = Outbox(), Clock()
    cursor = EventCursor(clock=clock, gap_timeout=30)
    outbox.commit(1, 2, 4)  # 3 is taken by a transaction that has not committed yet
    cursor.commit(cursor.pending(outbox))
    assert (cursor.low_water, cursor.seen, set(cursor.gaps)) == (2, {4}, {3})
    assert cursor.state() == CursorState(2, (4,)) and cursor.version == 4
    clock.now = 5
    outbox.commit(3, 5)
    assert ids(cursor.pending(outbox)) == [3, 5]  # 4 is not applied twice
    cursor.commit(cursor.pending(outbox))
    assert (cursor.low_water, cursor.seen, cursor.gaps) == (5, set(), {})


def test_a_gap_is_given_up_after_its_timeout() -> None:
    outbox, clock = Outbox(), Clock()
    cursor = EventCursor(clock=clock, gap_timeout=30)
    outbox.commit(1, 3)  # 2 was rolled back: it never comes
    cursor.commit(cursor.pending(outbox))
    assert cursor.low_water == 1
    clock.now = 29.9
    cursor.commit([])
    assert cursor.low_water == 1
    clock.now = 30
    cursor.commit([])
    assert (cursor.low_water, cursor.seen, cursor.gaps) == (3, set(), {})


def test_a_gap_far_behind_the_newest_is_given_up() -> None:
    outbox, cursor = Outbox(), EventCursor(clock=Clock(), gap_window=10)
    outbox.commit(1, *range(3, 13))
    cursor.commit(cursor.pending(outbox))
    assert cursor.low_water == 1  # 12 - 2 = 10: still waited for
    outbox.commit(13)
    cursor.commit(cursor.pending(outbox))
    assert cursor.low_water == 13


def test_pages_are_read_until_the_end(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cursor_module, "PAGE", 3)
    outbox, cursor = Outbox(), EventCursor()
    outbox.commit(*range(1, 9))
    assert ids(cursor.pending(outbox)) == list(range(1, 9))
    assert outbox.reads == [0, 3, 6]


def test_resume_from_a_recorded_state() -> None:
    outbox = Outbox()
    outbox.commit(1, 2, 4, 5)
    state = CursorState.from_dict(CursorState(2, (4, 5)).as_dict())
    cursor = EventCursor.resume(state)
    assert ids(cursor.pending(outbox)) == []
    outbox.commit(3)
    assert ids(cursor.pending(outbox)) == [3]
    cursor.commit(cursor.pending(outbox))
    assert cursor.low_water == 5
