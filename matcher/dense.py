"""Dense retrieval: inner product over every L2-normalised vector in FAISS, filtered first.

The index is an exhaustive scan inside an `IndexIDMap2` whose ids are the document *slots*
(stable integers, as in the BM25 engine), so one boolean mask over slots filters both. The mask
is handed to FAISS as an `IDSelectorBitmap` in `SearchParameters`: excluded vectors are skipped
during the scan, so a filter never costs recall (unlike searching then dropping hits).

`storage` says how vectors are kept: "float32" (`IndexFlatIP`, exact) or "float16"
(`IndexScalarQuantizer` QT_fp16: half the bytes to scan, so about twice as fast where the scan
is bound by memory bandwidth, and scores exact for the fp16-rounded vectors — a relative error
of about 1e-3, which reorders only near-ties). Either way every vector is scanned: no
approximate neighbour graph, no recall lost to it.
faiss is imported when an index is created or loaded, not when this module is imported.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, Literal, get_args

import numpy as np

from matcher.errors import IndexFormatError, IndexMismatch, InvalidInput
from matcher.persist import load_arrays, read_header, save_arrays, str_array, write_json
from matcher.types import Hit

FORMAT_KIND = "dense"
FORMAT_VERSION = 1
NORM_TOLERANCE = 1e-3
DenseStorage = Literal["float32", "float16"]
STORAGES: tuple[DenseStorage, ...] = get_args(DenseStorage)


def check_vectors(vectors: np.ndarray, dimension: int) -> np.ndarray:
    """`vectors` as a C-contiguous float32 (n, dimension) array of unit rows, or InvalidInput."""
    array = np.ascontiguousarray(vectors, dtype=np.float32)
    if array.ndim != 2 or array.shape[1] != dimension:
        raise InvalidInput(
            f"向量维度应为 (n, {dimension})，实际为 {array.shape}", code="vector_shape"
        )
    norms = np.linalg.norm(array, axis=1)
    if not np.all(np.isfinite(norms)) or np.any(np.abs(norms - 1.0) > NORM_TOLERANCE):
        raise InvalidInput("向量必须是 L2 归一化的有限值", code="vector_not_normalised")
    return array


class DenseIndex:
    """Exact inner-product index over unit vectors, keyed by doc_id, searched with a slot mask."""

    def __init__(
        self, dimension: int, *, threads: int = 1, storage: DenseStorage = "float32"
    ) -> None:
        import faiss

        if dimension < 1 or threads < 1:
            raise InvalidInput("维度和线程数必须为正整数", code="invalid_dense_config")
        if storage not in STORAGES:
            raise InvalidInput(
                f"向量存储精度应为 {' / '.join(STORAGES)}，实际为 {storage}",
                code="invalid_dense_config",
            )
        # Single queries are fastest on one thread (DESIGN.md); the caller decides, explicitly.
        faiss.omp_set_num_threads(threads)
        self.dimension = dimension
        self.threads = threads
        self.storage: DenseStorage = storage
        scan: Any
        if storage == "float16":
            scan = faiss.IndexScalarQuantizer(
                dimension, faiss.ScalarQuantizer.QT_fp16, faiss.METRIC_INNER_PRODUCT
            )
        else:
            scan = faiss.IndexFlatIP(dimension)
        self._index: Any = faiss.IndexIDMap2(scan)
        self.doc_ids: list[str] = []  # by slot, removed ones included
        self._slot_of: dict[str, int] = {}
        self._alive = np.zeros(0, dtype=bool)

    @property
    def n_slots(self) -> int:
        """Slots ever assigned (live and removed); masks have this length."""
        return len(self.doc_ids)

    @property
    def n_docs(self) -> int:
        """Live vectors."""
        return len(self._slot_of)

    def slot_of(self, doc_id: str) -> int | None:
        """The live slot of a document, or None."""
        return self._slot_of.get(doc_id)

    def add(self, doc_ids: Sequence[str], vectors: np.ndarray) -> np.ndarray:
        """Add unit vectors under new slots (a known doc_id is replaced); returns the slots."""
        array = check_vectors(vectors, self.dimension)
        if array.shape[0] != len(doc_ids) or len(set(doc_ids)) != len(doc_ids):
            raise InvalidInput("文档编号与向量数量不符或有重复", code="duplicate_doc_id")
        self.remove([i for i in doc_ids if i in self._slot_of])
        start = self.n_slots
        slots = np.arange(start, start + len(doc_ids), dtype=np.int64)
        if slots.size:
            self._index.add_with_ids(array, slots)
        self.doc_ids.extend(doc_ids)
        self._slot_of.update(zip(doc_ids, slots.tolist(), strict=True))
        self._alive = np.concatenate([self._alive[:start], np.ones(slots.size, dtype=bool)])
        return slots

    def remove(self, doc_ids: Iterable[str]) -> int:
        """Remove documents (unknown ids are ignored); returns how many were live."""
        slots = [self._slot_of.pop(i) for i in set(doc_ids) if i in self._slot_of]
        if slots:
            self._index.remove_ids(np.array(slots, dtype=np.int64))
            self._alive[slots] = False
        return len(slots)

    def vectors(self, doc_ids: Sequence[str]) -> np.ndarray:
        """The stored vectors of live documents, in the order given."""
        slots = np.array([self._slot_of[i] for i in doc_ids], dtype=np.int64)
        if slots.size == 0:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return np.asarray(self._index.reconstruct_batch(slots), dtype=np.float32)

    def search(self, query: np.ndarray, k: int, mask: np.ndarray | None = None) -> list[Hit]:
        """The k live, allowed documents most similar to `query` (cosine), best first."""
        import faiss

        if k < 1:
            raise InvalidInput("k 必须为正整数", code="invalid_k")
        vector = check_vectors(np.reshape(query, (1, -1)), self.dimension)
        params = None
        if mask is not None:
            if mask.shape != (self.n_slots,) or mask.dtype != np.bool_:
                raise InvalidInput("过滤掩码的长度或类型不正确", code="invalid_mask")
            allowed = mask & self._alive
            if not allowed.any():
                return []
            # One bit per slot, little-endian within a byte, as IDSelectorBitmap reads it; the
            # array must outlive the search (it does: it is a local of this call).
            bitmap = np.packbits(allowed, bitorder="little")
            params = faiss.SearchParameters()
            params.sel = faiss.IDSelectorBitmap(bitmap.size, faiss.swig_ptr(bitmap))
        k = min(k, self.n_docs)
        if k == 0:
            return []
        scores, labels = self._index.search(vector, k, params=params)
        found = labels[0] >= 0
        slots, values = labels[0][found], scores[0][found]
        order = np.lexsort((slots, -values))  # ties: earlier slot first, as BM25 does
        return [
            Hit(doc_id=self.doc_ids[int(slots[i])], score=float(values[i]), rank=r)
            for r, i in enumerate(order.tolist(), start=1)
        ]

    def save(self, directory: Path) -> None:
        """Write `dense.faiss` (faiss's own format, not pickle), `dense.npz` and `dense.json`."""
        import faiss

        directory.mkdir(parents=True, exist_ok=True)
        faiss.write_index(self._index, str(directory / "dense.faiss"))
        arrays = {"doc_ids": str_array(self.doc_ids), "alive": self._alive[: self.n_slots]}
        save_arrays(directory / "dense.npz", arrays)
        header = {"kind": FORMAT_KIND, "format_version": FORMAT_VERSION}
        header |= {"dimension": self.dimension, "n_slots": self.n_slots, "n_docs": self.n_docs}
        header["storage"] = self.storage
        write_json(directory / "dense.json", header)

    @classmethod
    def load(
        cls,
        directory: Path,
        *,
        threads: int = 1,
        dimension: int | None = None,
        storage: DenseStorage | None = None,
    ) -> DenseIndex:
        """Read what `save` wrote; refuses another dimension or storage when one is given."""
        import faiss

        header = read_header(directory / "dense.json", kind=FORMAT_KIND, version=FORMAT_VERSION)
        if dimension is not None and header["dimension"] != dimension:
            raise IndexMismatch(
                f"向量索引维度为 {header['dimension']}，当前模型为 {dimension}，请重建索引",
                code="dimension_mismatch",
            )
        stored = header.get("storage", "float32")  # written before storage was a choice
        if storage is not None and stored != storage:
            raise IndexMismatch(
                f"向量索引的存储精度为 {stored}，当前配置为 {storage}，请重建索引",
                code="dense_storage_mismatch",
            )
        index = cls(int(header["dimension"]), threads=threads, storage=stored)
        arrays = load_arrays(directory / "dense.npz", ["doc_ids", "alive"])
        try:
            index._index = faiss.read_index(str(directory / "dense.faiss"))
        except RuntimeError as exc:
            raise IndexFormatError(f"向量索引文件无法读取：{exc}") from exc
        index.doc_ids = arrays["doc_ids"].tolist()
        index._alive = arrays["alive"].astype(bool)
        live = np.flatnonzero(index._alive)
        index._slot_of = {index.doc_ids[s]: s for s in live.tolist()}
        consistent = index._index.ntotal == live.size == len(index._slot_of)
        if not consistent or index._index.d != index.dimension:
            raise IndexFormatError("向量索引文件与其描述不符")
        return index
