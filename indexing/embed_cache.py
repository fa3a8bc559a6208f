"""Passage embeddings cached by (model id, sha256 of the exact text) in a small SQLite file.

A rebuild re-embeds only text that changed: the key is the passage as the encoder sees it
(before its own prefix, which the model id covers) and the model id, which carries the weights
hash and the prefixes. Vectors are stored as float32 bytes (no pickle). WAL lets readers in
other processes read while one writes; every write is one short transaction.
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from matcher.types import Encoder

ProgressCallback = Callable[[int, int], None]
LOOKUP_CHUNK = 500  # keys per SELECT (SQLite's parameter limit is far above)
DEFAULT_BATCH = 64

_SCHEMA = """
CREATE TABLE IF NOT EXISTS embeddings (
    model_id TEXT NOT NULL,
    text_sha256 TEXT NOT NULL,
    dimension INTEGER NOT NULL,
    vector BLOB NOT NULL,
    PRIMARY KEY (model_id, text_sha256)
) WITHOUT ROWID
"""


def text_key(text: str) -> str:
    """The sha256 of the exact text (UTF-8), hex."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class EmbeddingCache:
    """Get and put vectors by (model id, text hash); thread-safe, one connection per instance."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._conn = sqlite3.connect(
            self.path, timeout=30.0, check_same_thread=False, isolation_level=None
        )
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA synchronous=NORMAL")
        self._conn.execute(_SCHEMA)

    def close(self) -> None:
        """Close the connection."""
        with self._lock:
            self._conn.close()

    def get_many(self, model_id: str, keys: Sequence[str], dimension: int) -> dict[str, np.ndarray]:
        """Cached vectors of the keys that are present (and of the right dimension)."""
        found: dict[str, np.ndarray] = {}
        unique = list(dict.fromkeys(keys))
        with self._lock:
            for start in range(0, len(unique), LOOKUP_CHUNK):
                chunk = unique[start : start + LOOKUP_CHUNK]
                marks = ",".join("?" * len(chunk))
                rows = self._conn.execute(
                    "SELECT text_sha256, vector FROM embeddings"
                    f" WHERE model_id = ? AND dimension = ? AND text_sha256 IN ({marks})",
                    (model_id, dimension, *chunk),
                ).fetchall()
                for key, blob in rows:
                    found[key] = np.frombuffer(blob, dtype=np.float32).copy()
        return found

    def put_many(self, model_id: str, items: Sequence[tuple[str, np.ndarray]]) -> None:
        """Store vectors (float32 bytes) under their keys, in one transaction."""
        rows = [
            (model_id, key, int(vector.shape[0]), np.asarray(vector, np.float32).tobytes())
            for key, vector in items
        ]
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                self._conn.executemany(
                    "INSERT OR REPLACE INTO embeddings VALUES (?, ?, ?, ?)", rows
                )
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    def count(self, model_id: str | None = None) -> int:
        """Vectors stored (for one model, or all)."""
        with self._lock:
            if model_id is None:
                row = self._conn.execute("SELECT COUNT(*) FROM embeddings").fetchone()
            else:
                row = self._conn.execute(
                    "SELECT COUNT(*) FROM embeddings WHERE model_id = ?", (model_id,)
                ).fetchone()
        return int(row[0])


def embed_passages(
    encoder: Encoder,
    texts: Sequence[str],
    *,
    cache: EmbeddingCache | None,
    batch_size: int = DEFAULT_BATCH,
    progress: ProgressCallback | None = None,
) -> np.ndarray:
    """Vectors of the passages: cached ones read, the others encoded in batches and stored.

    `progress(done, total)` counts passages to encode (cache hits are not work), after each batch.
    """
    out = np.zeros((len(texts), encoder.dimension), dtype=np.float32)
    keys = [text_key(t) for t in texts]
    cached = cache.get_many(encoder.model_id, keys, encoder.dimension) if cache else {}
    missing: dict[str, list[int]] = {}
    for row, key in enumerate(keys):
        if key in cached:
            out[row] = cached[key]
        else:
            missing.setdefault(key, []).append(row)  # the same text twice is encoded once
    todo = list(missing)
    if progress is not None:
        progress(0, len(todo))
    for start in range(0, len(todo), batch_size):
        batch = todo[start : start + batch_size]
        vectors = encoder.encode_passages([texts[missing[key][0]] for key in batch])
        for key, vector in zip(batch, vectors, strict=True):
            out[missing[key]] = vector
        if cache is not None:
            cache.put_many(encoder.model_id, list(zip(batch, vectors, strict=True)))
        if progress is not None:
            progress(min(start + batch_size, len(todo)), len(todo))
    return out
