"""Bundles: complementary resources that together answer a multi-aspect need (Art.5 综合赋能).

The need is read into context and aspects (`matcher.aspects`). Each aspect is ranked on its own
with the caller's ranking configuration: BM25 on the aspect's own words, the dense retriever on
the aspect read in the need's context ("贴片车间：上料防错"), since a few words alone say little
to the dense model. An aspect that no resource matches confidently is joined to its neighbour in
the same clause and ranked again ("高低温" + "盐雾这些可靠性试验").

A resource covers an aspect when it is a confident match (confidence ≥ min_confidence, as in a
plain match) nearly as good as the aspect's best one, by rank score and by evidence together:

    q(r, a) = s̃(r, a) · confidence(r, a),   s̃ = fused score min-max normalised over the
                                             aspect's top `bundle_depth` candidates (1 if equal)
    w(r, a) = q(r, a) / max q(r', a) over the aspect's confident candidates r'

and it covers the aspect when w(r, a) ≥ COVER_SHARE. Neither factor suffices alone: confidence
saturates at 1 for many resources and runs low for short aspects whatever their match (as the
weight it let a resource matching two aspects weakly outweigh two specialists), and fused scores
carry only ranks under reciprocal-rank fusion (the first few ranks all look near-best). Greedy
weighted set cover (Chvátal 1979, "A Greedy Heuristic for the Set-Covering Problem") then
chooses: each step takes the resource whose weights add the most over the aspects not yet
covered, so a resource nearly best for two aspects still beats a specialist for one (Art.5).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import numpy as np

from matcher.aspects import NeedAspects, aspect_text, join_with_neighbour
from matcher.ranking import Query
from matcher.tokenizer import Tokenizer
from matcher.types import BundlePart, BundleResponse, Encoder, ResourceMatch

COVER_SHARE = 0.7  # MatchConfig.bundle_cover_share's default (a test keeps the two equal)

Matches = Sequence[ResourceMatch]
RankAspects = Callable[[Sequence[str]], list[Matches]]  # aspect texts -> each one's matches


def aspect_queries(
    need: NeedAspects,
    texts: Sequence[str],
    *,
    tokenizer: Tokenizer,
    encoder: Encoder,
    use_dense: bool,
) -> list[Query]:
    """Queries of aspects: their own terms, and vectors of the aspects read in the context."""
    terms = [tokenizer.terms(t) for t in texts]
    if use_dense and any(terms):
        vectors = encoder.encode_queries([aspect_text(need.context, t) for t in texts])
    else:
        vectors = np.zeros((len(texts), encoder.dimension), dtype=np.float32)
    return [Query(terms=t, vector=v) for t, v in zip(terms, vectors, strict=True)]


def aspect_weights(
    matches: Matches, *, min_confidence: float, share: float = COVER_SHARE
) -> dict[str, float]:
    """resource id -> weight in (0, 1] of the confident matches near the aspect's best one."""
    if not matches:
        return {}
    scores = [m.score for m in matches]
    high, low = max(scores), min(scores)
    quality = {
        m.resource_id: ((m.score - low) / (high - low) if high > low else 1.0) * m.confidence
        for m in matches
        if m.confidence >= min_confidence
    }
    best = max(quality.values(), default=0.0)
    if best <= 0.0:
        return {}
    return {rid: q / best for rid, q in quality.items() if q > 0.0 and q / best >= share}


def greedy_cover(
    coverage: Sequence[Mapping[str, float]], *, max_parts: int
) -> tuple[list[tuple[str, tuple[int, ...]]], tuple[int, ...]]:
    """Choose resources to cover aspects; `coverage[a]` maps resource id -> weight in (0, 1].

    Returns the chosen (resource id, aspects credited to it) in the order chosen, and the
    aspects nobody covers. Ties go to the larger total weight, then to the resource seen first.
    """
    order: dict[str, int] = {}
    for weights in coverage:
        for resource_id in weights:
            order.setdefault(resource_id, len(order))
    uncovered = {a for a, weights in enumerate(coverage) if weights}
    parts: list[tuple[str, tuple[int, ...]]] = []
    chosen: set[str] = set()
    while uncovered and len(parts) < max_parts:
        best, best_key = None, (0.0, 0.0, 0)
        for resource_id, position in order.items():
            if resource_id in chosen:
                continue
            gain = sum(coverage[a].get(resource_id, 0.0) for a in uncovered)
            total = sum(weights.get(resource_id, 0.0) for weights in coverage)
            key = (gain, total, -position)
            if gain > 0 and (best is None or key > best_key):
                best, best_key = resource_id, key
        if best is None:
            break
        credited = tuple(sorted(a for a in uncovered if coverage[a].get(best, 0.0) > 0))
        parts.append((best, credited))
        chosen.add(best)
        uncovered -= set(credited)
    missing = tuple(a for a in range(len(coverage)) if not any(a in p[1] for p in parts))
    return parts, missing


def cover_need(
    need: NeedAspects,
    *,
    rank: RankAspects,
    min_confidence: float,
    max_parts: int,
    share: float = COVER_SHARE,
) -> BundleResponse:
    """Rank the aspects (joining weak ones to a neighbour), then cover them greedily."""
    aspects, runs = _rank_joining(need, rank=rank, min_confidence=min_confidence)
    coverage = [aspect_weights(r, min_confidence=min_confidence, share=share) for r in runs]
    chosen, uncovered = greedy_cover(coverage, max_parts=max_parts)
    parts = []
    for resource_id, credited in chosen:
        best = max(
            (m for a in credited for m in runs[a] if m.resource_id == resource_id),
            key=lambda m: m.confidence,
        )
        parts.append(BundlePart(match=best, aspects=credited))
    return BundleResponse(aspects=tuple(aspects), parts=tuple(parts), uncovered=uncovered)


def _rank_joining(
    need: NeedAspects, *, rank: RankAspects, min_confidence: float
) -> tuple[list[str], list[Matches]]:
    aspects = list(need.aspects)
    runs = rank([a.text for a in aspects])
    position = 0
    while position < len(aspects):
        weak = not any(m.confidence >= min_confidence for m in runs[position])
        joined = join_with_neighbour(aspects, position) if weak else None
        if joined is None:
            position += 1
            continue
        first, aspect = joined
        aspects[first : first + 2] = [aspect]
        runs[first : first + 2] = rank([aspect.text])
        position = first
    return [a.text for a in aspects], runs
