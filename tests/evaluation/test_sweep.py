"""The sweep chooses on the dev split only: altering the test judgments never changes the
choice (only the figures reported on test), altering the dev ones can."""

from __future__ import annotations

from pathlib import Path

import pytest

from evaluation.configuration import CONFIG_DIR, EvalConfig
from evaluation.errors import ConfigInvalid
from evaluation.golden import GoldenSet
from evaluation.harness import Harness
from evaluation.scoring import RunEvaluation
from evaluation.split import split_of
from evaluation.sweep import Stage, SweepSpec, expand, load_sweep, sweep
from tests.evaluation.world import make_harness, unit_golden

SPEC = SweepSpec(
    base=EvalConfig(name="base"),
    stages=(
        Stage(
            "fusion",
            "ndcg@10",
            (
                {"fusion": "rrf", "rrf_k": 5},
                {"fusion": "weighted_rrf", "bm25_share": 0.2},
                {"fusion": "weighted_rrf", "bm25_share": 0.8},
                {"fusion": "score", "normalisation": "min_max", "bm25_share": 0.2},
                {"fusion": "score", "normalisation": "z_score", "bm25_share": 0.8},
                {"use_dense": False},
            ),
        ),
        Stage(
            "confidence",
            "nofit_balanced_accuracy",
            tuple({"confidence.min_confidence": v} for v in (0.05, 0.2, 0.35, 0.6)),
        ),
    ),
)


def inverted(golden: GoldenSet, side: str) -> GoldenSet:
    """Grades g -> 3 - g on one side of the split, plus a grade-3 judgment of the worst
    resource, so that every ranking on that side scores differently."""
    qrels = {}
    for query_id, judged in golden.qrels.items():
        if split_of(query_id) == side:
            judged = {r: 3 - g for r, g in judged.items()} | {"BR-001": 3, "RD-001": 3}
        qrels[query_id] = dict(judged)
    return GoldenSet(golden.name, golden.queries, qrels)


class Spy:
    """The harness's evaluate, recording which needs every call saw."""

    def __init__(self, harness: Harness) -> None:
        self.harness = harness
        self.calls: list[tuple[str, list[str]]] = []

    def __call__(self, config: EvalConfig, golden: GoldenSet) -> RunEvaluation:
        self.calls.append((config.name, golden.query_ids()))
        return self.harness.evaluate(config, golden)


@pytest.fixture(scope="module")
def harness() -> Harness:
    return make_harness()


def test_the_choice_ignores_the_test_judgments(harness: Harness) -> None:
    golden = unit_golden()
    spy = Spy(harness)
    original = sweep(SPEC, golden, spy)
    altered = sweep(SPEC, inverted(golden, "test"), Spy(harness))
    assert altered.chosen == original.chosen
    assert [p.objective for p in altered.points] == [p.objective for p in original.points]
    # ... while the figures reported on test did see the change.
    assert original.chosen_test is not None and altered.chosen_test is not None
    assert altered.chosen_test.means != original.chosen_test.means
    # Every candidate ran on dev needs only; test ran twice, after the choice (chosen, base).
    test_ids = ["U13", "U19", "U22"]
    choosing = spy.calls[:-2]
    assert all(not set(ids) & set(test_ids) for _, ids in choosing)
    assert [ids for _, ids in spy.calls[-2:]] == [test_ids, test_ids]


def test_the_choice_follows_the_dev_judgments(harness: Harness) -> None:
    """Guard against a test that cannot fail: the same alteration on dev moves the choice."""
    golden = unit_golden()
    original = sweep(SPEC, golden, harness.evaluate)
    altered = sweep(SPEC, inverted(golden, "dev"), harness.evaluate)
    assert altered.chosen.match != original.chosen.match


def test_a_stage_keeps_the_incumbent_unless_a_candidate_is_strictly_better(
    harness: Harness,
) -> None:
    result = sweep(SPEC, unit_golden(), harness.evaluate)
    fusion = [p for p in result.points if p.stage == "fusion"]
    assert fusion[0].changes == {}
    best = max(p.objective or 0 for p in fusion)
    winner = next(p for p in fusion if p.objective == best)
    assert result.chosen.match.fusion == winner.config.match.fusion
    assert result.chosen.name == "default"


def test_shorthands_expand() -> None:
    assert expand({"bm25_share": 0.3, "candidate_depth": 50, "rrf_k": 20}) == {
        "rrf_k": 20,
        "bm25_weight": 0.3,
        "dense_weight": 0.7,
        "bm25_depth": 50,
        "dense_depth": 50,
    }


def test_the_shipped_sweep_file_loads() -> None:
    spec = load_sweep(CONFIG_DIR / "sweep.yaml")
    assert spec.base.name == "hybrid-rrf"
    assert [s.name for s in spec.stages] == ["fusion", "candidates", "confidence"]
    assert len(spec.stages[0].points) == 6 + 9 + 18
    assert spec.stages[2].objective == "nofit_balanced_accuracy"


def test_an_impossible_point_is_refused_when_the_file_is_read(tmp_path: Path) -> None:
    (tmp_path / "base.yaml").write_text("name: base\n", encoding="utf-8")
    (tmp_path / "sweep.yaml").write_text(
        "base: base.yaml\nstages:\n  - grid:\n      - fusion: [rrf, borda]\n", encoding="utf-8"
    )
    with pytest.raises(ConfigInvalid):
        load_sweep(tmp_path / "sweep.yaml")


def test_a_candidate_over_the_false_no_suitable_cap_is_never_chosen(harness: Harness) -> None:
    """With a cap of 0, only thresholds that decline no answerable dev need may win, even when
    a stricter threshold declines more no-fit needs."""
    golden = unit_golden()
    points = tuple({"confidence.min_confidence": v} for v in (0.0, 0.3, 0.6, 0.9))
    free = Stage("confidence", "nofit_balanced_accuracy", points)
    capped = Stage("confidence", "nofit_balanced_accuracy", points, max_false_no_suitable=0.0)
    loose = sweep(SweepSpec(EvalConfig(name="base"), (free,)), golden, harness.evaluate)
    strict = sweep(SweepSpec(EvalConfig(name="base"), (capped,)), golden, harness.evaluate)
    assert all(p.eligible for p in loose.points)
    chosen = next(p for p in strict.points if p.config.match == strict.chosen.match)
    assert chosen.eligible and chosen.evaluation.nofit.false_no_suitable_rate == 0.0
    assert any(not p.eligible for p in strict.points)
    assert strict.chosen.match != loose.chosen.match
