"""A run scored against its golden set: ranking metrics, served metrics, holes, no-fit answers.

Ranking metrics (`evaluation.metrics`) are averaged over the answerable needs only; no-fit
needs are scored by `evaluation.nofit`. `served` repeats the metrics on what the service would
show (weak matches dropped). Unjudged results in the top 10 are counted over every need, so a
configuration that surfaces resources nobody judged shows it: its figures are then a lower
bound, and the golden set needs more judging.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from evaluation.golden import GoldenSet, Qrels
from evaluation.metrics import METRICS, means, per_query
from evaluation.nofit import NoFitSummary, is_answerable, no_fit_summary
from evaluation.runner import RunResult

UNJUDGED_DEPTH = 10


@dataclass(frozen=True)
class Unjudged:
    """Results in the top UNJUDGED_DEPTH that have no judgment."""

    count: int
    slots: int  # results looked at (≤ UNJUDGED_DEPTH per need)
    per_query: Mapping[str, tuple[str, ...]]  # query_id -> unjudged resource codes (if any)

    @property
    def share(self) -> float:
        """Unjudged share of the top-10 slots filled."""
        return self.count / self.slots if self.slots else 0.0


@dataclass(frozen=True)
class RunEvaluation:
    """Everything the reports show about one run."""

    run: RunResult
    golden: GoldenSet
    per_query: dict[str, dict[str, float]]  # metric -> query_id -> score (answerable needs)
    means: dict[str, float]
    served_means: dict[str, float]
    unjudged: Unjudged
    nofit: NoFitSummary

    @property
    def name(self) -> str:
        """The configuration's name."""
        return self.run.name


def answerable_qrels(golden: GoldenSet) -> Qrels:
    """The judgments of the needs some resource helps (those the ranking metrics average)."""
    return {q: dict(j) for q, j in golden.qrels.items() if is_answerable(j)}


def unjudged(golden: GoldenSet, lists: Mapping[str, list[str]]) -> Unjudged:
    """Count top-10 results without a judgment, per need."""
    holes: dict[str, tuple[str, ...]] = {}
    count = slots = 0
    for query_id in golden.query_ids():
        top = lists.get(query_id, [])[:UNJUDGED_DEPTH]
        missing = tuple(r for r in top if r not in golden.qrels[query_id])
        slots += len(top)
        count += len(missing)
        if missing:
            holes[query_id] = missing
    return Unjudged(count=count, slots=slots, per_query=holes)


def evaluate_run(golden: GoldenSet, run: RunResult) -> RunEvaluation:
    """Score a run of `golden`'s needs (the run must hold every need of `golden`)."""
    missing = [q for q in golden.query_ids() if q not in run.results]
    if missing:
        raise ValueError(f"run {run.name} lacks needs {missing[:5]}")
    qrels = answerable_qrels(golden)
    scores = per_query(qrels, run.lists(), metrics=METRICS) if qrels else {m: {} for m in METRICS}
    served = per_query(qrels, run.served_lists(), metrics=METRICS) if qrels else scores
    return RunEvaluation(
        run=run,
        golden=golden,
        per_query=scores,
        means=means(scores),
        served_means=means(served),
        unjudged=unjudged(golden, run.lists()),
        nofit=no_fit_summary(golden, run),
    )
