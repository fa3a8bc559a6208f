"""Metric values worked out by hand, so that a wrong ranx call (metric name, relevance level,
query order) cannot hide; and our figures equal ranx's own on the same qrels and run."""

from __future__ import annotations

from math import isclose, log2

import pytest
from ranx import Qrels, Run, evaluate

from evaluation.metrics import METRICS, RELEVANT_GRADE, means, per_query, ranx_name, ranx_run

# q1: grades A=3, B=2, C=1, D=0, E=2 -> relevant (grade >= 2): A, B, E.
# Ranked: D A C B x1..x7 E (x = never judged). E is 12th.
# q2: grades F=1, G=2 -> relevant: G only. Ranked: F H G.
QRELS = {
    "q1": {"A": 3, "B": 2, "C": 1, "D": 0, "E": 2},
    "q2": {"F": 1, "G": 2},
}
RUN = {
    "q1": ["D", "A", "C", "B", *[f"x{i}" for i in range(1, 8)], "E"],
    "q2": ["F", "H", "G"],
}

# nDCG, linear gains, log2(rank + 1) discount.
# q1 DCG@5  = 0/1 + 3/log2(3) + 1/log2(4) + 2/log2(5) + 0
#    IDCG@5 = ideal grades 3, 2, 2, 1, 0 = 3/1 + 2/log2(3) + 2/log2(4) + 1/log2(5)
Q1_DCG10 = 3 / log2(3) + 1 / log2(4) + 2 / log2(5)
Q1_IDCG = 3 + 2 / log2(3) + 2 / log2(4) + 1 / log2(5)
# q1 DCG@20 adds E (grade 2) at rank 12: 2/log2(13); the ideal is unchanged (4 graded items).
Q1_DCG20 = Q1_DCG10 + 2 / log2(13)
# q2 DCG@5 = 1/1 + 0 + 2/log2(4) = 2; IDCG = 2/1 + 1/log2(3)
Q2_NDCG = 2 / (2 + 1 / log2(3))

EXPECTED = {
    "q1": {
        "ndcg@5": Q1_DCG10 / Q1_IDCG,  # ≈ 0.5717
        "ndcg@10": Q1_DCG10 / Q1_IDCG,  # x1..x6 add nothing
        "ndcg@20": Q1_DCG20 / Q1_IDCG,  # ≈ 0.6666
        "mrr@10": 1 / 2,  # first grade >= 2 is A at rank 2 (D at 1 is grade 0)
        "recall@10": 2 / 3,  # A, B of A, B, E
        "recall@20": 1.0,
        "recall@50": 1.0,
        "precision@5": 2 / 5,  # A, B in the top 5
        "map": (1 / 2 + 2 / 4 + 3 / 12) / 3,  # P at ranks 2, 4, 12 over 3 relevant = 0.41667
    },
    "q2": {
        "ndcg@5": Q2_NDCG,  # ≈ 0.7602
        "ndcg@10": Q2_NDCG,
        "ndcg@20": Q2_NDCG,
        "mrr@10": 1 / 3,  # F (grade 1) at rank 1 does not count: G at rank 3
        "recall@10": 1.0,
        "recall@20": 1.0,
        "recall@50": 1.0,
        "precision@5": 1 / 5,
        "map": 1 / 3,
    },
}


def test_hand_worked_values_per_query() -> None:
    scores = per_query(QRELS, RUN)
    assert set(scores) == set(METRICS)
    for query_id, expected in EXPECTED.items():
        for metric, value in expected.items():
            assert isclose(scores[metric][query_id], value, abs_tol=1e-9), (query_id, metric)


def test_hand_worked_means() -> None:
    averaged = means(per_query(QRELS, RUN))
    assert isclose(averaged["mrr@10"], (1 / 2 + 1 / 3) / 2)
    assert isclose(averaged["recall@10"], (2 / 3 + 1) / 2)
    assert isclose(averaged["ndcg@10"], (Q1_DCG10 / Q1_IDCG + Q2_NDCG) / 2)


def test_the_relevance_level_is_two_for_binary_metrics() -> None:
    """ranx's default level (grade >= 1) would credit F at rank 1 of q2: MRR 1, not 1/3."""
    assert RELEVANT_GRADE == 2
    assert ranx_name("mrr@10") == "mrr@10-l2"
    assert ranx_name("ndcg@10") == "ndcg@10"
    default = evaluate(Qrels.from_dict(QRELS), ranx_run(RUN, name="r"), "mrr@10", return_mean=False)
    assert list(default) == [0.5, 1.0]


def test_scores_map_back_to_query_ids_whatever_their_order() -> None:
    """ranx sorts queries internally; ids that sort differently must not swap scores."""
    qrels = {"q10": {"A": 3}, "q9": {"B": 3}, "q2": {"C": 3}}
    run = {"q10": ["A"], "q9": ["x", "B"], "q2": ["x", "y", "z", "C"]}
    scores = per_query(qrels, run, metrics=["mrr@10"])
    assert scores["mrr@10"] == {"q10": 1.0, "q9": 0.5, "q2": 0.25}


def test_a_need_missing_from_the_run_scores_zero() -> None:
    scores = per_query(QRELS, {"q1": RUN["q1"]})
    assert scores["ndcg@10"]["q2"] == 0.0
    assert scores["recall@50"]["q2"] == 0.0


def test_our_order_is_kept_even_when_real_scores_tie() -> None:
    """Runs carry ranks as scores n..1: ranx cannot reorder resources the matcher tied."""
    run = ranx_run({"q": ["B", "A", "C"]}, name="r")
    assert run.to_dict()["q"] == {"B": 3.0, "A": 2.0, "C": 1.0}


@pytest.mark.parametrize("metric", METRICS)
def test_equal_to_ranx_on_a_run_with_real_scores(metric: str) -> None:
    """The same qrels and the same ranking given to ranx directly give the same figure."""
    real = {
        "q1": {doc: 1.0 - 0.05 * i for i, doc in enumerate(RUN["q1"])},
        "q2": {"F": 0.9, "H": 0.5, "G": 0.1},
    }
    theirs = evaluate(Qrels.from_dict(QRELS), Run.from_dict(real), ranx_name(metric))
    ours = means(per_query(QRELS, RUN, metrics=[metric]))[metric]
    assert isclose(ours, float(theirs), abs_tol=1e-12)
