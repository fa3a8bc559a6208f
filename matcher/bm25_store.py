"""Saving and loading a BM25Index: a numpy archive (no pickle) and a JSON header."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from matcher.bm25 import BM25Index
from matcher.errors import IndexFormatError, IndexMismatch
from matcher.persist import load_arrays, read_header, save_arrays, str_array, write_json
from matcher.postings import segment_from_arrays

FORMAT_KIND = "bm25"
FORMAT_VERSION = 1
SEGMENT_PARTS = ("indptr", "post_slots", "tf", "slots")


def save_index(index: BM25Index, directory: Path) -> None:
    """Write `bm25.npz` and `bm25.json`; document frequencies are derived, never stored."""
    directory.mkdir(parents=True, exist_ok=True)
    arrays = {
        "vocab": str_array(sorted(index.vocab, key=index.vocab.__getitem__)),
        "doc_ids": str_array(index.doc_ids),
        "dl": index._dl[: index.n_slots],
        "alive": index._alive[: index.n_slots],
    }
    for i, seg in enumerate(index.segments):
        for part in SEGMENT_PARTS:
            arrays[f"seg{i}_{part}"] = getattr(seg, part)
    save_arrays(directory / "bm25.npz", arrays)
    header = {
        "kind": FORMAT_KIND,
        "format_version": FORMAT_VERSION,
        "k1": index.k1,
        "b": index.b,
        "epsilon": index.epsilon,
        "dictionary_hash": index.dictionary_hash,
        "merge_factor": index.merge_factor,
        "n_segments": len(index.segments),
        "n_slots": index.n_slots,
        "n_docs": index.n_docs,
        "n_terms": len(index.vocab),
    }
    write_json(directory / "bm25.json", header)


def load_index(directory: Path, *, dictionary_hash: str | None = None) -> BM25Index:
    """Read what `save_index` wrote, checking format, dictionary and internal consistency."""
    header = read_header(directory / "bm25.json", kind=FORMAT_KIND, version=FORMAT_VERSION)
    if dictionary_hash is not None and header["dictionary_hash"] != dictionary_hash:
        raise IndexMismatch(
            "BM25 索引由另一版本的分词词典构建，请重建索引", code="dictionary_mismatch"
        )
    n_segments = int(header["n_segments"])
    names = ["vocab", "doc_ids", "dl", "alive"]
    names += [f"seg{i}_{part}" for i in range(n_segments) for part in SEGMENT_PARTS]
    arrays = load_arrays(directory / "bm25.npz", names)
    index = BM25Index(
        k1=header["k1"],
        b=header["b"],
        epsilon=header["epsilon"],
        dictionary_hash=header["dictionary_hash"],
        merge_factor=header["merge_factor"],
    )
    try:
        _restore(index, arrays, n_segments)
    except (ValueError, IndexError) as exc:
        raise IndexFormatError(f"BM25 索引文件不一致：{exc}") from exc
    if index.n_slots != header["n_slots"] or index.n_docs != header["n_docs"]:
        raise IndexFormatError("BM25 索引文件与其描述不符")
    return index


def _restore(index: BM25Index, arrays: dict[str, np.ndarray], n_segments: int) -> None:
    index.vocab = {term: i for i, term in enumerate(arrays["vocab"].tolist())}
    index.doc_ids = arrays["doc_ids"].tolist()
    index._dl = arrays["dl"].astype(np.float64)
    index._alive = arrays["alive"].astype(bool)
    if not (index._dl.size == index._alive.size == len(index.doc_ids)):
        raise ValueError("per-slot arrays differ in length")
    live = np.flatnonzero(index._alive)
    index._slot_of = {index.doc_ids[s]: s for s in live.tolist()}
    if len(index._slot_of) != live.size:
        raise ValueError("two live slots share a doc_id")
    index._total_len = int(index._dl[live].sum())
    index.segments = [
        segment_from_arrays(*(arrays[f"seg{i}_{part}"] for part in SEGMENT_PARTS))
        for i in range(n_segments)
    ]
    index._df = np.zeros(len(index.vocab), dtype=np.int64)
    for seg in index.segments:
        if seg.n_terms > len(index.vocab) or (seg.slots.size and seg.slots[-1] >= index.n_slots):
            raise ValueError("segment refers to unknown terms or slots")
        live_postings = index._alive[seg.post_slots]
        index._df[: seg.n_terms] += np.bincount(
            seg.term_of_postings()[live_postings], minlength=seg.n_terms
        )
    index._changed()
