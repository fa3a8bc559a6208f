"""Facet bitsets over resources: a `Filters` becomes one boolean mask, before any ranking."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from matcher.types import FACETS, Filters


class FacetIndex:
    """One boolean array per (facet, value) over resource rows; AND across facets, OR within."""

    def __init__(self) -> None:
        self._bits: dict[tuple[str, str], np.ndarray] = {}
        self._capacity = 0

    def set(self, row: int, facets: Mapping[str, Sequence[str]]) -> None:
        """Replace the facet values of a resource row."""
        self.clear(row)
        self._reserve(row + 1)
        for name in FACETS:
            for value in facets.get(name, ()):
                bits = self._bits.setdefault((name, value), np.zeros(self._capacity, dtype=bool))
                bits[row] = True

    def clear(self, row: int) -> None:
        """Forget every facet value of a resource row."""
        if row < self._capacity:
            for bits in self._bits.values():
                bits[row] = False

    def mask(self, filters: Filters, n_rows: int) -> np.ndarray | None:
        """Rows allowed by the filters (length n_rows), or None when nothing is constrained."""
        active = filters.active()
        if not active:
            return None
        self._reserve(n_rows)
        allowed = np.ones(n_rows, dtype=bool)
        for name, values in active.items():
            facet = np.zeros(n_rows, dtype=bool)
            for value in values:
                bits = self._bits.get((name, value))
                if bits is not None:
                    facet |= bits[:n_rows]
            allowed &= facet
        return allowed

    def values(self) -> dict[str, list[str]]:
        """Every facet value present on some resource, per facet (for filter pickers)."""
        present: dict[str, list[str]] = {name: [] for name in FACETS}
        for (name, value), bits in self._bits.items():
            if bits.any():
                present[name].append(value)
        return {name: sorted(vals) for name, vals in present.items()}

    def _reserve(self, size: int) -> None:
        if size <= self._capacity:
            return
        capacity = max(size, 2 * self._capacity, 64)
        for key, bits in self._bits.items():
            grown = np.zeros(capacity, dtype=bool)
            grown[: bits.size] = bits
            self._bits[key] = grown
        self._capacity = capacity
