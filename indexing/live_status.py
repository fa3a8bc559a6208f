"""The live index's status record and its outbox poller thread."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from registry import library
from registry.library import LibraryEvent

logger = logging.getLogger("funeng.indexing")
MAX_BACKOFF_SECONDS = 10.0


@dataclass(frozen=True, slots=True)
class IndexStatus:
    """What `LiveIndex.status()` reports (the API's readiness and `funeng index status`)."""

    ready: bool
    rebuilding: bool
    corpus_version: int  # newest outbox event id reflected
    low_water: int  # every event id up to here is reflected
    last_event_id: int | None
    last_applied_at: datetime | None
    events_applied: int
    resources: int
    documents: int
    cases: int
    model_id: str
    snapshot: str | None  # the snapshot loaded or last written
    origin: str | None  # "snapshot" or "build"
    polling: bool
    last_error: str | None

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON values."""
        payload = asdict(self)
        if self.last_applied_at is not None:
            payload["last_applied_at"] = self.last_applied_at.isoformat()
        return payload


class Poller:
    """Calls `apply` every `interval` seconds, and at once when this process changes the library.

    The wake-up comes from `registry.library.add_listener` (called after commit in the
    committing thread: it only sets an event). Other processes' changes are found by the
    periodic poll. A failing poll (database away) is logged and retried with a growing pause.
    """

    def __init__(self, apply: Callable[[], int]) -> None:
        self._apply = apply
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.last_error: str | None = None

    @property
    def running(self) -> bool:
        """True while the thread runs."""
        return self._thread is not None and self._thread.is_alive()

    def start(self, interval: float) -> None:
        """Start the thread and listen to in-process library changes."""
        if interval <= 0:
            raise ValueError("poll interval must be positive")
        if self.running:
            return
        self._stop.clear()
        library.add_listener(self._heard)
        self._thread = threading.Thread(
            target=self._run, args=(interval,), name="funeng-index-poller", daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        """Stop listening and wait for the thread."""
        library.remove_listener(self._heard)
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join()
            self._thread = None

    def _heard(self, _events: list[LibraryEvent]) -> None:
        self._wake.set()

    def _run(self, interval: float) -> None:
        pause = interval
        while not self._stop.is_set():
            self._wake.wait(pause)
            self._wake.clear()
            if self._stop.is_set():
                return
            try:
                self._apply()
            except Exception as error:
                self.last_error = f"poll: {error}"
                logger.exception("applying library events failed; retrying")
                pause = min(pause * 2, MAX_BACKOFF_SECONDS)
            else:
                self.last_error = None
                pause = interval
