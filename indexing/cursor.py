"""Where the index stands in the `library_events` outbox, safe against out-of-order commits.

Outbox ids come from a sequence: on PostgreSQL two transactions may take ids 10 and 11 and
commit 11 first, so "everything after the last id seen" would lose 10 for ever. The cursor keeps
a low-water mark (every id at or below it has been seen, or given up on) and the ids seen above
it; a missing id is a *gap*, waited for until it is `gap_timeout` seconds old or `gap_window`
ids behind the newest (a rolled-back transaction leaves a gap that never fills). Polls read
from the low-water mark and skip what was seen, so a late commit is still applied.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from registry.library import LibraryEvent

PAGE = 1000


class EventReader(Protocol):
    """Reads the outbox (`indexing.source.LibrarySource` is one)."""

    def events_after(self, after_id: int, limit: int) -> list[LibraryEvent]:
        """Events with an id above `after_id`, oldest first, at most `limit`."""
        ...


@dataclass(frozen=True, slots=True)
class CursorState:
    """What a snapshot records to resume exactly: the low-water mark and the ids seen above it."""

    low_water: int = 0
    seen: tuple[int, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        """Plain values for a manifest."""
        return {"low_water": self.low_water, "seen": list(self.seen)}

    @classmethod
    def from_dict(cls, payload: dict[str, Any]) -> CursorState:
        """Inverse of `as_dict`."""
        return cls(int(payload["low_water"]), tuple(sorted(int(i) for i in payload["seen"])))

    @property
    def version(self) -> int:
        """The newest event id reflected (the corpus version)."""
        return max((self.low_water, *self.seen))


@dataclass
class EventCursor:
    """Low-water mark, ids seen above it, and gaps still waited for (see the module docstring)."""

    low_water: int = 0
    gap_timeout: float = 30.0
    gap_window: int = 1000
    clock: Callable[[], float] = time.monotonic
    seen: set[int] = field(default_factory=set)
    gaps: dict[int, float] = field(default_factory=dict)  # missing id -> when first noticed

    @classmethod
    def resume(cls, state: CursorState, **options: Any) -> EventCursor:
        """A cursor continuing from a recorded state."""
        return cls(low_water=state.low_water, seen=set(state.seen), **options)

    def state(self) -> CursorState:
        """The state to record in a snapshot."""
        return CursorState(self.low_water, tuple(sorted(self.seen)))

    @property
    def version(self) -> int:
        """The newest event id seen."""
        return max((self.low_water, *self.seen))

    def pending(self, reader: EventReader) -> list[LibraryEvent]:
        """Events not seen yet, oldest first (reading page by page from the low-water mark)."""
        found: list[LibraryEvent] = []
        after = self.low_water
        while True:
            page = reader.events_after(after, PAGE)
            found += [e for e in page if e.id not in self.seen]
            if len(page) < PAGE:
                return found
            after = page[-1].id

    def commit(self, events: Sequence[LibraryEvent]) -> None:
        """Record events as applied, note new gaps, and advance the low-water mark."""
        self.seen.update(e.id for e in events if e.id > self.low_water)
        now = self.clock()
        newest = self.version
        for missing in range(self.low_water + 1, newest):
            if missing not in self.seen:
                self.gaps.setdefault(missing, now)
        while True:
            nxt = self.low_water + 1
            if nxt in self.seen:
                self.seen.discard(nxt)
            elif nxt in self.gaps and self._given_up(nxt, now, newest):
                del self.gaps[nxt]
            else:
                break
            self.low_water = nxt
        for gap in [g for g in self.gaps if g <= self.low_water or g in self.seen]:
            del self.gaps[gap]

    def _given_up(self, gap: int, now: float, newest: int) -> bool:
        return now - self.gaps[gap] >= self.gap_timeout or newest - gap > self.gap_window
