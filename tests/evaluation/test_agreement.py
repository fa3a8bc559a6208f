"""Cohen's kappa against hand-worked values."""

from __future__ import annotations

import pytest

from evaluation.agreement import cohen_kappa, paired_grades


def test_unweighted_kappa_hand_worked() -> None:
    # Two judges, 10 items, grades 0/1 (levels=2). Observed: both 0 on 4, both 1 on 4, (0,1) on
    # 1, (1,0) on 1 -> p_o = 0.8. Marginals 5/5 and 5/5 -> p_e = 0.5. κ = (0.8-0.5)/(1-0.5) = 0.6.
    first = [0, 0, 0, 0, 1, 1, 1, 1, 0, 1]
    second = [0, 0, 0, 0, 1, 1, 1, 1, 1, 0]
    assert cohen_kappa(first, second, levels=2) == pytest.approx(0.6)


def test_weighted_kappa_hand_worked() -> None:
    # Grades 0..3 on four items: (0,0), (3,3), (0,1), (3,1). Observed weighted disagreement with
    # quadratic weights ((i-j)/3)²: (0,1) -> 1/9, (3,1) -> 4/9; sum 5/9.
    # Row sums: grade 0 twice, grade 3 twice; column sums: 0 once, 1 twice, 3 once; n = 4.
    # Expected cells E[i][j] = r_i c_j / 4: E[0][0]=0.5, E[0][1]=1, E[0][3]=0.5, E[3][0]=0.5,
    # E[3][1]=1, E[3][3]=0.5; weighted: 0.5·0 + 1·1/9 + 0.5·1 + 0.5·1 + 1·4/9 + 0.5·0 = 14/9.
    # κ = 1 - (5/9)/(14/9) = 9/14.
    first, second = [0, 3, 0, 3], [0, 3, 1, 1]
    assert cohen_kappa(first, second, weights="quadratic") == pytest.approx(9 / 14)


def test_perfect_and_chance() -> None:
    assert cohen_kappa([0, 1, 2, 3], [0, 1, 2, 3]) == pytest.approx(1.0)
    assert cohen_kappa([0, 0, 1, 1], [0, 1, 0, 1], levels=2) == pytest.approx(0.0)


def test_paired_grades_only_shared_pairs() -> None:
    a = {("N1", "R1"): 3, ("N1", "R2"): 0}
    b = {("N1", "R2"): 1, ("N2", "R1"): 2}
    assert paired_grades(a, b) == ([0], [1])


def test_refuses_mismatched_input() -> None:
    with pytest.raises(ValueError):
        cohen_kappa([0, 1], [0])
