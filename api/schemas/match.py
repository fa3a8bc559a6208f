"""The need search: a need in Chinese with filters, answered with ranked resources and the
reasons each one matched (highlighted terms, the evidence case, every retriever's rank), or
"no suitable resource" with an explanation.

Everything shown comes from the certified library's public fields: never evidence files,
finances, contacts or unpublished applications.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BeforeValidator, Field, StringConstraints

from api.ranking import NAME_PATTERN
from api.schemas.common import InputSchema, ReadSchema
from api.schemas.library import IndustryRead

MAX_NEED_CHARS = 2000


def _as_list(value: object) -> object:
    """A single value is a list of one (`"city": "东莞"` as well as `["东莞", "佛山"]`)."""
    return [value] if isinstance(value, str) else value


FacetValues = Annotated[
    list[Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60)]],
    BeforeValidator(_as_list),
    Field(max_length=30),
]


class MatchFilters(InputSchema):
    """Allowed values per facet: any value within a facet, every facet given."""

    direction: FacetValues = Field(
        default_factory=list, description="第五条赋能方向，如 人工智能应用"
    )
    form: FacetValues = Field(default_factory=list, description="资源形态，如 标准化产品")
    industry: FacetValues = Field(
        default_factory=list, description="适用行业：GB/T 4754 代码（C39）或名称"
    )
    city: FacetValues = Field(default_factory=list, description="申报单位所在城市：东莞 或 东莞市")
    provider_type: FacetValues = Field(default_factory=list, description="申报单位类型，如 企业")


class MatchRequest(InputSchema):
    """A need to match."""

    need: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_NEED_CHARS)
    ] = Field(examples=["我们是东莞的注塑厂，想用机器视觉做外观缺陷检测"])
    filters: MatchFilters = Field(default_factory=MatchFilters)
    k: int = Field(default=10, ge=1, le=50, description="返回的资源数")
    config: str | None = Field(
        default=None,
        pattern=NAME_PATTERN,
        description="排序配置名（evaluation/configs/ 下的文件名，不含 .yaml）；缺省为 default",
    )
    bundle: bool = Field(default=False, description="多方面需求：返回覆盖各方面的资源组合")


class SpanRead(ReadSchema):
    """A matched term: `text[start:end]` of its field."""

    start: int
    end: int
    term: str


class FieldRead(ReadSchema):
    """A displayed text with the matched terms in it."""

    name: str = Field(examples=["summary"])
    label: str = Field(examples=["简介"])
    text: str
    highlights: list[SpanRead]


class RetrieverRead(ReadSchema):
    """How one retriever ranked the resource (its best document)."""

    name: str = Field(examples=["bm25"])
    label: str = Field(examples=["关键词（BM25）"])
    rank: int
    score: float


class EvidenceCaseRead(ReadSchema):
    """The application case that matched the need best (佐证案例)."""

    case_id: int
    title: FieldRead
    client: str
    client_city: str
    client_industry: str
    results_excerpt: FieldRead = Field(description="实施成效摘录（高亮位置对应摘录文本）")
    fields: list[FieldRead]


class ResourceMatchRead(ReadSchema):
    """A matched resource and why it matched."""

    rank: int
    code: str
    title: FieldRead
    directions: list[str]
    form: str
    industries: list[IndustryRead]
    provider_name: str
    provider_city: str
    provider_type: str
    score: float
    confidence: float = Field(description="0–1：匹配有多可靠（非排名）")
    flags: list[str] = Field(description="warned 预警 / priority 优先推广 / low_confidence")
    warned: bool = Field(description="已预警（第十九条第（一）项）：仍可检索，排序降权")
    priority: bool = Field(description="优先推广（第十九条第（四）项）：排序加权")
    matched_terms: list[str] = Field(description="需求中在资源或案例里找到的词")
    retrievers: list[RetrieverRead]
    fields: list[FieldRead] = Field(description="资源的公开字段（高亮位置对应各字段文本）")
    evidence: EvidenceCaseRead | None
    detail_url: str


class BundlePartRead(ReadSchema):
    """One resource of a bundle and the aspects of the need it covers."""

    code: str
    aspects: list[int] = Field(description="覆盖的方面在 aspects 中的位置")


class BundleRead(ReadSchema):
    """Complementary resources that together cover a multi-aspect need (第五条 综合赋能)."""

    aspects: list[str]
    parts: list[BundlePartRead]
    uncovered: list[int]


class MatchResultRead(ReadSchema):
    """Ranked resources for a need, or no suitable resource and why."""

    need: str
    config: str
    results: list[ResourceMatchRead]
    no_suitable_resource: bool
    reason: str = Field(description="ok / empty_query / no_candidates / low_confidence")
    message: str | None = Field(description="暂无合适资源时的中文说明")
    advice: list[str]
    bundle: BundleRead | None = None
    corpus_version: int = Field(description="索引反映到的资源库事件编号")
