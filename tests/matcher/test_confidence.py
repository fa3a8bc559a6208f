"""The confidence signal by hand."""

from __future__ import annotations

import pytest

from matcher.confidence import ConfidenceConfig, confidence, dense_signal, term_coverage
from matcher.errors import InvalidInput

CFG = ConfidenceConfig(dense_floor=0.8, dense_ceiling=0.9, dense_weight=0.5, min_confidence=0.4)


def test_dense_signal_is_linear_between_floor_and_ceiling() -> None:
    assert dense_signal(0.85, CFG) == pytest.approx(0.5)
    assert dense_signal(0.70, CFG) == 0.0
    assert dense_signal(0.95, CFG) == 1.0


def test_term_coverage_weights_terms_by_idf_and_unseen_terms_heaviest() -> None:
    idf = {"a": 2.0, "b": 1.0}
    # c is in no document: weight 3.0. Total 6.
    assert term_coverage(["a", "b", "c"], {"a"}, idf, unseen_idf=3.0) == pytest.approx(2 / 6)
    assert term_coverage(["a", "b", "c", "a"], {"a", "b"}, idf, unseen_idf=3.0) == 0.5
    assert term_coverage([], {"a"}, idf, unseen_idf=3.0) == 0.0


def test_confidence_is_the_weighted_mean_of_the_available_signals() -> None:
    assert confidence(cosine=0.85, coverage=0.3, config=CFG) == pytest.approx(0.4)
    assert confidence(cosine=None, coverage=0.3, config=CFG) == pytest.approx(0.3)
    assert confidence(cosine=0.85, coverage=None, config=CFG) == pytest.approx(0.5)
    lexical_only = ConfidenceConfig(dense_weight=0.0)
    assert confidence(cosine=0.95, coverage=0.2, config=lexical_only) == pytest.approx(0.2)


def test_inconsistent_thresholds_are_refused() -> None:
    with pytest.raises(InvalidInput):
        ConfidenceConfig(dense_floor=0.9, dense_ceiling=0.8)
    with pytest.raises(InvalidInput):
        ConfidenceConfig(min_confidence=1.5)
