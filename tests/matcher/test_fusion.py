"""Fusion functions against values worked out by hand (RRF and min-max also agree with ranx)."""

from __future__ import annotations

import math

import pytest

from matcher.errors import InvalidInput
from matcher.fusion import fuse, min_max, rrf, weighted_rrf, weighted_score_fusion, z_score
from matcher.types import Hit


def run(*pairs: tuple[str, float]) -> list[Hit]:
    return [Hit(doc_id=d, score=s, rank=r) for r, (d, s) in enumerate(pairs, start=1)]


A = run(("a", 10.0), ("b", 6.0), ("c", 2.0))
B = run(("b", 0.9), ("d", 0.7), ("a", 0.5))


def scores(hits: list[Hit]) -> dict[str, float]:
    return {h.doc_id: h.score for h in hits}


def test_rrf_by_hand() -> None:
    fused = rrf([A, B])
    # a: 1/61 + 1/63, b: 1/62 + 1/61, c: 1/63, d: 1/62
    assert [h.doc_id for h in fused] == ["b", "a", "d", "c"]
    assert scores(fused) == pytest.approx(
        {"a": 1 / 61 + 1 / 63, "b": 1 / 62 + 1 / 61, "c": 1 / 63, "d": 1 / 62}
    )
    assert [h.rank for h in fused] == [1, 2, 3, 4]
    assert scores(fused)["b"] == pytest.approx(0.03252247488101534)  # ranx.fuse(method="rrf")


def test_rrf_k_changes_the_scores() -> None:
    assert scores(rrf([A, B], k=0))["a"] == pytest.approx(1 / 1 + 1 / 3)


def test_weighted_rrf_by_hand() -> None:
    fused = weighted_rrf([A, B], [2.0, 1.0])
    # a: 2/61 + 1/63 = 0.0486599 beats b: 2/62 + 1/61 = 0.0486515
    assert [h.doc_id for h in fused] == ["a", "b", "c", "d"]
    assert scores(fused)["a"] == pytest.approx(2 / 61 + 1 / 63)
    assert scores(fused)["b"] == pytest.approx(2 / 62 + 1 / 61)


def test_min_max_by_hand() -> None:
    assert min_max(A) == {"a": 1.0, "b": 0.5, "c": 0.0}
    assert min_max(run(("x", 3.0), ("y", 3.0))) == {"x": 1.0, "y": 1.0}
    assert min_max([]) == {}


def test_z_score_by_hand() -> None:
    z = z_score(A)  # mean 6, population std sqrt(32/3)
    assert z["a"] == pytest.approx(4 / math.sqrt(32 / 3))
    assert z["b"] == pytest.approx(0.0)
    assert z["c"] == pytest.approx(-4 / math.sqrt(32 / 3))
    assert z_score(run(("x", 3.0))) == {"x": 0.0}


def test_weighted_min_max_fusion_by_hand() -> None:
    # A -> a 1, b 0.5, c 0; B -> b 1, d 0.5, a 0; absent documents score 0.
    fused = weighted_score_fusion([A, B], [1.0, 1.0], normalisation="min_max")
    assert [h.doc_id for h in fused] == ["b", "a", "d", "c"]
    assert scores(fused) == pytest.approx({"a": 1.0, "b": 1.5, "c": 0.0, "d": 0.5})
    fused = weighted_score_fusion([A, B], [3.0, 1.0], normalisation="min_max")
    assert scores(fused) == pytest.approx({"a": 3.0, "b": 2.5, "c": 0.0, "d": 0.5})
    assert [h.doc_id for h in fused] == ["a", "b", "d", "c"]


def test_weighted_z_score_fusion_by_hand() -> None:
    # Both runs have z = (+1.2247, 0, -1.2247); an absent document takes the run's worst z - 1.
    z = 4 / math.sqrt(32 / 3)
    fused = weighted_score_fusion([A, B], [1.0, 1.0], normalisation="z_score")
    expected = {"a": z - z, "b": 0.0 + z, "c": -z + (-z - 1), "d": (-z - 1) + 0.0}
    assert scores(fused) == pytest.approx(expected, abs=1e-12)
    assert [h.doc_id for h in fused] == ["b", "a", "d", "c"]


def test_ties_are_broken_by_best_rank_then_doc_id() -> None:
    x_first = run(("x", 1.0), ("y", 0.5))
    y_first = run(("y", 1.0), ("x", 0.5))
    assert [h.doc_id for h in rrf([y_first, x_first])] == ["x", "y"]
    one = run(("z", 1.0), ("w", 0.5))
    two = run(("q", 1.0))
    # z and q both 1/61; z and q share best rank 1 -> doc_id order; w last.
    assert [h.doc_id for h in rrf([one, two])] == ["q", "z", "w"]


def test_single_run_keeps_its_order() -> None:
    for method in ("rrf", "weighted_rrf", "score"):
        fused = fuse([A], method=method, weights=[1.0])
        assert [h.doc_id for h in fused] == ["a", "b", "c"]


def test_empty_runs_fuse_to_nothing() -> None:
    assert rrf([[], []]) == []
    assert weighted_score_fusion([[], []], [1.0, 1.0]) == []


def test_bad_arguments_are_refused() -> None:
    with pytest.raises(InvalidInput):
        weighted_rrf([A, B], [1.0])
    with pytest.raises(InvalidInput):
        weighted_rrf([A], [-1.0])
    with pytest.raises(InvalidInput):
        fuse([A], method="borda", weights=[1.0])  # type: ignore[arg-type]
    with pytest.raises(InvalidInput):
        weighted_score_fusion([A], [1.0], normalisation="rank")  # type: ignore[arg-type]
