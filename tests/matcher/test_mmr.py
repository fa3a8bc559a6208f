"""MMR shortlists by hand."""

from __future__ import annotations

import numpy as np
import pytest

from matcher.errors import InvalidInput
from matcher.mmr import mmr

RELEVANCE = [1.0, 0.9, 0.8, 0.1]  # normalised to 1, 0.889, 0.778, 0
SIMILARITY = np.array(
    [
        [1.0, 0.95, 0.1, 0.0],  # 0 and 1 are near-duplicates
        [0.95, 1.0, 0.2, 0.0],
        [0.1, 0.2, 1.0, 0.0],
        [0.0, 0.0, 0.0, 1.0],
    ]
)


def test_lambda_one_is_the_relevance_order() -> None:
    assert mmr(RELEVANCE, SIMILARITY, k=4, lambda_=1.0, allow_same_group=True) == [0, 1, 2, 3]


def test_mmr_by_hand() -> None:
    # λ = 0.5. Step 1: 0. Step 2: 1 -> .5·.889 − .5·.95 = −.031, 2 -> .5·.778 − .5·.1 = .339,
    # 3 -> 0 − 0 = 0: pick 2. Step 3: 1 -> −.031 (max sim .95), 3 -> 0: pick 3. Then 1.
    assert mmr(RELEVANCE, SIMILARITY, k=4, lambda_=0.5) == [0, 2, 3, 1]
    assert mmr(RELEVANCE, SIMILARITY, k=2, lambda_=0.5) == [0, 2]


def test_lambda_zero_only_avoids_redundancy() -> None:
    # Step 1: all values 0 -> first index. Then the least similar to {0}: 3 (0.0), then 2 (0.1).
    assert mmr(RELEVANCE, SIMILARITY, k=3, lambda_=0.0) == [0, 3, 2]


def test_one_resource_per_provider_unless_asked() -> None:
    providers = ["P1", "P2", "P1", "P3"]
    assert mmr(RELEVANCE, SIMILARITY, k=4, lambda_=1.0, groups=providers) == [0, 1, 3]
    allowed = mmr(RELEVANCE, SIMILARITY, k=4, lambda_=1.0, groups=providers, allow_same_group=True)
    assert allowed == [0, 1, 2, 3]
    # An unknown provider ("") never blocks.
    assert mmr(RELEVANCE, SIMILARITY, k=4, lambda_=1.0, groups=["", "", "", ""]) == [0, 1, 2, 3]


def test_equal_relevance_and_empty_input() -> None:
    assert mmr([0.5, 0.5], np.eye(2), k=2, lambda_=0.7) == [0, 1]
    assert mmr([], np.zeros((0, 0)), k=3, lambda_=0.5) == []


def test_bad_arguments_are_refused() -> None:
    with pytest.raises(InvalidInput):
        mmr(RELEVANCE, np.eye(3), k=2, lambda_=0.5)
    with pytest.raises(InvalidInput):
        mmr(RELEVANCE, SIMILARITY, k=2, lambda_=1.5)
