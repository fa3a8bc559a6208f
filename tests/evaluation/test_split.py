"""The dev / test split: a fixed function of the query id, about 30% test, stable for ever."""

from __future__ import annotations

import hashlib

import pytest

from evaluation.errors import EvaluationError
from evaluation.split import SPLIT_SEED, TEST_FRACTION, select, split_of
from tests.evaluation.world import unit_golden


def test_the_split_is_the_documented_hash() -> None:
    """Recomputed from the formula in the docstring, independently of the implementation."""
    for query_id in ("U01", "U13", "N-0042", "需求-7"):
        digest = hashlib.sha256(f"funeng-split-v1:{query_id}".encode()).hexdigest()
        expected = "test" if int(digest[:8], 16) / 2**32 < 0.3 else "dev"
        assert split_of(query_id) == expected
    assert (SPLIT_SEED, TEST_FRACTION) == ("funeng-split-v1", 0.3)


def test_pinned_sides_never_move() -> None:
    """Changing the seed or the formula would move these: that is a new split, on purpose."""
    assert [split_of(f"U{i:02d}") for i in (1, 12, 13, 19, 22)] == [
        "dev", "dev", "test", "test", "test",
    ]  # fmt: skip


def test_about_thirty_percent_of_many_ids_are_test() -> None:
    share = sum(split_of(f"q{i}") == "test" for i in range(5000)) / 5000
    assert 0.28 < share < 0.32


def test_select_partitions_the_golden_set() -> None:
    golden = unit_golden()
    dev, test = select(golden, "dev"), select(golden, "test")
    assert test.query_ids() == ["U13", "U19", "U22"]
    assert sorted(dev.query_ids() + test.query_ids()) == sorted(golden.query_ids())
    assert set(test.qrels) == set(test.query_ids())
    assert select(golden, "all") is golden
    assert dev.name == "unit:dev"


def test_an_unknown_split_is_refused() -> None:
    with pytest.raises(EvaluationError, match="未知的划分"):
        select(unit_golden(), "train")
