"""Paired significance between configurations on the same needs, with ranx's `compare`.

Every configuration is tested against the first (the baseline) on the per-need scores of the
answerable needs: Student's paired t-test (two-sided, ranx "student") or Fisher's
randomisation test (ranx "fisher", 10,000 permutations, seed 42). A difference is marked
significant when p < max_p (0.05 by default); with a few dozen needs only large differences
can be. ranx's own table (superscript letters: significantly better than that row) is kept too.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from evaluation.metrics import HEADLINE, METRICS, ranx_name, ranx_qrels, ranx_run
from evaluation.scoring import RunEvaluation, answerable_qrels

STAT_TESTS = ("student", "fisher")
PERMUTATIONS = 10_000
DEFAULT_MAX_P = 0.05


@dataclass(frozen=True, slots=True)
class PairedTest:
    """One metric of one configuration against the baseline."""

    baseline: str
    other: str
    metric: str
    baseline_mean: float
    other_mean: float
    p_value: float
    significant: bool
    wins: int  # needs where `other` scores higher
    ties: int
    losses: int

    @property
    def delta(self) -> float:
        """other − baseline."""
        return self.other_mean - self.baseline_mean

    def marker(self) -> str:
        """▲ significantly better, ▼ significantly worse, blank otherwise."""
        if not self.significant:
            return ""
        return "▲" if self.delta > 0 else "▼"


@dataclass(frozen=True)
class Comparison:
    """Means of every configuration and paired tests against the first."""

    names: tuple[str, ...]
    metrics: tuple[str, ...]
    stat_test: str
    max_p: float
    n_queries: int
    tests: tuple[PairedTest, ...]
    ranx_table: str

    def test(self, other: str, metric: str) -> PairedTest:
        """The test of `other` against the baseline on `metric`."""
        return next(t for t in self.tests if t.other == other and t.metric == metric)


def compare_runs(
    evaluations: Sequence[RunEvaluation],
    *,
    metrics: Sequence[str] = METRICS,
    stat_test: str = "student",
    max_p: float = DEFAULT_MAX_P,
) -> Comparison:
    """Paired tests of evaluations[1:] against evaluations[0] (same needs, distinct names)."""
    if stat_test not in STAT_TESTS:
        raise ValueError(f"unknown test {stat_test!r}; known: {STAT_TESTS}")
    if len(evaluations) < 2:
        raise ValueError("compare needs at least two runs")
    names = [e.name for e in evaluations]
    if len(set(names)) != len(names):
        raise ValueError(f"configuration names must differ: {names}")
    golden = evaluations[0].golden
    if any(e.golden.query_ids() != golden.query_ids() for e in evaluations):
        raise ValueError("every run must be on the same needs")
    qrels = answerable_qrels(golden)
    report = _ranx_compare(evaluations, qrels, metrics, stat_test, max_p)
    base = names[0]
    tests = []
    for evaluation in evaluations[1:]:
        for metric in metrics:
            name = ranx_name(metric)
            p_value = report.comparisons[{base, evaluation.name}][name]["p_value"]
            p_value = 1.0 if p_value is None or math.isnan(p_value) else float(p_value)
            wtl = report.win_tie_loss[(evaluation.name, base)][name]
            tests.append(
                PairedTest(
                    baseline=base,
                    other=evaluation.name,
                    metric=metric,
                    baseline_mean=evaluations[0].means[metric],
                    other_mean=evaluation.means[metric],
                    p_value=p_value,
                    significant=p_value < max_p,
                    wins=wtl["W"],
                    ties=wtl["T"],
                    losses=wtl["L"],
                )
            )
    return Comparison(
        names=tuple(names),
        metrics=tuple(metrics),
        stat_test=stat_test,
        max_p=max_p,
        n_queries=len(qrels),
        tests=tuple(tests),
        ranx_table=str(report.to_table()),
    )


def _ranx_compare(
    evaluations: Sequence[RunEvaluation],
    qrels: dict[str, dict[str, int]],
    metrics: Sequence[str],
    stat_test: str,
    max_p: float,
) -> Any:
    from ranx import compare

    runs = []
    for evaluation in evaluations:
        lists = evaluation.run.lists()
        runs.append(ranx_run({q: lists[q] for q in qrels}, name=evaluation.name))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # numba casts; scipy's warning on identical samples
        return compare(
            qrels=ranx_qrels(qrels),
            runs=runs,
            metrics=[ranx_name(m) for m in metrics],
            stat_test=stat_test,
            n_permutations=PERMUTATIONS,
            max_p=max_p,
            random_seed=42,
            threads=1,
            rounding_digits=4,
        )


def headline_tests(comparison: Comparison) -> list[PairedTest]:
    """The tests of the headline metrics only."""
    return [t for t in comparison.tests if t.metric in HEADLINE]
