"""Fusion of ranked lists (runs) into one: reciprocal-rank and normalised-score combinations.

Every function takes runs as sequences of `Hit` (rank from 1, higher score better) and returns
a new run sorted by fused score. Ties are broken by the best rank the document had in any run,
then by doc_id, so results are deterministic.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from typing import Literal

from matcher.errors import InvalidInput
from matcher.types import Hit

Run = Sequence[Hit]
Normalisation = Literal["min_max", "z_score"]
FusionMethod = Literal["rrf", "weighted_rrf", "score"]
RRF_K = 60


def rrf(runs: Sequence[Run], *, k: int = RRF_K) -> list[Hit]:
    """Reciprocal rank fusion: score(d) = Σ_r 1 / (k + rank_r(d)), over the runs that hold d.

    Cormack, Clarke & Büttcher (2009), "Reciprocal Rank Fusion outperforms Condorcet and
    individual Rank Learning Methods", SIGIR '09; k = 60 as in the paper.
    """
    return weighted_rrf(runs, [1.0] * len(runs), k=k)


def weighted_rrf(runs: Sequence[Run], weights: Sequence[float], *, k: int = RRF_K) -> list[Hit]:
    """Weighted RRF: score(d) = Σ_r w_r / (k + rank_r(d)).

    The per-run weighting of RRF used by hybrid search engines (e.g. Elasticsearch's weighted
    RRF retriever); with all w_r = 1 it is Cormack et al. (2009).
    """
    _check(runs, weights)
    if k < 0:
        raise InvalidInput("RRF 的 k 不能为负数", code="invalid_rrf_k")
    fused: dict[str, float] = {}
    for run, weight in zip(runs, weights, strict=True):
        for hit in run:
            fused[hit.doc_id] = fused.get(hit.doc_id, 0.0) + weight / (k + hit.rank)
    return _ranked(fused, runs)


def min_max(run: Run) -> dict[str, float]:
    """(s − min) / (max − min) per hit; every hit gets 1.0 when all scores are equal.

    Lee (1997), "Analyses of Multiple Evidence Combination", SIGIR '97.
    """
    if not run:
        return {}
    low, high = min(h.score for h in run), max(h.score for h in run)
    if high == low:
        return {h.doc_id: 1.0 for h in run}
    return {h.doc_id: (h.score - low) / (high - low) for h in run}


def z_score(run: Run) -> dict[str, float]:
    """(s − μ) / σ per hit (population σ); every hit gets 0.0 when σ = 0.

    Montague & Aslam (2001), "Relevance Score Normalization for Metasearch", CIKM '01.
    """
    if not run:
        return {}
    mean = sum(h.score for h in run) / len(run)
    std = math.sqrt(sum((h.score - mean) ** 2 for h in run) / len(run))
    if std == 0.0:
        return {h.doc_id: 0.0 for h in run}
    return {h.doc_id: (h.score - mean) / std for h in run}


NORMALISERS: Mapping[str, Callable[[Run], dict[str, float]]] = {
    "min_max": min_max,
    "z_score": z_score,
}


def weighted_score_fusion(
    runs: Sequence[Run], weights: Sequence[float], *, normalisation: Normalisation = "min_max"
) -> list[Hit]:
    """Weighted CombSUM of normalised scores: score(d) = Σ_r w_r · norm_r(d).

    Fox & Shaw (1994), "Combination of Multiple Searches", TREC-2 (CombSUM), with the score
    normalisation of Lee (1997) (min-max) or Montague & Aslam (2001) (z-score). A document a run
    did not return takes that run's floor: 0 under min-max (the worst retrieved score, as in
    ranx's `wsum`), and one standard deviation below the worst retrieved document under z-score
    (ranx's `zmuv` scores it 0, i.e. as good as the run's average, which rewards absence).
    """
    _check(runs, weights)
    if normalisation not in NORMALISERS:
        raise InvalidInput(f"未知的归一化方法：{normalisation}", code="invalid_normalisation")
    normalised = [NORMALISERS[normalisation](run) for run in runs]
    floors = [_floor(values, normalisation) for values in normalised]
    every = {hit.doc_id for run in runs for hit in run}
    fused = {
        doc_id: sum(
            w * values.get(doc_id, floor)
            for values, w, floor in zip(normalised, weights, floors, strict=True)
        )
        for doc_id in every
    }
    return _ranked(fused, runs)


def fuse(
    runs: Sequence[Run],
    *,
    method: FusionMethod,
    weights: Sequence[float],
    rrf_k: int = RRF_K,
    normalisation: Normalisation = "min_max",
) -> list[Hit]:
    """Dispatch to one of the fusion methods by name (weights are ignored by plain RRF)."""
    if method == "rrf":
        return rrf(runs, k=rrf_k)
    if method == "weighted_rrf":
        return weighted_rrf(runs, weights, k=rrf_k)
    if method == "score":
        return weighted_score_fusion(runs, weights, normalisation=normalisation)
    raise InvalidInput(f"未知的融合方法：{method}", code="invalid_fusion_method")


def _floor(values: Mapping[str, float], normalisation: str) -> float:
    if normalisation == "min_max" or not values:
        return 0.0
    return min(values.values()) - 1.0


def _check(runs: Sequence[Run], weights: Sequence[float]) -> None:
    if len(runs) != len(weights):
        raise InvalidInput("每个结果列表需要一个权重", code="invalid_fusion_weights")
    if any(not math.isfinite(w) or w < 0 for w in weights):
        raise InvalidInput("融合权重必须是非负有限数", code="invalid_fusion_weights")


def _ranked(fused: Mapping[str, float], runs: Sequence[Run]) -> list[Hit]:
    best_rank: dict[str, int] = {}
    for run in runs:
        for hit in run:
            best_rank[hit.doc_id] = min(best_rank.get(hit.doc_id, hit.rank), hit.rank)
    order = sorted(fused, key=lambda d: (-fused[d], best_rank[d], d))
    return [Hit(doc_id=d, score=fused[d], rank=r) for r, d in enumerate(order, start=1)]
