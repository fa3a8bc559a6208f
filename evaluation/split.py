"""The fixed dev / test split of a golden set: a seeded hash of the query id, never a random draw.

split_of(q) = "test" when int(sha256(f"{SPLIT_SEED}:{q}")[:8], 16) / 2**32 < TEST_FRACTION,
else "dev". A query keeps its side forever (adding needs never moves old ones), and nobody can
choose which needs land in test. Dev is for tuning (sweeps choose on it); test is for
reporting only. Changing SPLIT_SEED or TEST_FRACTION is a new split: old test figures no longer
compare, so name the new seed `funeng-split-v2` and re-create the baseline.
"""

from __future__ import annotations

import hashlib
from typing import Literal

from evaluation.errors import EvaluationError
from evaluation.golden import GoldenSet

SPLIT_SEED = "funeng-split-v1"
TEST_FRACTION = 0.3
Split = Literal["dev", "test"]
SPLITS: tuple[str, ...] = ("dev", "test", "all")


def split_of(query_id: str) -> Split:
    """The side of the split a query id is on."""
    digest = hashlib.sha256(f"{SPLIT_SEED}:{query_id}".encode()).hexdigest()
    return "test" if int(digest[:8], 16) / 2**32 < TEST_FRACTION else "dev"


def select(golden: GoldenSet, split: str) -> GoldenSet:
    """The queries of one side ("dev", "test") or all of them ("all"), named accordingly."""
    if split not in SPLITS:
        raise EvaluationError(f"未知的划分：{split}（可选 dev、test、all）", code="unknown_split")
    if split == "all":
        return golden
    ids = [q for q in golden.query_ids() if split_of(q) == split]
    return golden.subset(ids, name=f"{golden.name}:{split}")
