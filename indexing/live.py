"""The live index: the current matcher behind an atomic reference, kept fresh from the outbox.

Searches read `self._matcher` once (a reference read is atomic) and run on that matcher, whose
own lock keeps a search and an incremental change from touching the same structures at once;
the query is encoded outside that lock. Writers (the poller, a rebuild's final replay, a
snapshot) are serialised by `self._writer`, so events are applied in order and exactly once
per cursor position. A rebuild builds a complete new matcher in a thread without any lock,
then, under the writer lock, replays every resource changed since it started and swaps the
reference: searches meanwhile see the old matcher, whole, and never a partial one.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any

from indexing import manifest as mf
from indexing.build import IndexParts, StageProgress, build_matcher, replace_resources
from indexing.cursor import CursorState, EventCursor
from indexing.errors import IndexNotReady
from indexing.live_status import IndexStatus, Poller
from indexing.snapshot import SnapshotStore
from indexing.source import LibrarySource
from matcher.config import MatchConfig
from matcher.hybrid import HybridMatcher
from matcher.types import BundleResponse, Document, Filters, MatchResponse

logger = logging.getLogger("funeng.indexing")


def utc_now() -> datetime:
    """The default clock of a live index (the API and CLI pass their own)."""
    return datetime.now(UTC)


class LiveIndex:
    """Serves matches from the current matcher; applies library events; rebuilds and swaps."""

    def __init__(
        self,
        *,
        source: LibrarySource,
        parts: IndexParts,
        snapshots: SnapshotStore | None = None,
        clock: Callable[[], datetime] = utc_now,
        query_workers: int = 1,
        gap_timeout: float = 30.0,
    ) -> None:
        self.source, self.parts, self.snapshots, self.clock = source, parts, snapshots, clock
        self._matcher: HybridMatcher | None = None
        self._writer = threading.RLock()
        self._cursor = EventCursor(gap_timeout=gap_timeout)
        self._dirty: set[str] | None = None  # resources changed while a rebuild runs
        self._rebuild: Future[None] | None = None
        self._rebuilder = ThreadPoolExecutor(1, thread_name_prefix="funeng-index-rebuild")
        # Bounded: at most `query_workers` encodings at once, whatever the request concurrency.
        self._queries = ThreadPoolExecutor(query_workers, thread_name_prefix="funeng-match")
        self._poller = Poller(self.apply_events)
        self._info: dict[str, Any] = {"snapshot": None, "origin": None, "events_applied": 0}
        # Counted by writers, read by status(): iterating the documents while a writer
        # changes them would fail.
        self._counts: dict[str, int] = {}
        self._position = (0, 0)  # (corpus version, low-water mark), likewise
        self._rebuilding = threading.Lock()  # one rebuild at a time, background or not

    # Opening ---------------------------------------------------------------------------------

    def open(self, *, progress: StageProgress | None = None) -> str:
        """Load the current snapshot and catch up, or build from the library when none fits.

        Returns "snapshot" or "built". A snapshot of another model, dictionary or factors is
        refused by the store and a new index is built instead (and written as a snapshot).
        """
        from indexing.errors import NoSnapshot, SnapshotCorrupt, SnapshotMismatch

        if self.snapshots is not None:
            try:
                self.load_snapshot()
                self.apply_events()
                return "snapshot"
            except NoSnapshot:
                logger.info("no index snapshot yet: building from the library")
            except (SnapshotMismatch, SnapshotCorrupt) as error:
                logger.warning("index snapshot not used (%s): building from the library", error)
        self.rebuild(progress=progress)
        return "built"

    def open_in_background(self, *, progress: StageProgress | None = None) -> Future[str]:
        """`open` in the rebuild thread: a server starts at once and is ready when it is done."""
        return self._rebuilder.submit(self.open, progress=progress)

    def load_snapshot(self) -> None:
        """Serve the store's current snapshot; events after it are applied by `apply_events`."""
        if self.snapshots is None:
            raise IndexNotReady("未配置索引目录", code="no_index_dir")
        parts = self.parts
        loaded = self.snapshots.load(
            encoder=parts.encoder,
            tokenizer=parts.tokenizer,
            factors=parts.factors,
            config=parts.config,
            threads=parts.threads,
            dense_storage=parts.dense_storage,
        )
        state = CursorState.from_dict(loaded.manifest["cursor"])
        with self._writer:
            self._cursor = EventCursor.resume(state, gap_timeout=self._cursor.gap_timeout)
            self._matcher = loaded.matcher
            self._counts = mf.counts_of(loaded.matcher)
            self._position = (state.version, state.low_water)
            self._info.update(snapshot=loaded.name, origin="snapshot")

    def rebuild(
        self, *, progress: StageProgress | None = None, write_snapshot: bool = True
    ) -> None:
        """Build a complete new matcher from the library, replay what changed meanwhile, swap."""
        with self._rebuilding:
            self._rebuild_once(progress, write_snapshot)

    def _rebuild_once(self, progress: StageProgress | None, write_snapshot: bool) -> None:
        with self._writer:
            if self._matcher is None:
                # Nothing to apply events to yet: the build reads the library after this point.
                self._cursor.commit(self._cursor.pending(self.source))
                self._position = (self._cursor.version, self._cursor.low_water)
            self._dirty = set()
            start = self._cursor.state()
        try:
            matcher = build_matcher(self.source.entries(), parts=self.parts, progress=progress)
            name = self._write(matcher, start, progress) if write_snapshot else None
            self._swap(matcher, name)
        finally:
            with self._writer:
                self._dirty = None

    def _write(
        self, matcher: HybridMatcher, start: CursorState, progress: StageProgress | None
    ) -> str | None:
        """Snapshot a new matcher before it serves: it reflects the library from `start` on."""
        if self.snapshots is None:
            return None
        if progress is not None:
            progress("save", 0, 1)
        name = self.snapshots.write(
            matcher, cursor=start, factors=self.parts.factors, now=self.clock()
        )
        if progress is not None:
            progress("save", 1, 1)
        return name

    def _swap(self, matcher: HybridMatcher, name: str | None) -> None:
        """Replay what changed since the rebuild started, then serve the new matcher."""
        with self._writer:
            self._apply_pending()
            changed = sorted(self._dirty or ())
            if changed:
                views = self.source.entries(changed)
                replace_resources(matcher, changed, views, parts=self.parts)
            self._matcher = matcher
            self._counts = mf.counts_of(matcher)
            self._info.update(snapshot=name, origin="build", built_at=self.clock())

    def rebuild_in_background(self) -> Future[None]:
        """Start a rebuild in a thread (or return the one running); searches go on meanwhile."""
        with self._writer:
            if self._rebuild is None or self._rebuild.done():
                self._rebuild = self._rebuilder.submit(self._rebuild_logged)
            return self._rebuild

    def _rebuild_logged(self) -> None:
        try:
            self.rebuild()
        except Exception as error:
            self._info["last_error"] = f"rebuild: {error}"
            logger.exception("index rebuild failed; the previous index stays in service")
            raise

    def save_snapshot(self) -> str:
        """Write a snapshot of the current matcher (searches wait while it is written)."""
        if self.snapshots is None:
            raise IndexNotReady("未配置索引目录", code="no_index_dir")
        with self._writer:
            matcher = self.matcher
            name = self.snapshots.write(
                matcher, cursor=self._cursor.state(), factors=self.parts.factors, now=self.clock()
            )
            self._info["snapshot"] = name
            return name

    # Serving ---------------------------------------------------------------------------------

    @property
    def ready(self) -> bool:
        """True once a matcher is in service."""
        return self._matcher is not None

    @property
    def matcher(self) -> HybridMatcher:
        """The matcher in service now."""
        matcher = self._matcher
        if matcher is None:
            raise IndexNotReady("索引尚未就绪，请稍候或先构建索引")
        return matcher

    def match(
        self,
        query: str,
        *,
        k: int = 10,
        filters: Filters | None = None,
        config: MatchConfig | None = None,
    ) -> MatchResponse:
        """The k best resources for a need, on the matcher in service."""
        return self.matcher.match(query, k=k, filters=filters, config=config)

    def match_bundle(
        self, query: str, *, filters: Filters | None = None, config: MatchConfig | None = None
    ) -> BundleResponse:
        """Complementary resources for a multi-aspect need, on the matcher in service."""
        return self.matcher.match_bundle(query, filters=filters, config=config)

    async def match_async(self, query: str, **options: Any) -> MatchResponse:
        """`match` in the bounded query pool, so the event loop never waits for encoding."""
        call = functools.partial(self.match, query, **options)
        return await asyncio.get_running_loop().run_in_executor(self._queries, call)

    async def match_bundle_async(self, query: str, **options: Any) -> BundleResponse:
        """`match_bundle` in the bounded query pool."""
        call = functools.partial(self.match_bundle, query, **options)
        return await asyncio.get_running_loop().run_in_executor(self._queries, call)

    def document(self, doc_id: str) -> Document | None:
        """A live document by id (for display: titles, fields, the evidence case)."""
        return self.matcher.corpus.docs.get(doc_id)

    # Freshness -------------------------------------------------------------------------------

    def apply_events(self) -> int:
        """Apply outbox events not seen yet (add / update / remove resources); how many."""
        with self._writer:
            if self._matcher is None and self._dirty is None:
                return 0  # not opened: leave the events for the first build
            return self._apply_pending()

    def _apply_pending(self) -> int:
        events = self._cursor.pending(self.source)
        codes = list(dict.fromkeys(e.resource_code for e in events))
        if codes and self._matcher is not None:
            # The entry's current state wins over the kind of event: re-read it; absent
            # (removed, withdrawn) means its documents go.
            views = self.source.entries(codes)
            replace_resources(self._matcher, codes, views, parts=self.parts)
            self._counts = mf.counts_of(self._matcher)
        if codes and self._dirty is not None:
            self._dirty.update(codes)
        self._cursor.commit(events)
        self._position = (self._cursor.version, self._cursor.low_water)
        if events:
            self._info["events_applied"] += len(events)
            self._info.update(last_event_id=events[-1].id, last_applied_at=self.clock())
        return len(events)

    def start(self, poll_interval: float = 0.5) -> None:
        """Poll the outbox every `poll_interval` seconds, and at once on an in-process change."""
        self._poller.start(poll_interval)

    def stop(self) -> None:
        """Stop polling (waits for the poller thread)."""
        self._poller.stop()

    def close(self) -> None:
        """Stop polling and release the thread pools."""
        self.stop()
        self._queries.shutdown(wait=True)
        self._rebuilder.shutdown(wait=True)

    def status(self) -> IndexStatus:
        """Readiness, corpus version, counts, last event applied, rebuilding."""
        matcher, counts, (version, low_water) = self._matcher, self._counts, self._position
        rebuild = self._rebuild
        return IndexStatus(
            ready=matcher is not None,
            rebuilding=self._dirty is not None or (rebuild is not None and not rebuild.done()),
            corpus_version=version,
            low_water=low_water,
            last_event_id=self._info.get("last_event_id"),
            last_applied_at=self._info.get("last_applied_at"),
            events_applied=int(self._info["events_applied"]),
            resources=counts.get("resources", 0),
            documents=counts.get("documents", 0),
            cases=counts.get("cases", 0),
            model_id=self.parts.encoder.model_id,
            snapshot=self._info.get("snapshot"),
            origin=self._info.get("origin"),
            polling=self._poller.running,
            last_error=self._info.get("last_error") or self._poller.last_error,
        )
