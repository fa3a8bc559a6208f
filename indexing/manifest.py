"""The manifest of an index snapshot: what it was built with, from which events, and checksums."""

from __future__ import annotations

import json
from datetime import datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from indexing.cursor import CursorState
from indexing.documents import DocumentFactors
from indexing.errors import SnapshotMismatch
from matcher.dense import DenseStorage
from matcher.hybrid import HybridMatcher
from matcher.tokenizer import Tokenizer
from matcher.types import Encoder

MANIFEST = "manifest.json"
FORMAT = "funeng-index-snapshot"
FORMAT_VERSION = 1


def package_version() -> str:
    """The installed version of this project ("unknown" when run from an uninstalled tree)."""
    try:
        return metadata.version("funeng-match")
    except metadata.PackageNotFoundError:
        return "unknown"


def model_hash_of(encoder: Encoder) -> str | None:
    """The weights hash an encoder declares (the real encoder does; fakes may not)."""
    value = getattr(encoder, "model_hash", None)
    return str(value) if value else None


def counts_of(matcher: HybridMatcher) -> dict[str, int]:
    """Resources, resource documents, case documents and all documents of a matcher."""
    docs = matcher.corpus.docs.values()
    cases = sum(1 for d in docs if d.kind == "case")
    return {
        "resources": len(matcher.corpus.resources()),
        "documents": matcher.n_documents,
        "cases": cases,
    }


def build(
    matcher: HybridMatcher,
    *,
    cursor: CursorState,
    factors: DocumentFactors,
    now: datetime,
    files: dict[str, str],
) -> dict[str, Any]:
    """The manifest of a snapshot of `matcher` whose files have the given sha256."""
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "model_id": matcher.encoder.model_id,
        "model_hash": model_hash_of(matcher.encoder),
        "dimension": matcher.encoder.dimension,
        "dictionary_hash": matcher.tokenizer.dictionary_hash,
        "dense_storage": matcher.dense.storage,
        "factors": factors.as_dict(),
        "corpus_version": cursor.version,
        "cursor": cursor.as_dict(),
        "counts": counts_of(matcher),
        "package_version": package_version(),
        "created_at": now.isoformat(),
        "files": files,
    }


def read(folder: Path) -> dict[str, Any] | None:
    """The manifest of a snapshot folder, or None when it has none (an incomplete write)."""
    path = folder / MANIFEST
    try:
        payload = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(payload, dict) or not isinstance(payload.get("files"), dict):
        return None
    return payload


def check_compatible(
    manifest: dict[str, Any],
    *,
    encoder: Encoder,
    tokenizer: Tokenizer,
    factors: DocumentFactors,
    dense_storage: DenseStorage = "float32",
) -> None:
    """Refuse a snapshot built for another format, model, dimension, dictionary, dense storage
    or factors."""
    if manifest.get("format") != FORMAT or manifest.get("format_version") != FORMAT_VERSION:
        raise SnapshotMismatch(
            f"快照格式为 {manifest.get('format')} 版本 {manifest.get('format_version')}，"
            f"本程序只读取 {FORMAT} 版本 {FORMAT_VERSION}，请重建索引",
            code="format_version_mismatch",
        )
    expected = {
        "model_id": (encoder.model_id, "向量模型"),
        "model_hash": (model_hash_of(encoder), "模型权重哈希"),
        "dimension": (encoder.dimension, "向量维度"),
        "dictionary_hash": (tokenizer.dictionary_hash, "分词词典"),
        "factors": (factors.as_dict(), "预警降权 / 优先推广系数"),
        "dense_storage": (dense_storage, "向量存储精度"),
    }
    found = {"dense_storage": "float32"} | manifest  # snapshots from before the choice: float32
    for key, (value, label) in expected.items():
        if found.get(key) != value:
            raise SnapshotMismatch(
                f"快照的{label}（{found.get(key)}）与当前配置（{value}）不一致，请重建索引",
                code=f"{key}_mismatch",
            )
