"""Library entries as matcher documents: one resource document and one document per case.

The resource code is the matcher's `resource_id` (events and people name resources by code).
Document ids are stable across rebuilds, `AI-001` for the resource and `AI-001#case-17` for a
case, so an update replaces documents in place. Facets live on the resource document only: the
matcher evaluates filters on it for the whole resource. The library state becomes the prior
(Art.19(1) warned: demoted; Art.19(4) priority: boosted) and flags shown with the match.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from indexing.errors import IndexingError
from matcher.types import FLAG_PRIORITY, FLAG_WARNED, Document
from registry.enums import LibraryStatus
from registry.library import CaseView, LibraryEntryView
from registry.reference import INDUSTRIES

CASE_SEPARATOR = "#case-"
LIST_JOINER = "、"

# Chinese labels of the display fields, for people (the CLI, the web pages).
FIELD_LABELS: dict[str, str] = {
    "title": "名称",
    "directions": "赋能方向",
    "form": "资源形态",
    "industries": "适用行业",
    "summary": "简介",
    "advantages": "优势",
    "indicators": "技术指标",
    "scenarios": "应用场景",
    "keywords": "关键词",
    "provider": "申报单位",
    "consortium": "联合体成员",
    "client": "服务对象",
    "client_city": "所在城市",
    "client_industry": "所属行业",
    "implementation": "实施内容",
    "results": "实施成效",
    "feedback": "用户评价",
}


@dataclass(frozen=True, slots=True)
class DocumentFactors:
    """How the library state weighs on ranking (configured, recorded in snapshot manifests)."""

    warned_factor: float = 0.5  # < 1: a warned resource is demoted (Art.19(1))
    priority_boost: float = 1.2  # > 1: a priority resource is boosted (Art.19(4))

    def __post_init__(self) -> None:
        if not (math.isfinite(self.warned_factor) and 0 < self.warned_factor <= 1):
            raise IndexingError("预警降权系数必须在 (0, 1] 之间", code="invalid_factors")
        if not (math.isfinite(self.priority_boost) and self.priority_boost >= 1):
            raise IndexingError("优先推广加权系数必须不小于 1", code="invalid_factors")

    def as_dict(self) -> dict[str, float]:
        """Plain values for a manifest."""
        return {"warned_factor": self.warned_factor, "priority_boost": self.priority_boost}


def case_doc_id(resource_code: str, case_id: int) -> str:
    """The document id of a case."""
    return f"{resource_code}{CASE_SEPARATOR}{case_id}"


def industry_label(code: str) -> str:
    """`C39 计算机、通信和其他电子设备制造业` for a known code, the value itself otherwise."""
    name = INDUSTRIES.get(code)
    return f"{code} {name}" if name else code


def prior_and_flags(
    view: LibraryEntryView, factors: DocumentFactors
) -> tuple[float, tuple[str, ...]]:
    """The ranking prior and the flags of an entry, from its library state."""
    prior, flags = 1.0, []
    if view.status is LibraryStatus.WARNED:
        prior *= factors.warned_factor
        flags.append(FLAG_WARNED)
    if view.priority:
        prior *= factors.priority_boost
        flags.append(FLAG_PRIORITY)
    return prior, tuple(flags)


def entry_documents(view: LibraryEntryView, factors: DocumentFactors) -> list[Document]:
    """The resource document of an entry, then one document per case."""
    if view.status not in (LibraryStatus.CERTIFIED, LibraryStatus.WARNED):
        # registry.library.entries never returns these; an index must never hold one.
        raise IndexingError(
            f"资源 {view.resource_code} 不在资源库中（{view.status}），不能建立索引",
            code="not_in_library",
        )
    prior, flags = prior_and_flags(view, factors)
    docs = [_resource_document(view, prior, flags)]
    docs += [_case_document(view, case, flags) for case in view.cases]
    return docs


def library_documents(
    views: Iterable[LibraryEntryView], factors: DocumentFactors
) -> list[Document]:
    """Documents of many entries, in the order given."""
    return [doc for view in views for doc in entry_documents(view, factors)]


def _resource_document(view: LibraryEntryView, prior: float, flags: tuple[str, ...]) -> Document:
    fields = _present(
        ("directions", LIST_JOINER.join(view.directions)),
        ("form", view.form),
        ("industries", "；".join(industry_label(c) for c in view.industries)),
        ("summary", view.summary),
        ("advantages", view.advantages),
        ("indicators", view.indicators),
        ("scenarios", view.scenarios),
        ("keywords", LIST_JOINER.join(view.keywords)),
        ("provider", view.provider_name),
        ("consortium", LIST_JOINER.join(view.consortium_names)),
    )
    return Document(
        doc_id=view.resource_code,
        resource_id=view.resource_code,
        kind="resource",
        title=view.title,
        text=_text(view.title, fields),
        fields=fields,
        facets={
            "direction": view.directions,
            "form": (view.form,),
            "industry": view.industries,
            "city": (view.provider_city,),
            "provider_type": (view.provider_type,),
            "status": (view.status.value,),
        },
        provider_id=str(view.provider_id),
        prior=prior,
        flags=flags,
    )


def _case_document(view: LibraryEntryView, case: CaseView, flags: tuple[str, ...]) -> Document:
    fields = _present(
        ("client", case.client),
        ("client_city", case.client_city),
        ("client_industry", industry_label(case.client_industry)),
        ("implementation", case.implementation),
        ("results", case.results),
        ("feedback", case.feedback),
    )
    return Document(
        doc_id=case_doc_id(view.resource_code, case.id),
        resource_id=view.resource_code,
        kind="case",
        title=case.title,
        text=_text(case.title, fields),
        fields=fields,
        provider_id=str(view.provider_id),
        flags=flags,
    )


def _present(*fields: tuple[str, str]) -> tuple[tuple[str, str], ...]:
    return tuple((name, text.strip()) for name, text in fields if text and text.strip())


def _text(title: str, fields: tuple[tuple[str, str], ...]) -> str:
    # One line per field: BM25 and the encoder see every searchable word, and no two fields
    # run together into a word neither contains.
    return "\n".join([title.strip(), *(text for _, text in fields)])
