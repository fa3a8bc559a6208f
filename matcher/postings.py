"""Immutable posting segments of the BM25 engine: term frequencies in a CSC matrix.

A segment holds a batch of documents. Its matrix has one row per document and one column per
global term id known when it was built; CSC gives each term's posting list as two contiguous
slices, which is all a query reads. The row indices are stored already translated to the
engine's stable document *slots* (int32), so a query never maps rows: `slots[lo:hi]` and
`tf[lo:hi]` are the postings of a term. Slots increase with rows, so merged segments stay sorted.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse

SLOT_DTYPE = np.int32  # 2^31 slots is far beyond one machine's corpus


@dataclass(frozen=True, slots=True)
class Segment:
    """One CSC posting matrix (rows = documents, columns = term ids) with slot-valued indices."""

    indptr: np.ndarray  # int64, length n_terms + 1
    post_slots: np.ndarray  # int32 slot of each posting, ascending within a column
    tf: np.ndarray  # float32 term frequency of each posting
    slots: np.ndarray  # int64 slots of the segment's documents (its rows), ascending

    @property
    def n_rows(self) -> int:
        return int(self.slots.size)

    @property
    def n_terms(self) -> int:
        return int(self.indptr.size - 1)

    def bounds(self, term_id: int) -> tuple[int, int]:
        """[lo, hi) of the term's postings ((0, 0) when the segment predates the term)."""
        if term_id >= self.n_terms:
            return 0, 0
        return int(self.indptr[term_id]), int(self.indptr[term_id + 1])

    def term_ids_of(self, selected: np.ndarray) -> np.ndarray:
        """Term id of every posting whose slot is True in `selected` (each term once per doc)."""
        positions = np.flatnonzero(selected[self.post_slots])
        return np.searchsorted(self.indptr, positions, side="right") - 1

    def term_of_postings(self) -> np.ndarray:
        """Term id of every posting, in storage order."""
        return np.repeat(np.arange(self.n_terms, dtype=np.int64), np.diff(self.indptr))


def build_segment(slots: np.ndarray, term_ids: Sequence[np.ndarray], n_terms: int) -> Segment:
    """Segment of new documents: `term_ids[i]` are the (repeating) term ids of document slots[i]."""
    lengths = np.fromiter((ids.size for ids in term_ids), dtype=np.int64, count=len(term_ids))
    slots = np.asarray(slots, dtype=np.int64)
    post = np.repeat(slots, lengths)
    cols = np.concatenate(term_ids) if term_ids else np.empty(0, dtype=np.int64)
    return _from_coo(slots, post, cols, np.ones(post.size, dtype=np.float32), n_terms)


def merge_segments(segments: Sequence[Segment], alive: np.ndarray, n_terms: int) -> Segment:
    """One segment with the live documents of `segments` (given oldest first); drops tombstones."""
    slots = np.concatenate([seg.slots for seg in segments])
    post = np.concatenate([seg.post_slots for seg in segments])
    cols = np.concatenate([seg.term_of_postings() for seg in segments])
    tf = np.concatenate([seg.tf for seg in segments])
    keep = alive[post]
    return _from_coo(slots[alive[slots]], post[keep], cols[keep], tf[keep], n_terms)


def segment_from_arrays(
    indptr: np.ndarray, post_slots: np.ndarray, tf: np.ndarray, slots: np.ndarray
) -> Segment:
    """A segment from saved arrays, checked for consistency (raises ValueError)."""
    if indptr.ndim != 1 or indptr.size < 1 or indptr[0] != 0 or np.any(np.diff(indptr) < 0):
        raise ValueError("bad indptr")
    if post_slots.shape != tf.shape or int(indptr[-1]) != post_slots.size:
        raise ValueError("postings do not match indptr")
    if slots.size and np.any(np.diff(slots) <= 0):
        raise ValueError("segment slots are not ascending")
    return Segment(
        indptr=indptr.astype(np.int64),
        post_slots=post_slots.astype(SLOT_DTYPE),
        tf=tf.astype(np.float32),
        slots=slots.astype(np.int64),
    )


def _from_coo(
    slots: np.ndarray, post: np.ndarray, cols: np.ndarray, tf: np.ndarray, n_terms: int
) -> Segment:
    rows = np.searchsorted(slots, post)
    # COO -> CSC sums duplicate (row, term) entries: repeated tokens become frequencies.
    matrix = sparse.csc_matrix((tf, (rows, cols)), shape=(slots.size, n_terms), dtype=np.float32)
    matrix.sum_duplicates()
    matrix.sort_indices()
    return Segment(
        indptr=matrix.indptr.astype(np.int64),
        post_slots=slots[matrix.indices].astype(SLOT_DTYPE),
        tf=matrix.data.astype(np.float32),
        slots=slots,
    )
