"""BM25 over sparse posting segments, scoring exactly like `rank_bm25.BM25Okapi`.

Okapi BM25 (Robertson & Zaragoza 2009, "The Probabilistic Relevance Framework: BM25 and Beyond")
in rank_bm25's variant: for a query q1..qn (duplicates counted again) and a document D,

    score(D) = Σ_i idf(q_i) · tf(q_i, D) · (k1 + 1) / (tf(q_i, D) + k1 · (1 − b + b · |D| / avgdl))
    idf(t)   = ln(N − df(t) + 0.5) − ln(df(t) + 0.5),  and where that is negative: ε · mean idf

over the live documents only (N, df, avgdl and the mean idf are exact after every add / remove).
Documents are written in immutable CSC segments (see `postings`); removal leaves a tombstone and
corrects df / lengths at once; segments are merged (dropping tombstones) LSM-style so there are
O(log n) of them. Every document gets a stable integer *slot*; a filter is a boolean mask over
slots, applied before ranking. Stored tokens, not text: the tokenizer is the caller's.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

from matcher.errors import InvalidInput
from matcher.postings import Segment, build_segment, merge_segments
from matcher.types import Hit


def _grown(array: np.ndarray, size: int) -> np.ndarray:
    """`array` with room for `size` items (amortised doubling), new items zero."""
    if size <= array.size:
        return array
    bigger = np.zeros(max(size, 2 * array.size, 64), dtype=array.dtype)
    bigger[: array.size] = array
    return bigger


class BM25Index:
    """Incremental Okapi BM25 index over token lists, equal to rank_bm25 on the live documents."""

    def __init__(
        self,
        *,
        k1: float = 1.5,
        b: float = 0.75,
        epsilon: float = 0.25,
        dictionary_hash: str = "",
        merge_factor: float = 2.0,
    ) -> None:
        self.k1, self.b, self.epsilon = float(k1), float(b), float(epsilon)
        self.dictionary_hash = dictionary_hash
        self.merge_factor = merge_factor
        self.vocab: dict[str, int] = {}
        self.segments: list[Segment] = []
        self.doc_ids: list[str] = []  # by slot, removed ones included
        self._slot_of: dict[str, int] = {}
        self._df = np.zeros(0, dtype=np.int64)  # live document frequency by term id
        self._dl = np.zeros(0, dtype=np.float64)  # token count by slot
        self._alive = np.zeros(0, dtype=bool)
        self._total_len = 0
        # Derived from the above, rebuilt lazily after a change (see prepare).
        self._idf: np.ndarray | None = None
        self._weights: list[np.ndarray] | None = None

    @property
    def n_slots(self) -> int:
        """Slots ever assigned (live and removed); masks have this length."""
        return len(self.doc_ids)

    @property
    def n_docs(self) -> int:
        """Live documents."""
        return len(self._slot_of)

    @property
    def avgdl(self) -> float:
        """Mean token count of the live documents."""
        return self._total_len / self.n_docs if self.n_docs else 0.0

    @property
    def alive(self) -> np.ndarray:
        """Boolean mask of live slots (a read-only copy)."""
        return self._alive[: self.n_slots].copy()

    def slot_of(self, doc_id: str) -> int | None:
        """The live slot of a document, or None."""
        return self._slot_of.get(doc_id)

    def add(self, docs: Iterable[tuple[str, Sequence[str]]]) -> np.ndarray:
        """Index (doc_id, tokens) pairs; a known doc_id is replaced. Returns the new slots."""
        batch = list(docs)
        ids = [doc_id for doc_id, _ in batch]
        if len(set(ids)) != len(ids):
            raise InvalidInput("同一批次中文档编号重复", code="duplicate_doc_id")
        if not batch:
            return np.empty(0, dtype=np.int64)
        self.remove([i for i in ids if i in self._slot_of])
        start = self.n_slots
        slots = np.arange(start, start + len(batch), dtype=np.int64)
        vocab = self.vocab
        term_ids = [
            np.fromiter((vocab.setdefault(t, len(vocab)) for t in tokens), np.int64, len(tokens))
            for _, tokens in batch
        ]
        lengths = np.array([len(tokens) for _, tokens in batch], dtype=np.float64)
        self._dl = _grown(self._dl, start + len(batch))
        self._alive = _grown(self._alive, start + len(batch))
        self._dl[slots] = lengths
        self._alive[slots] = True
        self.doc_ids.extend(ids)
        self._slot_of.update(zip(ids, slots.tolist(), strict=True))
        self._total_len += int(lengths.sum())
        segment = build_segment(slots, term_ids, len(vocab))
        self._df = _grown(self._df, len(vocab))
        self._df[: segment.n_terms] += np.diff(segment.indptr)
        self.segments.append(segment)
        self._merge_small_segments()
        self._changed()
        return slots

    def remove(self, doc_ids: Iterable[str]) -> int:
        """Tombstone documents (unknown ids are ignored); returns how many were live."""
        slots = [self._slot_of.pop(i) for i in set(doc_ids) if i in self._slot_of]
        if not slots:
            return 0
        removed = np.zeros(self.n_slots, dtype=bool)
        removed[slots] = True
        for segment in self.segments:
            dropped = segment.term_ids_of(removed)
            self._df[: self._df.size] -= np.bincount(dropped, minlength=self._df.size)
        self._alive[slots] = False
        self._total_len -= int(self._dl[slots].sum())
        # Rewrite segments that are mostly tombstones, so dead postings do not pile up.
        self.segments = [
            merge_segments([seg], self._alive, len(self.vocab))
            if seg.n_rows and self._alive[seg.slots].mean() < 0.5
            else seg
            for seg in self.segments
        ]
        self._changed()
        return len(slots)

    def optimize(self) -> None:
        """Merge everything into one segment without tombstones."""
        if len(self.segments) > 1 or (self.segments and self.segments[0].n_rows > self.n_docs):
            self.segments = [merge_segments(self.segments, self._alive, len(self.vocab))]
            self._changed()

    def idf(self) -> np.ndarray:
        """idf by term id over the live documents, rank_bm25's ε floor applied; 0 when absent."""
        return self.prepare()[0]

    def term_idf(self, terms: Iterable[str]) -> dict[str, float]:
        """idf of the given terms that occur in some live document."""
        idf = self.idf()
        ids = {t: self.vocab.get(t) for t in terms}
        return {t: float(idf[i]) for t, i in ids.items() if i is not None and self._df[i] > 0}

    def unseen_idf(self) -> float:
        """The idf a term in no live document would have: ln(N + 0.5) − ln(0.5)."""
        return float(np.log(self.n_docs + 0.5) - np.log(0.5))

    def prepare(self) -> tuple[np.ndarray, list[np.ndarray]]:
        """Compute idf and per-posting weights now (else the first search after a change does)."""
        if self._idf is None or self._weights is None:
            self._idf = self._compute_idf()
            self._weights = [self._posting_weights(seg) for seg in self.segments]
        return self._idf, self._weights

    def scores(self, query_tokens: Sequence[str], mask: np.ndarray | None = None) -> np.ndarray:
        """BM25 score by slot (0 for removed, masked-out and non-matching documents)."""
        totals = self._totals(query_tokens)
        return np.where(self._allowed(mask), totals, 0.0)

    def search(
        self, query_tokens: Sequence[str], k: int, mask: np.ndarray | None = None
    ) -> list[Hit]:
        """Top-k allowed live documents with a non-zero score, best first; ties by earlier slot."""
        if k < 1:
            raise InvalidInput("k 必须为正整数", code="invalid_k")
        allowed = self._allowed(mask)
        totals = self._totals(query_tokens)
        candidates = np.flatnonzero((totals != 0) & allowed)
        best = _top_k(candidates, totals[candidates], k)
        return [
            Hit(doc_id=self.doc_ids[s], score=float(totals[s]), rank=r)
            for r, s in enumerate(best.tolist(), start=1)
        ]

    def presence(self, doc_ids: Sequence[str], terms: Sequence[str]) -> np.ndarray:
        """Boolean (len(doc_ids), len(terms)): does the live document contain the term."""
        found = np.zeros((len(doc_ids), len(terms)), dtype=bool)
        slots = np.array([self._slot_of.get(d, -1) for d in doc_ids], dtype=np.int64)
        live = slots >= 0
        if not live.any():
            return found
        for column, term in enumerate(terms):
            term_id = self.vocab.get(term)
            if term_id is None:
                continue
            for segment in self.segments:
                lo, hi = segment.bounds(term_id)
                postings = segment.post_slots[lo:hi]
                if postings.size == 0:
                    continue
                at = np.minimum(np.searchsorted(postings, slots), postings.size - 1)
                found[:, column] |= live & (postings[at] == slots)
        return found

    def matching_terms(self, doc_id: str, terms: Iterable[str]) -> list[str]:
        """The given terms that occur in the document (in the order given, once each)."""
        unique = list(dict.fromkeys(terms))
        present = self.presence([doc_id], unique)[0]
        return [t for t, hit in zip(unique, present, strict=True) if hit]

    def _changed(self) -> None:
        self._idf = None
        self._weights = None

    def _compute_idf(self) -> np.ndarray:
        n = float(self.n_docs)
        df = self._df[: len(self.vocab)].astype(np.float64)
        present = df > 0
        idf = np.zeros_like(df)
        idf[present] = np.log(n - df[present] + 0.5) - np.log(df[present] + 0.5)
        if present.any():
            floor = self.epsilon * float(idf[present].mean())
            idf[present & (idf < 0)] = floor
        return idf

    def _posting_weights(self, segment: Segment) -> np.ndarray:
        """tf·(k1+1) / (tf + k1·(1 − b + b·|D|/avgdl)) for every posting, at today's avgdl."""
        if self.avgdl == 0.0:
            return np.zeros(segment.tf.size, dtype=np.float64)
        k1, b = self.k1, self.b
        tf = segment.tf.astype(np.float64)
        dl = self._dl[segment.post_slots]
        weights: np.ndarray = tf * (k1 + 1.0) / (tf + k1 * (1.0 - b + b * dl / self.avgdl))
        return weights

    def _totals(self, query_tokens: Sequence[str]) -> np.ndarray:
        idf, weights = self.prepare()
        slots: list[np.ndarray] = []
        values: list[np.ndarray] = []
        for term, count in Counter(query_tokens).items():
            term_id = self.vocab.get(term)
            if term_id is None or self._df[term_id] == 0:
                continue
            weight = count * idf[term_id]
            for segment, posting_weights in zip(self.segments, weights, strict=True):
                lo, hi = segment.bounds(term_id)
                if hi > lo:
                    slots.append(segment.post_slots[lo:hi])
                    values.append(weight * posting_weights[lo:hi])
        if not slots:
            return np.zeros(self.n_slots, dtype=np.float64)
        return np.bincount(np.concatenate(slots), np.concatenate(values), minlength=self.n_slots)

    def _allowed(self, mask: np.ndarray | None) -> np.ndarray:
        alive = self._alive[: self.n_slots]
        if mask is None:
            return alive
        if mask.shape != (self.n_slots,) or mask.dtype != np.bool_:
            raise InvalidInput("过滤掩码的长度或类型不正确", code="invalid_mask")
        allowed: np.ndarray = alive & mask
        return allowed

    def _merge_small_segments(self) -> None:
        # Merge the newest two while they are of comparable size (a binary-counter LSM policy):
        # O(log n) segments, each document rewritten O(log n) times.
        segs = self.segments
        while len(segs) >= 2 and segs[-2].n_rows <= self.merge_factor * segs[-1].n_rows:
            segs[-2:] = [merge_segments(segs[-2:], self._alive, len(self.vocab))]

    def save(self, directory: Path) -> None:
        """Write `bm25.npz` (arrays, no pickle) and `bm25.json` (parameters) into `directory`."""
        from matcher.bm25_store import save_index  # the store imports this module

        save_index(self, directory)

    @classmethod
    def load(cls, directory: Path, *, dictionary_hash: str | None = None) -> BM25Index:
        """Read an index written by `save`; refuses another dictionary when its hash is given."""
        from matcher.bm25_store import load_index

        return load_index(directory, dictionary_hash=dictionary_hash)


def _top_k(candidates: np.ndarray, scores: np.ndarray, k: int) -> np.ndarray:
    """The k best candidates by score (descending), ties broken by the smaller candidate."""
    if candidates.size > k:
        threshold = np.partition(scores, candidates.size - k)[candidates.size - k]
        keep = scores >= threshold  # every candidate tied at the boundary stays in the running
        candidates, scores = candidates[keep], scores[keep]
    order = np.lexsort((candidates, -scores))[:k]
    return candidates[order]
