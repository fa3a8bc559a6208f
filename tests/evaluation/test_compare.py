"""Paired comparisons through ranx: the p-values are those of the paired per-need scores."""

from __future__ import annotations

from math import isclose

import pytest
from scipy import stats

from evaluation.compare import compare_runs
from evaluation.configuration import CONFIG_DIR, EvalConfig, load_config
from evaluation.harness import Harness
from evaluation.scoring import RunEvaluation
from tests.evaluation.world import make_harness, unit_golden


@pytest.fixture(scope="module")
def evaluations() -> list[RunEvaluation]:
    harness: Harness = make_harness()
    golden = unit_golden()
    configs = [
        load_config(CONFIG_DIR / "bm25.yaml"),
        load_config(CONFIG_DIR / "dense.yaml"),
        EvalConfig(name="hybrid"),
    ]
    return [harness.evaluate(c, golden) for c in configs]


def test_student_p_values_are_the_paired_t_test_of_the_per_need_scores(
    evaluations: list[RunEvaluation],
) -> None:
    comparison = compare_runs(evaluations, stat_test="student")
    base, dense = evaluations[0], evaluations[1]
    for metric in ("ndcg@10", "recall@10", "mrr@10"):
        ids = sorted(base.per_query[metric])
        a = [base.per_query[metric][q] for q in ids]
        b = [dense.per_query[metric][q] for q in ids]
        test = comparison.test("dense", metric)
        if a == b:
            assert test.p_value == 1.0 and not test.significant
            continue
        expected = stats.ttest_rel(a, b).pvalue
        assert isclose(test.p_value, expected, rel_tol=1e-9), metric
        assert test.wins == sum(y > x for x, y in zip(a, b, strict=True))
        assert test.losses == sum(y < x for x, y in zip(a, b, strict=True))
        assert test.significant == (expected < 0.05)


def test_markers_follow_the_sign_of_a_significant_difference(
    evaluations: list[RunEvaluation],
) -> None:
    comparison = compare_runs(evaluations, stat_test="fisher", max_p=1.01)
    for test in comparison.tests:
        assert test.significant
        assert test.marker() == ("▲" if test.delta > 0 else "▼")
    assert comparison.n_queries == 13  # answerable needs only
    assert "bm25" in comparison.ranx_table


def test_runs_on_other_needs_are_refused(evaluations: list[RunEvaluation]) -> None:
    harness = make_harness()
    golden = unit_golden()
    other = harness.evaluate(EvalConfig(name="other"), golden.subset(golden.query_ids()[:5]))
    with pytest.raises(ValueError, match="same needs"):
        compare_runs([evaluations[0], other])
    with pytest.raises(ValueError, match="differ"):
        compare_runs([evaluations[0], evaluations[0]])
