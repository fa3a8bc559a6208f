"""Snapshots: a round trip answers identically; loading refuses every kind of mismatch; an
incomplete newest snapshot falls back to the last complete one; old ones are pruned."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from indexing.build import IndexParts, build_matcher
from indexing.cursor import CursorState
from indexing.documents import DocumentFactors
from indexing.errors import NoSnapshot, SnapshotCorrupt, SnapshotMismatch
from indexing.manifest import FORMAT_VERSION, package_version
from indexing.snapshot import CURRENT, SnapshotStore
from matcher.hybrid import HybridMatcher
from matcher.testing import KeywordEncoder
from matcher.tokenizer import USERDICT_PATH, Tokenizer
from matcher.types import Filters
from tests.indexing.conftest import FACTORS
from tests.indexing.views import KEYWORDS, small_library

NOW = datetime(2025, 12, 1, 8, 0, tzinfo=UTC)
QUERIES = ("东莞注塑厂想做机器视觉缺陷检测", "MES 生产排程", "跨境电商直播", "能耗 数字孪生")


@pytest.fixture
def matcher(parts: IndexParts) -> HybridMatcher:
    return build_matcher(small_library(), parts=parts)


@pytest.fixture
def store(tmp_path: Path) -> SnapshotStore:
    return SnapshotStore(tmp_path / "index")


def load(store: SnapshotStore, parts: IndexParts, **changes: object) -> HybridMatcher:
    options = {
        "encoder": parts.encoder,
        "tokenizer": parts.tokenizer,
        "factors": parts.factors,
        **changes,
    }
    return store.load(**options).matcher  # type: ignore[arg-type]


def rewrite_manifest(
    store: SnapshotStore, name: str, change: Callable[[dict[str, Any]], dict[str, Any]]
) -> None:
    """Replace a written snapshot's manifest by `change(manifest)` (its files stay as they are)."""
    path = store.snapshots_dir / name / "manifest.json"
    path.write_text(json.dumps(change(json.loads(path.read_text(encoding="utf-8")))))


def test_round_trip_gives_identical_results(
    matcher: HybridMatcher, store: SnapshotStore, parts: IndexParts
) -> None:
    matcher.remove_resource("MF-004")  # tombstoned slots survive the trip too
    name = store.write(matcher, cursor=CursorState(7, (9,)), factors=FACTORS, now=NOW)
    loaded = store.load(encoder=parts.encoder, tokenizer=parts.tokenizer, factors=FACTORS)
    assert loaded.name == name
    for query in QUERIES:
        for filters in (None, Filters.of(city="东莞市"), Filters.of(direction="制造生产")):
            expected = matcher.match(query, k=10, filters=filters)
            assert loaded.matcher.match(query, k=10, filters=filters) == expected
    assert loaded.matcher.corpus.docs == matcher.corpus.docs


def test_manifest_records_what_the_index_was_built_with(
    matcher: HybridMatcher, store: SnapshotStore, parts: IndexParts
) -> None:
    name = store.write(matcher, cursor=CursorState(7, (9,)), factors=FACTORS, now=NOW)
    folder = store.snapshots_dir / name
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["format_version"] == FORMAT_VERSION
    assert manifest["model_id"] == "keyword-fake" and manifest["model_hash"] is None
    assert manifest["dimension"] == len(KEYWORDS) + 2
    assert manifest["dictionary_hash"] == parts.tokenizer.dictionary_hash
    assert manifest["factors"] == {"warned_factor": 0.5, "priority_boost": 1.5}
    assert manifest["dense_storage"] == "float32"
    assert manifest["corpus_version"] == 9
    assert manifest["cursor"] == {"low_water": 7, "seen": [9]}
    assert manifest["counts"] == {"resources": 4, "documents": 8, "cases": 4}
    assert manifest["package_version"] == package_version()
    assert manifest["created_at"] == NOW.isoformat()
    on_disk = sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())
    assert sorted(manifest["files"]) == [p for p in on_disk if p != "manifest.json"]
    for path, digest in manifest["files"].items():
        assert hashlib.sha256((folder / path).read_bytes()).hexdigest() == digest
    assert (store.directory / CURRENT).read_text(encoding="utf-8").strip() == name


def test_nothing_is_pickled(matcher: HybridMatcher, store: SnapshotStore) -> None:
    name = store.write(matcher, cursor=CursorState(), factors=FACTORS, now=NOW)
    files = [p for p in (store.snapshots_dir / name).rglob("*") if p.is_file()]
    assert {p.suffix for p in files} <= {".json", ".jsonl", ".npz", ".faiss"}
    for path in files:
        if path.suffix == ".npz":
            with np.load(path, allow_pickle=False) as archive:
                for key in archive.files:
                    assert not archive[key].dtype.hasobject
        elif path.suffix == ".json":
            assert isinstance(json.loads(path.read_text(encoding="utf-8")), dict)
        elif path.suffix == ".jsonl":
            lines = path.read_text(encoding="utf-8").splitlines()
            assert all(isinstance(json.loads(line), dict) for line in lines)
        else:
            assert not path.read_bytes().startswith(b"\x80")  # no pickle protocol header


class HashedEncoder(KeywordEncoder):
    """A keyword encoder that declares a weights hash, as the real one does."""

    model_hash = "sha256:aaaa"


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"encoder": KeywordEncoder(KEYWORDS, model_id="another-model")}, "model_id_mismatch"),
        ({"encoder": HashedEncoder(KEYWORDS)}, "model_hash_mismatch"),
        ({"encoder": KeywordEncoder((*KEYWORDS, "质检"))}, "dimension_mismatch"),
        ({"factors": DocumentFactors(warned_factor=0.4)}, "factors_mismatch"),
    ],
)
def test_load_refuses_another_model_dimension_or_factors(
    matcher: HybridMatcher,
    store: SnapshotStore,
    parts: IndexParts,
    changes: dict[str, object],
    code: str,
) -> None:
    store.write(matcher, cursor=CursorState(), factors=FACTORS, now=NOW)
    with pytest.raises(SnapshotMismatch) as caught:
        load(store, parts, **changes)
    assert caught.value.code == code
    assert "请重建索引" in caught.value.message


def test_float16_snapshot_round_trip_and_storage_mismatch(
    store: SnapshotStore, parts: IndexParts
) -> None:
    half = dataclasses.replace(parts, dense_storage="float16")
    matcher = build_matcher(small_library(), parts=half)
    name = store.write(matcher, cursor=CursorState(), factors=FACTORS, now=NOW)
    manifest = json.loads((store.snapshots_dir / name / "manifest.json").read_text("utf-8"))
    assert manifest["dense_storage"] == "float16"
    loaded = load(store, parts, dense_storage="float16")
    assert loaded.dense.storage == "float16"
    for query in QUERIES:
        assert loaded.match(query, k=10) == matcher.match(query, k=10)
    with pytest.raises(SnapshotMismatch) as caught:
        load(store, parts)  # the deployment asks for float32: rebuild, never a silent mix
    assert caught.value.code == "dense_storage_mismatch"
    assert "float16" in caught.value.message and "请重建索引" in caught.value.message


def test_snapshot_from_before_the_storage_choice_reads_as_float32(
    matcher: HybridMatcher, store: SnapshotStore, parts: IndexParts
) -> None:
    name = store.write(matcher, cursor=CursorState(), factors=FACTORS, now=NOW)
    rewrite_manifest(store, name, lambda m: {k: v for k, v in m.items() if k != "dense_storage"})
    assert load(store, parts).dense.storage == "float32"
    with pytest.raises(SnapshotMismatch):
        load(store, parts, dense_storage="float16")


def test_load_refuses_another_dictionary(
    matcher: HybridMatcher, store: SnapshotStore, parts: IndexParts, tmp_path: Path
) -> None:
    store.write(matcher, cursor=CursorState(), factors=FACTORS, now=NOW)
    userdict = tmp_path / "userdict.txt"
    userdict.write_text(USERDICT_PATH.read_text(encoding="utf-8") + "\n外观全检 10 n\n")
    with pytest.raises(SnapshotMismatch) as caught:
        load(store, parts, tokenizer=Tokenizer(userdict=userdict))
    assert caught.value.code == "dictionary_hash_mismatch"


def test_load_refuses_another_format_version(
    matcher: HybridMatcher, store: SnapshotStore, parts: IndexParts
) -> None:
    name = store.write(matcher, cursor=CursorState(), factors=FACTORS, now=NOW)
    rewrite_manifest(store, name, lambda m: m | {"format_version": FORMAT_VERSION + 1})
    with pytest.raises(SnapshotMismatch) as caught:
        load(store, parts)
    assert caught.value.code == "format_version_mismatch"


@pytest.mark.parametrize("damage", ["flip", "delete"])
def test_load_refuses_a_file_that_differs_from_the_manifest(
    matcher: HybridMatcher, store: SnapshotStore, parts: IndexParts, damage: str
) -> None:
    name = store.write(matcher, cursor=CursorState(), factors=FACTORS, now=NOW)
    target = store.snapshots_dir / name / "matcher" / "documents.jsonl"
    if damage == "flip":
        data = bytearray(target.read_bytes())
        data[10] ^= 0x01
        target.write_bytes(bytes(data))
    else:
        target.unlink()
    with pytest.raises(SnapshotCorrupt) as caught:
        load(store, parts)
    assert caught.value.code == ("checksum_mismatch" if damage == "flip" else "file_missing")


def test_falls_back_to_the_last_complete_snapshot(
    matcher: HybridMatcher, store: SnapshotStore, parts: IndexParts
) -> None:
    with pytest.raises(NoSnapshot):
        load(store, parts)
    old = store.write(matcher, cursor=CursorState(3), factors=FACTORS, now=NOW)
    # A newer folder without a manifest (its write never finished), and CURRENT naming it.
    newer = "99999999-29990101T000000-v0000000009"
    (store.snapshots_dir / newer / "matcher").mkdir(parents=True)
    (store.directory / CURRENT).write_text(newer + "\n")
    assert store.load(encoder=parts.encoder, tokenizer=parts.tokenizer, factors=FACTORS).name == old
    (store.directory / CURRENT).unlink()
    assert store.current()[0] == old


def test_old_snapshots_and_leftovers_are_pruned(
    matcher: HybridMatcher, store: SnapshotStore
) -> None:
    names = [
        store.write(matcher, cursor=CursorState(i), factors=FACTORS, now=NOW + timedelta(i))
        for i in range(4)
    ]
    assert store.names() == names[-2:]
    leftover = store.snapshots_dir / ".tmp-19990101"
    leftover.mkdir()
    newest = store.write(matcher, cursor=CursorState(9), factors=FACTORS, now=NOW)
    assert not leftover.exists()
    assert set(store.names()) == {names[-1], newest}
    assert store.current()[0] == newest
