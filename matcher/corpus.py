"""The matcher's book of documents: slots, resources, and the facets filters are evaluated on."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np

from matcher.filters import FacetIndex
from matcher.types import Document, Filters


class Corpus:
    """Live documents by id and slot, grouped by resource; builds the slot mask of a filter."""

    def __init__(self) -> None:
        self.docs: dict[str, Document] = {}
        self._slot_of: dict[str, int] = {}
        self._slot_resource = np.zeros(0, dtype=np.int64)  # resource row by slot
        self._n_slots = 0
        self._row_of: dict[str, int] = {}
        self._docs_of: dict[str, dict[str, None]] = {}  # resource -> its doc ids, ordered
        self._resource_doc: dict[str, str] = {}
        self._facets = FacetIndex()

    @property
    def n_slots(self) -> int:
        """Slots ever assigned; equal to the engines' slot counts."""
        return self._n_slots

    def slot_of(self, doc_id: str) -> int | None:
        """The live slot of a document, or None."""
        return self._slot_of.get(doc_id)

    def resources(self) -> list[str]:
        """Resources with at least one live document."""
        return [r for r, docs in self._docs_of.items() if docs]

    def doc_ids_of(self, resource_id: str) -> list[str]:
        """Live documents of a resource, in the order they were added."""
        return list(self._docs_of.get(resource_id, ()))

    def resource_document(self, resource_id: str) -> Document | None:
        """The live `kind="resource"` document of a resource, if any."""
        doc_id = self._resource_doc.get(resource_id)
        return self.docs[doc_id] if doc_id is not None else None

    def prior(self, resource_id: str) -> float:
        """The resource document's prior (1.0 when the resource has no such document)."""
        doc = self.resource_document(resource_id)
        return doc.prior if doc is not None else 1.0

    def add(self, docs: Sequence[Document], slots: np.ndarray) -> None:
        """Record documents the engines just stored under `slots` (the next ones, in order)."""
        expected = np.arange(self._n_slots, self._n_slots + len(docs))
        if not np.array_equal(slots, expected):
            raise RuntimeError("engine slots diverged from the corpus")
        self.remove(d.doc_id for d in docs if d.doc_id in self.docs)
        self._reserve(self._n_slots + len(docs))
        for doc, slot in zip(docs, slots.tolist(), strict=True):
            self._record(doc, slot)
        self._n_slots += len(docs)

    def restore(self, entries: Sequence[tuple[Document, int]], n_slots: int) -> None:
        """Rebuild from saved (document, slot) pairs; slots of removed documents stay unused."""
        self._reserve(n_slots)
        used: set[int] = set()
        for doc, slot in sorted(entries, key=lambda entry: entry[1]):
            if not 0 <= slot < n_slots or slot in used or doc.doc_id in self.docs:
                raise ValueError(f"bad slot {slot} for document {doc.doc_id}")
            used.add(slot)
            self._record(doc, slot)
        self._n_slots = n_slots

    def _reserve(self, size: int) -> None:
        if size > self._slot_resource.size:
            grown = np.zeros(max(size, 2 * self._slot_resource.size, 64), dtype=np.int64)
            grown[: self._n_slots] = self._slot_resource[: self._n_slots]
            self._slot_resource = grown

    def _record(self, doc: Document, slot: int) -> None:
        row = self._row_of.setdefault(doc.resource_id, len(self._row_of))
        self.docs[doc.doc_id] = doc
        self._slot_of[doc.doc_id] = slot
        self._slot_resource[slot] = row
        self._docs_of.setdefault(doc.resource_id, {})[doc.doc_id] = None
        if doc.kind == "resource":
            self._resource_doc[doc.resource_id] = doc.doc_id
            self._facets.set(row, doc.facets)

    def remove(self, doc_ids: Iterable[str]) -> list[str]:
        """Forget documents; returns the ids that were live."""
        removed = []
        for doc_id in list(doc_ids):
            doc = self.docs.pop(doc_id, None)
            if doc is None:
                continue
            self._slot_of.pop(doc_id)
            self._docs_of[doc.resource_id].pop(doc_id, None)
            if self._resource_doc.get(doc.resource_id) == doc_id:
                del self._resource_doc[doc.resource_id]
                self._facets.clear(self._row_of[doc.resource_id])
            removed.append(doc_id)
        return removed

    def mask(self, filters: Filters | None) -> np.ndarray | None:
        """Slots whose resource passes the filters, or None when nothing is constrained."""
        if filters is None:
            return None
        rows = self._facets.mask(filters, len(self._row_of))
        if rows is None:
            return None
        return rows[self._slot_resource[: self._n_slots]]

    def facet_values(self) -> dict[str, list[str]]:
        """Facet values present in the corpus, per facet."""
        return self._facets.values()
