"""The frozen configuration of a match: which retrievers, how to fuse, aggregate, diversify."""

from __future__ import annotations

from dataclasses import dataclass, field

from matcher.aggregate import AGGREGATIONS, Aggregation
from matcher.confidence import ConfidenceConfig
from matcher.errors import InvalidInput
from matcher.fusion import NORMALISERS, FusionMethod, Normalisation

FUSION_METHODS: tuple[str, ...] = ("rrf", "weighted_rrf", "score")


@dataclass(frozen=True, slots=True)
class MatchConfig:
    """Everything a ranking depends on; the evaluation harness sweeps these fields.

    The defaults are a starting point, not a result: DESIGN.md asks for the default fusion to be
    the one the evaluation proves best.
    """

    use_bm25: bool = True
    use_dense: bool = True
    fusion: FusionMethod = "rrf"
    bm25_weight: float = 1.0
    dense_weight: float = 1.0
    rrf_k: int = 60
    normalisation: Normalisation = "min_max"
    bm25_depth: int = 100  # documents asked from each retriever before fusion
    dense_depth: int = 100
    case_aggregation: Aggregation = "max"
    case_decay: float = 0.1  # weight of the other documents under "max_plus"
    mmr_lambda: float | None = None  # None: ranking order; else MMR over `mmr_pool` candidates
    mmr_pool: int = 50
    allow_same_provider: bool = False  # MMR shortlists hold one resource per provider unless set
    confidence: ConfidenceConfig = field(default_factory=ConfidenceConfig)
    explain_limit: int = 30  # matched-term spans reported per document
    bundle_depth: int = 10  # resources considered per aspect of a bundle
    bundle_max_parts: int = 5
    # A resource covers an aspect when its quality there reaches this share of the best
    # candidate's (matcher/bundle.py); chosen on the dev split (0.6-0.9 alike).
    bundle_cover_share: float = 0.7

    def __post_init__(self) -> None:
        if not (self.use_bm25 or self.use_dense):
            raise InvalidInput("至少需要启用一种检索方式", code="invalid_match_config")
        if self.fusion not in FUSION_METHODS:
            raise InvalidInput(f"未知的融合方法：{self.fusion}", code="invalid_match_config")
        if self.normalisation not in NORMALISERS:
            raise InvalidInput(
                f"未知的归一化方法：{self.normalisation}", code="invalid_match_config"
            )
        if self.case_aggregation not in AGGREGATIONS:
            raise InvalidInput(
                f"未知的案例聚合方法：{self.case_aggregation}", code="invalid_match_config"
            )
        counts = (self.bm25_depth, self.dense_depth, self.mmr_pool, self.explain_limit)
        if min(counts) < 1 or self.rrf_k < 0 or min(self.bundle_depth, self.bundle_max_parts) < 1:
            raise InvalidInput("深度、数量类参数必须为正整数", code="invalid_match_config")
        if min(self.bm25_weight, self.dense_weight, self.case_decay) < 0:
            raise InvalidInput("权重不能为负数", code="invalid_match_config")
        if not 0.0 < self.bundle_cover_share <= 1.0:
            raise InvalidInput("组合覆盖比例必须大于 0 且不超过 1", code="invalid_match_config")
        if self.mmr_lambda is not None and not 0.0 <= self.mmr_lambda <= 1.0:
            raise InvalidInput("MMR 的 λ 必须在 0 到 1 之间", code="invalid_match_config")
