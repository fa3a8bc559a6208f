"""Case hits count for their resource; the best case is the evidence; priors demote and boost."""

from __future__ import annotations

import pytest

from matcher.aggregate import aggregate, apply_priors, resource_ranks
from matcher.errors import InvalidInput
from matcher.types import Document, Hit


def doc(doc_id: str, resource_id: str, kind: str = "case") -> Document:
    return Document(doc_id=doc_id, resource_id=resource_id, kind=kind, title=doc_id, text=doc_id)  # type: ignore[arg-type]


DOCS = {
    d.doc_id: d
    for d in [
        doc("R1", "R1", "resource"),
        doc("R1-c1", "R1"),
        doc("R1-c2", "R1"),
        doc("R2", "R2", "resource"),
        doc("R2-c1", "R2"),
        doc("R3-c1", "R3"),
    ]
}
# Fused document run: R2's case first, then R1's two cases, R1 itself, R3's case, R2 itself.
FUSED = [
    Hit("R2-c1", 0.9, 1),
    Hit("R1-c2", 0.8, 2),
    Hit("R1-c1", 0.7, 3),
    Hit("R1", 0.4, 4),
    Hit("R3-c1", 0.3, 5),
    Hit("R2", 0.1, 6),
]


def test_max_keeps_the_best_document_and_the_best_case_as_evidence() -> None:
    results = aggregate(FUSED, docs=DOCS, method="max")
    assert [(r.resource_id, r.score) for r in results] == [("R2", 0.9), ("R1", 0.8), ("R3", 0.3)]
    by_id = {r.resource_id: r for r in results}
    assert by_id["R1"].evidence_doc_id == "R1-c2"
    assert by_id["R1"].doc_ids == ("R1-c2", "R1-c1", "R1")
    assert by_id["R2"].evidence_doc_id == "R2-c1"
    assert by_id["R3"].evidence_doc_id == "R3-c1"


def test_sum_rewards_resources_with_many_matching_cases() -> None:
    results = aggregate(FUSED, docs=DOCS, method="sum")
    # R1: 0.8 + 0.7 + 0.4 = 1.9; R2: 0.9 + 0.1 = 1.0; R3: 0.3
    assert [r.resource_id for r in results] == ["R1", "R2", "R3"]
    assert results[0].score == pytest.approx(1.9)


def test_max_plus_adds_a_decayed_share_of_the_others() -> None:
    results = aggregate(FUSED, docs=DOCS, method="max_plus", decay=0.1)
    by_id = {r.resource_id: r.score for r in results}
    assert by_id["R1"] == pytest.approx(0.8 + 0.1 * (0.7 + 0.4))
    assert by_id["R2"] == pytest.approx(0.9 + 0.1 * 0.1)


def test_a_resource_found_only_through_itself_has_no_evidence_case() -> None:
    results = aggregate([Hit("R1", 0.5, 1)], docs=DOCS)
    assert results[0].evidence_doc_id is None


def test_priors_demote_warned_and_boost_priority_resources() -> None:
    results = aggregate(FUSED, docs=DOCS, method="max")
    adjusted = apply_priors(results, {"R2": 0.5, "R3": 3.0})
    # R2 0.9 * 0.5 = 0.45, R1 0.8, R3 0.3 * 3 = 0.9
    assert [(r.resource_id, round(r.score, 9)) for r in adjusted] == [
        ("R3", 0.9),
        ("R1", 0.8),
        ("R2", 0.45),
    ]


def test_priors_on_negative_scores_still_demote() -> None:
    results = aggregate([Hit("R1", -1.0, 1), Hit("R2", -1.2, 2)], docs=DOCS)
    adjusted = apply_priors(results, {"R1": 0.5})
    # R1: -1.0 / 0.5 = -2.0 now below R2's -1.2
    assert [r.resource_id for r in adjusted] == ["R2", "R1"]
    assert adjusted[1].score == pytest.approx(-2.0)


def test_resource_ranks_collapse_a_run_to_resources() -> None:
    ranks = resource_ranks(FUSED, docs=DOCS)
    assert {r: (h.rank, h.doc_id, h.score) for r, h in ranks.items()} == {
        "R2": (1, "R2-c1", 0.9),
        "R1": (2, "R1-c2", 0.8),
        "R3": (3, "R3-c1", 0.3),
    }


def test_unknown_aggregation_is_refused() -> None:
    with pytest.raises(InvalidInput):
        aggregate(FUSED, docs=DOCS, method="median")  # type: ignore[arg-type]
