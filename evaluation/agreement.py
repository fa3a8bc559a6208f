"""Inter-judge agreement on the golden set: Cohen's kappa, unweighted or weighted.

κ = 1 − Σ w_ij·O_ij / Σ w_ij·E_ij (Cohen 1960; weighted form Cohen 1968), with O the observed
confusion matrix of two judges' grades, E = outer(row sums, column sums) / n the matrix
expected by chance, and disagreement weights w_ij = [i ≠ j] (unweighted), |i − j| / (k − 1)
(linear) or ((i − j) / (k − 1))² (quadratic).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Literal

import numpy as np

Weighting = Literal["none", "linear", "quadratic"]


def cohen_kappa(
    first: Sequence[int], second: Sequence[int], *, levels: int = 4, weights: Weighting = "none"
) -> float:
    """Cohen's kappa of two judges' grades (0..levels-1) on the same items."""
    if len(first) != len(second) or not first:
        raise ValueError("two non-empty grade sequences of equal length are needed")
    observed = np.zeros((levels, levels))
    for a, b in zip(first, second, strict=True):
        observed[a, b] += 1
    expected = np.outer(observed.sum(axis=1), observed.sum(axis=0)) / observed.sum()
    i, j = np.indices((levels, levels))
    if weights == "none":
        w = (i != j).astype(float)
    elif weights == "linear":
        w = np.abs(i - j) / (levels - 1)
    else:
        w = ((i - j) / (levels - 1)) ** 2
    chance = float((w * expected).sum())
    return 1.0 if chance == 0 else 1.0 - float((w * observed).sum()) / chance


def paired_grades(
    first: Mapping[tuple[str, str], int], second: Mapping[tuple[str, str], int]
) -> tuple[list[int], list[int]]:
    """The grades both judgement sets give to the (query_id, resource_id) pairs they share."""
    shared = sorted(set(first) & set(second))
    return [first[p] for p in shared], [second[p] for p in shared]
