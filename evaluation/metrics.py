"""The metrics of the harness, computed by ranx (checked against trec_eval by its authors).

Graded judgments (0 unrelated, 1 related topic but would not solve the need, 2 helps with part
of it, 3 fits) are used two ways, deliberately:

- nDCG@k uses every grade as its gain (ranx's `ndcg`, Järvelin & Kekäläinen 2002, the gain
  of trec_eval): DCG@k = Σ_{i≤k} grade_i / log2(i + 1), nDCG@k = DCG@k / ideal DCG@k.
- The binary metrics (MRR@10, Recall@k, MAP, P@5) count a resource as relevant when its grade
  is at least RELEVANT_GRADE = 2 (ranx's `-l2` suffix): a grade-1 resource shares the topic
  but would not solve the need, so finding it is no success.

  RR@k = 1 / rank of the first relevant resource within k (0 if none);
  Recall@k = relevant within k / all relevant; P@k = relevant within k / k;
  AP = Σ over relevant ranks r of P@r / all relevant (MAP over the whole run, depth 50).

Every metric is averaged over the queries given, each query weighing the same.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from typing import Any

from evaluation.golden import Qrels

RELEVANT_GRADE = 2
GRADED_METRICS = ("ndcg@5", "ndcg@10", "ndcg@20")
BINARY_METRICS = (
    "mrr@10",
    "recall@10",
    "recall@20",
    "recall@50",
    "map",
    "precision@5",
)
METRICS = GRADED_METRICS + BINARY_METRICS
HEADLINE = ("ndcg@10", "recall@20", "mrr@10")
PRIMARY_METRIC = "ndcg@10"
LABELS = {
    "ndcg@5": "nDCG@5",
    "ndcg@10": "nDCG@10",
    "ndcg@20": "nDCG@20",
    "mrr@10": "MRR@10",
    "recall@10": "Recall@10",
    "recall@20": "Recall@20",
    "recall@50": "Recall@50",
    "map": "MAP",
    "precision@5": "P@5",
}

RankedLists = Mapping[str, Sequence[str]]  # query_id -> resource codes, best first


def ranx_name(metric: str) -> str:
    """The ranx metric string of one of ours (binary metrics carry the relevance level)."""
    if metric in GRADED_METRICS:
        return metric
    if metric in BINARY_METRICS:
        return f"{metric}-l{RELEVANT_GRADE}"
    raise ValueError(f"unknown metric {metric!r}; known: {METRICS}")


def ranx_qrels(qrels: Mapping[str, Mapping[str, int]]) -> Any:
    """A ranx `Qrels` of our judgments."""
    from ranx import Qrels as RanxQrels

    return RanxQrels.from_dict({q: {r: int(g) for r, g in j.items()} for q, j in qrels.items()})


def ranx_run(lists: RankedLists, *, name: str) -> Any:
    """A ranx `Run` whose scores keep exactly our order (n, n-1, …, 1), so no tie is reordered."""
    from ranx import Run

    scores = {q: {r: float(len(ids) - i) for i, r in enumerate(ids)} for q, ids in lists.items()}
    return Run.from_dict(scores, name=name)


def per_query(
    qrels: Qrels, lists: RankedLists, *, metrics: Sequence[str] = METRICS
) -> dict[str, dict[str, float]]:
    """metric -> query_id -> score, for the queries of `qrels` (a missing list scores 0)."""
    from ranx import evaluate

    ids = list(qrels)
    run = ranx_run({q: list(lists.get(q, ())) for q in ids}, name="run")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # numba's uint64 -> int64 cast notice inside ranx
        evaluate(ranx_qrels(qrels), run, [ranx_name(m) for m in metrics], threads=1)
    # ranx keeps per-query scores on the run, keyed by query id (its own order, not ours).
    return {m: {q: float(run.scores[ranx_name(m)][q]) for q in ids} for m in metrics}


def means(scores: Mapping[str, Mapping[str, float]]) -> dict[str, float]:
    """metric -> mean over queries (0 for an empty query set)."""
    return {m: (sum(v.values()) / len(v) if v else 0.0) for m, v in scores.items()}
