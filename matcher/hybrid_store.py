"""Saving and loading a HybridMatcher: both engines, the documents as JSON lines, a header."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from matcher.bm25 import BM25Index
from matcher.config import MatchConfig
from matcher.dense import DenseIndex, DenseStorage
from matcher.errors import IndexFormatError, IndexMismatch
from matcher.persist import read_header, write_json
from matcher.tokenizer import Tokenizer
from matcher.types import Document, Encoder

if TYPE_CHECKING:
    from matcher.hybrid import HybridMatcher

FORMAT_KIND = "hybrid"
FORMAT_VERSION = 1


def document_to_json(doc: Document, slot: int) -> dict[str, Any]:
    """A document and its slot as plain JSON values."""
    return {
        "doc_id": doc.doc_id,
        "resource_id": doc.resource_id,
        "kind": doc.kind,
        "title": doc.title,
        "text": doc.text,
        "fields": [list(pair) for pair in doc.fields],
        "facets": {name: list(values) for name, values in doc.facets.items()},
        "provider_id": doc.provider_id,
        "prior": doc.prior,
        "flags": list(doc.flags),
        "slot": slot,
    }


def document_from_json(payload: dict[str, Any]) -> tuple[Document, int]:
    """Inverse of `document_to_json`."""
    doc = Document(
        doc_id=payload["doc_id"],
        resource_id=payload["resource_id"],
        kind=payload["kind"],
        title=payload["title"],
        text=payload["text"],
        fields=tuple((name, text) for name, text in payload["fields"]),
        facets={name: tuple(values) for name, values in payload["facets"].items()},
        provider_id=payload["provider_id"],
        prior=float(payload["prior"]),
        flags=tuple(payload["flags"]),
    )
    return doc, int(payload["slot"])


def save_matcher(matcher: HybridMatcher, directory: Path) -> None:
    """Write `bm25/`, `dense/`, `documents.jsonl` and `matcher.json` (written last)."""
    directory.mkdir(parents=True, exist_ok=True)
    matcher.bm25.save(directory / "bm25")
    matcher.dense.save(directory / "dense")
    corpus = matcher.corpus
    with (directory / "documents.jsonl").open("w", encoding="utf-8") as handle:
        for doc_id, doc in corpus.docs.items():
            slot = corpus.slot_of(doc_id)
            if slot is None:
                raise RuntimeError(f"document {doc_id} has no slot")
            line = document_to_json(doc, slot)
            handle.write(json.dumps(line, ensure_ascii=False) + "\n")
    header = {
        "kind": FORMAT_KIND,
        "format_version": FORMAT_VERSION,
        "model_id": matcher.encoder.model_id,
        "dimension": matcher.encoder.dimension,
        "dictionary_hash": matcher.tokenizer.dictionary_hash,
        "n_documents": matcher.n_documents,
        "n_slots": corpus.n_slots,
        "bm25": {"k1": matcher.bm25.k1, "b": matcher.bm25.b, "epsilon": matcher.bm25.epsilon},
    }
    write_json(directory / "matcher.json", header)


def load_matcher(
    cls: type[HybridMatcher],
    directory: Path,
    *,
    encoder: Encoder,
    tokenizer: Tokenizer,
    config: MatchConfig | None,
    threads: int,
    dense_storage: DenseStorage | None = None,
) -> HybridMatcher:
    """Read what `save_matcher` wrote, refusing another model, dimension or dictionary."""
    header = read_header(directory / "matcher.json", kind=FORMAT_KIND, version=FORMAT_VERSION)
    _check_same(header, "model_id", encoder.model_id, "向量模型")
    _check_same(header, "dimension", encoder.dimension, "向量维度")
    _check_same(header, "dictionary_hash", tokenizer.dictionary_hash, "分词词典")
    params = header["bm25"]
    matcher = cls(
        tokenizer=tokenizer,
        encoder=encoder,
        config=config,
        threads=threads,
        k1=params["k1"],
        b=params["b"],
        epsilon=params["epsilon"],
    )
    matcher.bm25 = BM25Index.load(directory / "bm25", dictionary_hash=tokenizer.dictionary_hash)
    matcher.dense = DenseIndex.load(
        directory / "dense", threads=threads, dimension=encoder.dimension, storage=dense_storage
    )
    entries = _read_documents(directory / "documents.jsonl")
    try:
        matcher.corpus.restore(entries, int(header["n_slots"]))
    except ValueError as exc:
        raise IndexFormatError(f"文档清单与索引不一致：{exc}") from exc
    engines = (matcher.bm25, matcher.dense)
    for doc, slot in entries:
        if any(engine.slot_of(doc.doc_id) != slot for engine in engines):
            raise IndexFormatError(f"文档 {doc.doc_id} 的槽位与索引不一致")
    if any(e.n_docs != len(entries) or e.n_slots != matcher.corpus.n_slots for e in engines):
        raise IndexFormatError("文档清单与索引的文档数不一致")
    matcher.bm25.prepare()
    return matcher


def _check_same(header: dict[str, Any], key: str, expected: object, label: str) -> None:
    if header.get(key) != expected:
        raise IndexMismatch(
            f"索引的{label}（{header.get(key)}）与当前（{expected}）不一致，请重建索引",
            code=f"{key}_mismatch",
        )


def _read_documents(path: Path) -> list[tuple[Document, int]]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
        return [document_from_json(json.loads(line)) for line in lines if line.strip()]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise IndexFormatError(f"文档清单无法读取：{exc}") from exc
