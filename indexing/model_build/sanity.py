"""A quick check that an encoder embeds sensibly: unit-norm vectors of the declared size, and a
manufacturing need closer to the resource that fits it than to unrelated ones."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from matcher.types import Encoder

SANITY_QUERY = "我们是东莞的注塑厂，想用机器视觉做外观缺陷检测"
SANITY_RELATED = "基于深度学习的机器视觉外观缺陷检测系统，适用于注塑件、五金件表面划痕和缺料检测"
SANITY_UNRELATED = (
    "跨境电商直播带货与海外社媒营销培训服务",
    "企业财务共享中心与税务筹划咨询",
)


@dataclass(frozen=True, slots=True)
class SanityReport:
    """Cosines of the sanity query with each passage (related first) and what went wrong."""

    dimension: int
    similarities: tuple[tuple[str, float], ...]
    problems: tuple[str, ...]

    @property
    def passed(self) -> bool:
        """True when nothing went wrong."""
        return not self.problems


def sanity_check(encoder: Encoder) -> SanityReport:
    """Embed the sanity query and passages and check norms, size and ordering."""
    passages = (SANITY_RELATED, *SANITY_UNRELATED)
    query = encoder.encode_queries([SANITY_QUERY])
    docs = encoder.encode_passages(list(passages))
    problems: list[str] = []
    if query.shape != (1, encoder.dimension) or docs.shape != (len(passages), encoder.dimension):
        problems.append(f"向量形状异常：{query.shape}、{docs.shape}，维度应为 {encoder.dimension}")
        return SanityReport(encoder.dimension, (), tuple(problems))
    vectors = np.vstack([query, docs])
    if vectors.dtype != np.float32 or not np.all(np.isfinite(vectors)):
        problems.append(f"向量类型或数值异常（{vectors.dtype}）")
    elif not np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-3):
        problems.append("向量未归一化")
    cosines = (docs @ query[0]).astype(float)
    if cosines[0] <= float(np.max(cosines[1:])):
        problems.append("相关文本的相似度没有高于无关文本")
    similarities = tuple((text, float(c)) for text, c in zip(passages, cosines, strict=True))
    return SanityReport(encoder.dimension, similarities, tuple(problems))
