"""The embedding cache: keyed by model id and text hash, so a rebuild encodes only new text."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path

import numpy as np

from indexing.build import IndexParts, build_matcher
from indexing.embed_cache import EmbeddingCache, embed_passages, text_key
from matcher.testing import KeywordEncoder
from tests.indexing.views import KEYWORDS, small_library


def test_rebuild_encodes_only_changed_text(parts: IndexParts, encoder: KeywordEncoder) -> None:
    views = small_library()
    first = build_matcher(views, parts=parts)
    assert encoder.calls == first.n_documents == 8
    second = build_matcher(views, parts=parts)
    assert encoder.calls == 8  # every passage came from the cache
    changed = [replace(views[0], summary="机器视觉缺陷检测，新增 3D 测量"), *views[1:]]
    build_matcher(changed, parts=parts)
    # Only the resource document's text changed (its case keeps its own text).
    assert encoder.calls == 9
    a = first.dense.vectors(["AI-001#case-11"])
    b = second.dense.vectors(["AI-001#case-11"])
    assert np.array_equal(a, b)


def test_vectors_round_trip_exactly_and_by_model(tmp_path: Path) -> None:
    cache = EmbeddingCache(tmp_path / "c.sqlite")
    vector = np.random.default_rng(1).standard_normal(12).astype(np.float32)
    cache.put_many("model-a", [(text_key("机器视觉"), vector)])
    found = cache.get_many("model-a", [text_key("机器视觉"), text_key("MES")], 12)
    assert list(found) == [text_key("机器视觉")]
    assert found[text_key("机器视觉")].dtype == np.float32
    assert np.array_equal(found[text_key("机器视觉")], vector)
    assert cache.get_many("model-b", [text_key("机器视觉")], 12) == {}
    assert cache.get_many("model-a", [text_key("机器视觉")], 13) == {}  # another dimension
    assert cache.count() == cache.count("model-a") == 1
    cache.close()


def test_duplicates_encoded_once_with_progress(tmp_path: Path) -> None:
    encoder = KeywordEncoder(KEYWORDS)
    cache = EmbeddingCache(tmp_path / "c.sqlite")
    seen: list[tuple[int, int]] = []
    texts = ["机器视觉", "MES 排程", "机器视觉", "直播"] * 3
    out = embed_passages(
        encoder, texts, cache=cache, batch_size=2, progress=lambda d, t: seen.append((d, t))
    )
    assert encoder.calls == 3
    assert seen == [(0, 3), (2, 3), (3, 3)]
    assert np.array_equal(out, encoder.encode_passages(texts))
    again = embed_passages(encoder, texts, cache=cache, progress=lambda d, t: seen.append((d, t)))
    assert np.array_equal(again, out) and seen[-1] == (0, 0)
    cache.close()


def test_another_connection_reads_while_one_writes(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite"
    writer, reader = EmbeddingCache(path), EmbeddingCache(path)
    vector = np.ones(4, dtype=np.float32) / 2
    writer.put_many("m", [("k1", vector)])
    assert np.array_equal(reader.get_many("m", ["k1"], 4)["k1"], vector)
    with sqlite3.connect(path) as conn:  # WAL: plain readers never wait for the writer
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        conn.execute("BEGIN")
        assert conn.execute("SELECT COUNT(*) FROM embeddings").fetchone()[0] == 1
        writer.put_many("m", [("k2", vector)])
        conn.execute("COMMIT")
    assert reader.count("m") == 2
    writer.close()
    reader.close()
