"""The baseline check: a drop beyond the tolerance fails, within it passes, and the message
carries the before/after table a commit lowering the baseline needs."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from evaluation.baseline import (
    Baseline,
    baseline_of,
    before_after,
    read_baseline,
    regressions,
    write_baseline,
)
from evaluation.configuration import EvalConfig
from evaluation.split import select
from tests.evaluation.world import make_harness, unit_golden

HELD = Baseline(
    golden="g", split="test", config="default", needs=9, answerable=7,
    metrics={"ndcg@10": 0.80, "recall@20": 0.90, "mrr@10": 0.70},
)  # fmt: skip


def test_a_drop_within_the_tolerance_passes() -> None:
    assert regressions(HELD, {"ndcg@10": 0.781, "recall@20": 0.95, "mrr@10": 0.70}) == []


def test_a_drop_beyond_the_tolerance_fails_per_metric() -> None:
    found = regressions(HELD, {"ndcg@10": 0.779, "recall@20": 0.95, "mrr@10": 0.60})
    assert len(found) == 2
    assert found[0].startswith("nDCG@10 0.7790 < 基线 0.8000")
    assert found[1].startswith("MRR@10 0.6000")


def test_the_before_after_table() -> None:
    table = before_after(HELD, {"ndcg@10": 0.75, "recall@20": 0.95, "mrr@10": 0.70})
    assert "| nDCG@10 | 0.8000 | 0.7500 | -0.0500 |" in table
    assert "| Recall@20 | 0.9000 | 0.9500 | +0.0500 |" in table


def test_a_written_baseline_reads_back(tmp_path: Path) -> None:
    evaluation = make_harness().evaluate(EvalConfig(name="default"), select(unit_golden(), "test"))
    made = baseline_of(
        evaluation, split="test", command="funeng eval run", now=datetime(2026, 1, 1)
    )
    assert made.golden == "unit" and made.needs == 3 and made.answerable == 3
    assert set(made.metrics) == {"ndcg@10", "recall@20", "mrr@10"}
    write_baseline(tmp_path / "b.json", made)
    assert read_baseline(tmp_path / "b.json") == made
    assert regressions(made, evaluation.means) == []
