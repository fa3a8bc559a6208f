"""A run over the unit library scored end to end: lists, metrics, holes, no-fit answers."""

from __future__ import annotations

from dataclasses import replace
from math import isclose

import pytest

from evaluation.configuration import CONFIG_DIR, EvalConfig, load_config
from evaluation.golden import GoldenSet
from evaluation.harness import GoldenEvaluator, Harness
from evaluation.metrics import per_query
from evaluation.nofit import no_fit_summary
from evaluation.runner import QueryResult, RunResult
from evaluation.scoring import answerable_qrels, evaluate_run, unjudged
from tests.evaluation.world import make_harness, unit_golden


@pytest.fixture(scope="module")
def harness() -> Harness:
    return make_harness()


@pytest.fixture(scope="module")
def golden() -> GoldenSet:
    return unit_golden()


def fake_run(golden: GoldenSet, lists: dict[str, list[str]], declined: set[str]) -> RunResult:
    results = {
        q: QueryResult(
            query_id=q,
            resource_ids=tuple(lists.get(q, [])),
            scores=tuple(1.0 for _ in lists.get(q, [])),
            confidences=tuple(0.9 if i == 0 else 0.1 for i, _ in enumerate(lists.get(q, []))),
            no_suitable=q in declined,
            reason="",
            seconds=0.001,
        )
        for q in golden.query_ids()
    }
    return RunResult("fake", EvalConfig(name="fake"), golden.name, results, 0.1)


def test_no_fit_needs_are_those_without_grade_two(golden: GoldenSet) -> None:
    """U11 has a grade-1 resource and is still no-fit: grade 1 would not solve the need."""
    assert set(golden.qrels) - set(answerable_qrels(golden)) == {"U08", "U11"}


def test_no_fit_rates_counted_by_hand(golden: GoldenSet) -> None:
    run = fake_run(golden, {}, declined={"U08", "U01", "U02"})
    summary = no_fit_summary(golden, run)
    assert summary.abstained == ("U08",)
    assert summary.abstention_rate == 1 / 2
    assert summary.false_no_suitable == ("U01", "U02")
    assert isclose(summary.false_no_suitable_rate or 0, 2 / 13)
    assert isclose(summary.balanced_accuracy() or 0, (1 / 2 + 11 / 13) / 2)
    assert summary.tag_disagreements == ()


def test_a_no_fit_tag_that_the_judgments_contradict_is_listed(golden: GoldenSet) -> None:
    queries = tuple(
        replace(q, tags=("no_fit",)) if q.query_id == "U05" else q for q in golden.queries
    )
    changed = GoldenSet(golden.name, queries, golden.qrels)
    assert no_fit_summary(changed, fake_run(changed, {}, set())).tag_disagreements == ("U05",)


def test_unjudged_results_in_the_top_ten_are_counted(golden: GoldenSet) -> None:
    lists = {"U01": ["AI-001", "ZZ-001", "AI-002", "ZZ-002"], "U02": ["MF-001"]}
    holes = unjudged(golden, lists)
    assert (holes.count, holes.slots) == (2, 5)
    assert holes.per_query == {"U01": ("ZZ-001", "ZZ-002")}


def test_ranking_metrics_average_answerable_needs_only(harness: Harness, golden: GoldenSet) -> None:
    evaluation = harness.evaluate(EvalConfig(name="hybrid"), golden)
    assert set(evaluation.per_query["ndcg@10"]) == set(answerable_qrels(golden))
    again = per_query(answerable_qrels(evaluation.golden), evaluation.run.lists())
    assert evaluation.per_query == again
    assert set(evaluation.run.results) == set(golden.query_ids())


def test_the_run_honours_filters_and_depth(harness: Harness, golden: GoldenSet) -> None:
    evaluation = harness.evaluate(EvalConfig(name="hybrid"), golden)
    u07 = evaluation.run.results["U07"]  # city = 深圳: AI-002, MF-003, BR-001 only
    assert set(u07.resource_ids) == {"AI-002", "MF-003", "BR-001"}
    assert u07.resource_ids[0] == "AI-002"
    assert all(len(r.resource_ids) <= 50 for r in evaluation.run.results.values())


def test_served_lists_drop_weak_matches(golden: GoldenSet) -> None:
    run = fake_run(golden, {"U01": ["AI-001", "AI-002"]}, set())
    assert run.served_lists()["U01"] == ["AI-001"]  # 0.1 < min_confidence
    evaluation = evaluate_run(golden, run)
    assert evaluation.served_means["recall@10"] == evaluation.means["recall@10"]


def test_each_configuration_runs_its_own_retrievers(harness: Harness, golden: GoldenSet) -> None:
    """BM25 alone ranks only resources sharing a term with the need; dense ranks them all."""
    bm25 = harness.evaluate(load_config(CONFIG_DIR / "bm25.yaml"), golden)
    dense = harness.evaluate(load_config(CONFIG_DIR / "dense.yaml"), golden)
    assert bm25.run.results["U05"].resource_ids == ("BR-001",)
    assert len(dense.run.results["U05"].resource_ids) == 10
    assert bm25.run.results["U08"].resource_ids == ()  # no query term in the corpus


def test_the_evaluator_contract(harness: Harness, golden: GoldenSet) -> None:
    evaluator = GoldenEvaluator(harness=harness, golden=golden, split="test")
    figures = evaluator(EvalConfig(name="hybrid"))
    assert evaluator.primary_metric == "ndcg@10"
    assert set(evaluator.golden.query_ids()) == {"U13", "U19", "U22"}
    assert 0.0 <= figures["ndcg@10"] <= 1.0
    assert "nofit_abstention_rate" not in figures  # the test split holds no no-fit need
    assert "false_no_suitable_rate" in figures


def test_the_index_is_built_once_per_model_and_dictionary(
    harness: Harness, golden: GoldenSet
) -> None:
    first = harness.pool.matcher(EvalConfig(name="a"))
    assert harness.pool.matcher(load_config(CONFIG_DIR / "bm25.yaml")) is first
    other = harness.pool.matcher(EvalConfig(name="b", model="another-fake"))
    assert other is not first


def test_constrained_needs_are_scored_on_what_their_filters_allow(
    harness: Harness, golden: GoldenSet
) -> None:
    """U07 (city 深圳): AI-001 fits but is in 东莞; the run cannot return it, so it is not
    counted. U22 (深圳): both judged resources pass or fail by city alike."""
    evaluation = harness.evaluate(EvalConfig(name="hybrid"), golden)
    assert golden.qrels["U07"] == {"AI-002": 2, "AI-001": 3}
    assert evaluation.golden.qrels["U07"] == {"AI-002": 2}
    assert evaluation.golden.qrels["U22"] == {"MF-003": 3}  # MF-004 is in 广州
    assert evaluation.golden.qrels["U01"] == golden.qrels["U01"]  # no filters: untouched
    assert evaluation.per_query["recall@10"]["U07"] == 1.0
