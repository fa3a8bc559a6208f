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


@pytest.mark.parametrize(
    ("cosine", "coverage", "confident"),
    [
        # (best cosine, coverage) of the hardest needs of the calibration on the demo library
        (0.898, 1.000, True),  # 想做独立站和谷歌广告获客
        (0.904, 0.507, True),  # 我们是东莞的注塑厂，想用机器视觉做外观缺陷检测
        (0.909, 0.634, True),  # 快消品经销商管理系统
        (0.858, 0.796, False),  # 员工宿舍需要租房
        (0.879, 0.512, False),  # 医院挂号系统开发
        (0.883, 0.056, False),  # 养猪场自动喂料系统
    ],
)
def test_default_thresholds_separate_the_calibration_needs(
    cosine: float, coverage: float, confident: bool
) -> None:
    config = ConfidenceConfig()
    value = confidence(cosine=cosine, coverage=coverage, config=config)
    assert (value >= config.min_confidence) is confident
