"""The dense index: exact cosine ranking, filters applied inside FAISS, persistence; each in
float32 and in float16 storage (exact for the fp16-rounded vectors)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from matcher.dense import DenseIndex
from matcher.errors import IndexMismatch, InvalidInput
from matcher.testing import KeywordEncoder


def _unit(rng: np.random.Generator, n: int, d: int) -> np.ndarray:
    x = rng.normal(size=(n, d)).astype(np.float32)
    unit: np.ndarray = x / np.linalg.norm(x, axis=1, keepdims=True)
    return unit


STORAGES = pytest.mark.parametrize("storage", ["float32", "float16"])


def _stored(vectors: np.ndarray, storage: str) -> np.ndarray:
    """The vectors as the index keeps them (float16 rounds each component)."""
    return vectors.astype(np.float16).astype(np.float32) if storage == "float16" else vectors


def _brute_force(vectors: dict[str, np.ndarray], query: np.ndarray, k: int) -> list[str]:
    ids = list(vectors)
    scores = np.array([float(vectors[i] @ query) for i in ids])
    order = sorted(range(len(ids)), key=lambda i: -scores[i])
    return [ids[i] for i in order[:k]]


def test_keyword_rankings_worked_out_by_hand() -> None:
    encoder = KeywordEncoder(["机器视觉", "缺陷检测", "MES", "跨境电商"])
    texts = {
        "vision": "机器视觉缺陷检测一体机",  # {机器视觉, 缺陷检测}
        "vision-mes": "机器视觉与MES联动",  # {机器视觉, mes}
        "mes": "MES 制造执行系统",  # {mes}
        "shop": "跨境电商代运营",  # {跨境电商}
    }
    index = DenseIndex(encoder.dimension)
    index.add(list(texts), encoder.encode_passages(list(texts.values())))
    query = encoder.encode_queries(["想用机器视觉做缺陷检测"])[0]  # {机器视觉, 缺陷检测}
    hits = index.search(query, 4)
    # cos = |A∩B| / sqrt(|A||B|): vision 2/2 = 1, vision-mes 1/2, mes 0, shop 0 (ties: slot order)
    assert [h.doc_id for h in hits] == ["vision", "vision-mes", "mes", "shop"]
    np.testing.assert_allclose([h.score for h in hits], [1.0, 0.5, 0.0, 0.0], atol=1e-6)


@STORAGES
def test_filtered_search_equals_brute_force_over_the_allowed_subset(storage: Any) -> None:
    rng = np.random.default_rng(0)
    n, d = 600, 24
    vectors = _unit(rng, n, d)
    ids = [f"d{i}" for i in range(n)]
    index = DenseIndex(d, storage=storage)
    index.add(ids, vectors)
    kept = _stored(vectors, storage)
    removed = set(ids[::11])
    index.remove(removed)
    for trial in range(60):
        mask = rng.random(n) < rng.choice([0.01, 0.1, 0.5, 0.95])
        query = _unit(rng, 1, d)[0]
        allowed = {ids[i]: kept[i] for i in range(n) if mask[i] and ids[i] not in removed}
        hits = index.search(query, 10, mask)
        assert [h.doc_id for h in hits] == _brute_force(allowed, query, 10), trial
        assert all(h.doc_id in allowed for h in hits)


@STORAGES
def test_filter_keeping_few_documents_still_returns_them_all(storage: Any) -> None:
    # Post-filtering the global top-k would lose these: they are the least similar documents.
    rng = np.random.default_rng(1)
    vectors = _unit(rng, 300, 16)
    query = vectors[0]
    worst = np.argsort(vectors @ query)[:3]
    index = DenseIndex(16, storage=storage)
    index.add([f"d{i}" for i in range(300)], vectors)
    mask = np.zeros(300, dtype=bool)
    mask[worst] = True
    assert {h.doc_id for h in index.search(query, 10, mask)} == {f"d{i}" for i in worst}
    assert index.search(query, 10, np.zeros(300, dtype=bool)) == []


@STORAGES
def test_replace_and_remove(storage: Any) -> None:
    rng = np.random.default_rng(2)
    vectors = _unit(rng, 3, 8)
    index = DenseIndex(8, storage=storage)
    index.add(["a", "b"], vectors[:2])
    index.add(["a"], vectors[2:])  # replaces a
    assert index.n_docs == 2 and index.n_slots == 3
    assert index.search(vectors[2], 1)[0].doc_id == "a"
    np.testing.assert_allclose(index.vectors(["a"])[0], _stored(vectors, storage)[2], atol=1e-7)
    assert index.remove(["a", "zzz"]) == 1
    assert [h.doc_id for h in index.search(vectors[2], 5)] == ["b"]


def test_vectors_must_be_normalised_and_of_the_right_shape() -> None:
    index = DenseIndex(4)
    with pytest.raises(InvalidInput):
        index.add(["a"], np.ones((1, 4), dtype=np.float32))
    with pytest.raises(InvalidInput):
        index.add(["a"], np.eye(3, dtype=np.float32)[:1])
    with pytest.raises(InvalidInput):
        index.search(np.ones(4, dtype=np.float32) / 2, 0)


@STORAGES
def test_save_and_load_round_trip(tmp_path: Path, storage: Any) -> None:
    rng = np.random.default_rng(3)
    vectors = _unit(rng, 50, 12)
    index = DenseIndex(12, storage=storage)
    index.add([f"d{i}" for i in range(50)], vectors)
    index.remove(["d3", "d7"])
    index.save(tmp_path)
    loaded = DenseIndex.load(tmp_path, dimension=12)
    assert loaded.storage == storage
    mask = rng.random(50) < 0.5
    for query in _unit(rng, 5, 12):
        assert loaded.search(query, 7) == index.search(query, 7)
        assert loaded.search(query, 7, mask) == index.search(query, 7, mask)
    with pytest.raises(IndexMismatch):
        DenseIndex.load(tmp_path, dimension=384)


def test_float16_keeps_half_the_bytes_and_refuses_a_mixed_load(tmp_path: Path) -> None:
    rng = np.random.default_rng(4)
    vectors = _unit(rng, 2000, 64)
    sizes = {}
    for storage in ("float32", "float16"):
        index = DenseIndex(64, storage=storage)  # type: ignore[arg-type]
        index.add([f"d{i}" for i in range(2000)], vectors)
        index.save(tmp_path / storage)
        sizes[storage] = (tmp_path / storage / "dense.faiss").stat().st_size
    # codes: 2,000 × 64 × 4 bytes against × 2 bytes; the id map is the same, the headers
    # differ by a few dozen bytes (the quantizer's parameters)
    assert abs(sizes["float32"] - sizes["float16"] - 2000 * 64 * 2) < 100
    with pytest.raises(IndexMismatch) as refused:
        DenseIndex.load(tmp_path / "float16", storage="float32")
    assert refused.value.code == "dense_storage_mismatch"
    with pytest.raises(InvalidInput):
        DenseIndex(64, storage="int8")  # type: ignore[arg-type]


def test_float16_scores_stay_within_fp16_rounding_of_the_exact_ones() -> None:
    rng = np.random.default_rng(5)
    vectors = _unit(rng, 1000, 384)
    exact, half = DenseIndex(384), DenseIndex(384, storage="float16")
    ids = [f"d{i}" for i in range(1000)]
    exact.add(ids, vectors)
    half.add(ids, vectors)
    for query in _unit(rng, 20, 384):
        a = {h.doc_id: h.score for h in exact.search(query, 1000)}
        b = {h.doc_id: h.score for h in half.search(query, 1000)}
        assert a.keys() == b.keys()
        assert max(abs(a[i] - b[i]) for i in a) < 2e-3
