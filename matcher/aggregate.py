"""From document hits to resources: case hits count for their resource, best case kept as evidence.

A resource is found through its own document and through its application cases. The resource's
score combines the fused scores of its documents (`max` by default; `sum` rewards resources
with many matching cases, CombSUM-style; `max_plus` is max + decay · the others), then its prior
(Art.19: a warned resource is demoted, a priority one boosted) multiplies the result.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Literal

from matcher.errors import InvalidInput
from matcher.types import Document, Hit

Aggregation = Literal["max", "sum", "max_plus"]
AGGREGATIONS: tuple[str, ...] = ("max", "sum", "max_plus")


@dataclass(frozen=True, slots=True)
class ResourceScore:
    """A resource's combined score, its matched documents (best first) and its best case."""

    resource_id: str
    score: float
    doc_ids: tuple[str, ...]
    evidence_doc_id: str | None


def aggregate(
    fused: Sequence[Hit],
    *,
    docs: Mapping[str, Document],
    method: Aggregation = "max",
    decay: float = 0.1,
) -> list[ResourceScore]:
    """Group document hits by resource and combine their scores; best resource first."""
    if method not in AGGREGATIONS:
        raise InvalidInput(f"未知的案例聚合方法：{method}", code="invalid_aggregation")
    grouped: dict[str, list[Hit]] = {}
    for hit in sorted(fused, key=lambda h: h.rank):
        grouped.setdefault(docs[hit.doc_id].resource_id, []).append(hit)
    results = []
    for resource_id, hits in grouped.items():
        scores = [h.score for h in hits]
        if method == "max":
            score = scores[0]
        elif method == "sum":
            score = sum(scores)
        else:
            score = scores[0] + decay * sum(scores[1:])
        cases = [h.doc_id for h in hits if docs[h.doc_id].kind == "case"]
        results.append(
            ResourceScore(
                resource_id=resource_id,
                score=score,
                doc_ids=tuple(h.doc_id for h in hits),
                evidence_doc_id=cases[0] if cases else None,
            )
        )
    return _sorted(results, fused_order=list(grouped))


def apply_priors(
    results: Sequence[ResourceScore], priors: Mapping[str, float]
) -> list[ResourceScore]:
    """Multiply each score by its resource's prior (default 1) and re-rank.

    A negative score (z-score fusion) is divided instead, so a prior below 1 always demotes and
    one above 1 always promotes.
    """
    adjusted = []
    for result in results:
        prior = priors.get(result.resource_id, 1.0)
        score = result.score * prior if result.score >= 0 else result.score / prior
        adjusted.append(replace(result, score=score))
    return _sorted(adjusted, fused_order=[r.resource_id for r in results])


def resource_ranks(run: Sequence[Hit], *, docs: Mapping[str, Document]) -> dict[str, Hit]:
    """One retriever's view per resource: its rank among resources (from 1) and best doc score."""
    ranks: dict[str, Hit] = {}
    for hit in sorted(run, key=lambda h: h.rank):
        resource_id = docs[hit.doc_id].resource_id
        if resource_id not in ranks:
            ranks[resource_id] = Hit(doc_id=hit.doc_id, score=hit.score, rank=len(ranks) + 1)
    return ranks


def _sorted(results: list[ResourceScore], *, fused_order: list[str]) -> list[ResourceScore]:
    position = {resource_id: i for i, resource_id in enumerate(fused_order)}
    return sorted(results, key=lambda r: (-r.score, position[r.resource_id]))
