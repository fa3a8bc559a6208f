"""Assembling a live index from plain values, for the API and the CLI (no settings read here).

live = create_live_index(database_url=url, options=IndexOptions(index_dir=..., model=...))
live.open()            # load the snapshot and catch up, or build
live.start(0.5)        # poll the outbox; in-process changes wake it at once
await live.match_async("我们是东莞的注塑厂…", k=10, filters=make_filters(city=["东莞"]))
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from indexing import manifest as mf
from indexing.build import IndexParts, StageProgress
from indexing.documents import DocumentFactors
from indexing.embed_cache import EmbeddingCache
from indexing.live import LiveIndex, utc_now
from indexing.query_cache import QueryVectorCache
from indexing.snapshot import SnapshotStore
from indexing.source import DatabaseSource, LibrarySource
from matcher.config import MatchConfig
from matcher.dense import DenseStorage
from matcher.tokenizer import Tokenizer, default_tokenizer
from matcher.types import Encoder

CACHE_FILE = "embeddings.sqlite"


@dataclass(frozen=True)
class IndexOptions:
    """Everything an index needs besides the database, as plain values."""

    index_dir: Path
    model: str  # a model folder built by `funeng model build`, or any sentence-transformers name
    query_prefix: str = "query: "
    passage_prefix: str = "passage: "
    threads: int = 1  # torch and FAISS threads
    batch_size: int = 32
    max_seq_length: int = 256  # tokens the encoder reads of each text
    warned_factor: float = 0.5
    priority_boost: float = 1.2
    query_workers: int = 1  # concurrent query encodings of match_async
    query_cache_size: int = 1024  # query vectors remembered (a need asked again: no encoding)
    gap_timeout: float = 30.0
    keep_snapshots: int = 2
    dense_storage: DenseStorage = "float32"  # see matcher.dense

    @property
    def factors(self) -> DocumentFactors:
        """The ranking factors of the library state."""
        return DocumentFactors(warned_factor=self.warned_factor, priority_boost=self.priority_boost)


def open_encoder(options: IndexOptions) -> Encoder:
    """The sentence encoder the options name (loaded lazily on first use)."""
    from matcher.encoders import SentenceTransformerEncoder

    return SentenceTransformerEncoder(
        options.model,
        query_prefix=options.query_prefix,
        passage_prefix=options.passage_prefix,
        threads=options.threads,
        batch_size=options.batch_size,
        max_seq_length=options.max_seq_length,
    )


def make_parts(
    options: IndexOptions,
    *,
    encoder: Encoder | None = None,
    tokenizer: Tokenizer | None = None,
    config: MatchConfig | None = None,
) -> IndexParts:
    """Encoder (remembering query vectors), tokenizer, factors and the embedding cache."""
    options.index_dir.mkdir(parents=True, exist_ok=True)
    return IndexParts(
        encoder=QueryVectorCache(encoder or open_encoder(options), size=options.query_cache_size),
        tokenizer=tokenizer or default_tokenizer(),
        factors=options.factors,
        config=config,
        cache=EmbeddingCache(options.index_dir / CACHE_FILE),
        threads=options.threads,
        embed_batch=max(options.batch_size, 1),
        dense_storage=options.dense_storage,
    )


def sessions_for(database_url: str) -> sessionmaker[Session]:
    """A session factory on the registry database."""
    from registry.db import make_engine, session_factory

    return session_factory(make_engine(database_url))


def create_live_index(
    *,
    options: IndexOptions,
    sessions: sessionmaker[Session] | None = None,
    database_url: str | None = None,
    source: LibrarySource | None = None,
    encoder: Encoder | None = None,
    tokenizer: Tokenizer | None = None,
    config: MatchConfig | None = None,
    clock: Callable[[], datetime] = utc_now,
) -> LiveIndex:
    """A live index (not opened yet) on the library given by `sessions`, a URL, or a source."""
    if source is None:
        if sessions is None:
            if database_url is None:
                raise ValueError("give sessions, database_url or source")
            sessions = sessions_for(database_url)
        source = DatabaseSource(sessions)
    return LiveIndex(
        source=source,
        parts=make_parts(options, encoder=encoder, tokenizer=tokenizer, config=config),
        snapshots=SnapshotStore(options.index_dir, keep=options.keep_snapshots),
        clock=clock,
        query_workers=options.query_workers,
        gap_timeout=options.gap_timeout,
    )


@dataclass(frozen=True)
class BuildReport:
    """What `update_index` did."""

    origin: str  # "snapshot" (loaded and caught up) or "built"
    events_applied: int
    snapshot: str | None


def update_index(
    live: LiveIndex, *, rebuild: bool, progress: StageProgress | None = None
) -> BuildReport:
    """Bring the on-disk index up to date: catch up from the snapshot, or (`rebuild`) rebuild.

    A caught-up index with new events is written as a new snapshot.
    """
    if rebuild:
        live.rebuild(progress=progress)
        return BuildReport("built", 0, live.status().snapshot)
    origin = live.open(progress=progress)
    applied = live.status().events_applied
    if origin == "snapshot" and applied:
        live.save_snapshot()
    return BuildReport(origin, applied, live.status().snapshot)


def snapshot_summary(index_dir: Path) -> dict[str, Any] | None:
    """The current snapshot's manifest (without files) and the snapshots on disk; no model load."""
    from indexing.errors import NoSnapshot

    store = SnapshotStore(index_dir)
    try:
        name, manifest = store.current()
    except NoSnapshot:
        return None
    summary = {k: v for k, v in manifest.items() if k not in ("files", "cursor")}
    summary |= {"name": name, "snapshots": store.names(), "files": len(manifest["files"])}
    summary["format_ok"] = manifest.get("format_version") == mf.FORMAT_VERSION
    return summary
