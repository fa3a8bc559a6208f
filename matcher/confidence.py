"""How sure a match is, so that a need nothing fits gets "no suitable resource", not junk.

Ranks say which resource is best, never whether it is any good. Two absolute signals do:

- dense: the cosine between the need and the resource's best document, mapped linearly from
  `dense_floor` (no evidence) to `dense_ceiling` (full evidence) and clipped to [0, 1];
- lexical: the share of the need's terms the resource's matched documents contain, each term
  weighted by its idf (a term the corpus never saw weighs as much as the rarest one: the corpus
  cannot answer that part of the need).

confidence = the weighted mean of the signals of the retrievers in use. The thresholds live in
`ConfidenceConfig` and are meant to be tuned on a dev split by the evaluation harness.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from matcher.errors import InvalidInput


@dataclass(frozen=True, slots=True)
class ConfidenceConfig:
    """Thresholds of the confidence signal.

    Defaults fit multilingual-e5-small (query:/passage: prefixes) on the demo library (219
    resources, 816 cases): the best cosine of 30 on-topic needs ranged 0.898-0.956 (median
    0.914), of 20 off-topic ones 0.841-0.883 (median 0.866), so cosine alone barely separates
    them; with these values every on-topic need scored ≥ 0.61 and every off-topic one ≤ 0.32,
    and `min_confidence` sits in the middle of that gap. A first calibration on 50 needs, not a
    tuning: the evaluation harness should re-fit these on a dev split.
    """

    dense_floor: float = 0.87
    dense_ceiling: float = 0.92
    dense_weight: float = 0.6  # lexical weight is 1 - dense_weight
    min_confidence: float = 0.45
    keep_low_confidence: bool = False  # keep weak matches (flagged) instead of dropping them

    def __post_init__(self) -> None:
        if not self.dense_floor < self.dense_ceiling:
            raise InvalidInput("dense_floor 必须小于 dense_ceiling", code="invalid_confidence")
        if not (0.0 <= self.dense_weight <= 1.0 and 0.0 <= self.min_confidence <= 1.0):
            raise InvalidInput("置信度权重与阈值必须在 0 到 1 之间", code="invalid_confidence")


def dense_signal(cosine: float, config: ConfidenceConfig) -> float:
    """Cosine mapped to [0, 1] between the floor and the ceiling."""
    value = (cosine - config.dense_floor) / (config.dense_ceiling - config.dense_floor)
    return min(1.0, max(0.0, value))


def term_coverage(
    query_terms: Iterable[str],
    matched: Iterable[str],
    idf: Mapping[str, float],
    *,
    unseen_idf: float,
) -> float:
    """idf-weighted share of the query's distinct terms found; terms missing from `idf` weigh
    `unseen_idf` (the idf of a term in no document)."""
    terms = list(dict.fromkeys(query_terms))
    if not terms:
        return 0.0
    weights = {t: max(idf.get(t, unseen_idf), 0.0) for t in terms}
    total = sum(weights.values())
    if total <= 0.0:
        return 0.0
    found = set(matched)
    return sum(w for t, w in weights.items() if t in found) / total


def confidence(*, cosine: float | None, coverage: float | None, config: ConfidenceConfig) -> float:
    """Weighted mean of the available signals (None = that retriever is off)."""
    parts = []
    if cosine is not None:
        parts.append((config.dense_weight, dense_signal(cosine, config)))
    if coverage is not None:
        parts.append((1.0 - config.dense_weight, coverage))
    weight = sum(w for w, _ in parts)
    if weight == 0.0:
        return parts[0][1] if parts else 0.0
    return sum(w * v for w, v in parts) / weight
