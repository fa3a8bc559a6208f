"""Maximal marginal relevance: a shortlist that is relevant and not repetitive.

Carbonell & Goldstein (1998), "The Use of MMR, Diversity-Based Reranking for Reordering
Documents and Producing Summaries", SIGIR '98: repeatedly pick

    argmax_{d ∈ R \\ S} [ λ · rel(d) − (1 − λ) · max_{s ∈ S} sim(d, s) ]

Relevance is min-max normalised over the candidates first so that it is on the same [0, 1]
scale as a cosine similarity. Candidates may belong to groups (providers): by default a group
already on the shortlist blocks its other candidates, so one provider never fills two places.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from matcher.errors import InvalidInput


def mmr(
    relevance: Sequence[float],
    similarity: np.ndarray,
    *,
    k: int,
    lambda_: float,
    groups: Sequence[str] | None = None,
    allow_same_group: bool = False,
) -> list[int]:
    """Indexes of the chosen candidates, in the order chosen (at most k).

    `similarity` is the (n, n) candidate-candidate similarity matrix; an empty group name ("")
    never blocks anything.
    """
    n = len(relevance)
    if similarity.shape != (n, n):
        raise InvalidInput("相似度矩阵的形状与候选数不符", code="invalid_similarity")
    if not 0.0 <= lambda_ <= 1.0:
        raise InvalidInput("MMR 的 λ 必须在 0 到 1 之间", code="invalid_mmr_lambda")
    if groups is not None and len(groups) != n:
        raise InvalidInput("分组数与候选数不符", code="invalid_groups")
    rel = np.asarray(relevance, dtype=np.float64)
    span = rel.max() - rel.min() if n else 0.0
    rel = (rel - rel.min()) / span if span > 0 else np.ones(n)
    chosen: list[int] = []
    open_ = np.ones(n, dtype=bool)
    redundancy = np.full(n, -np.inf)  # max similarity to the shortlist so far
    while len(chosen) < k and open_.any():
        penalty = np.where(np.isfinite(redundancy), redundancy, 0.0)
        value = lambda_ * rel - (1.0 - lambda_) * penalty
        value[~open_] = -np.inf
        pick = int(np.argmax(value))  # first index wins ties: the better-ranked candidate
        chosen.append(pick)
        open_[pick] = False
        redundancy = np.maximum(redundancy, similarity[pick])
        if groups is not None and not allow_same_group and groups[pick]:
            open_ &= np.asarray([g != groups[pick] for g in groups])
    return chosen
