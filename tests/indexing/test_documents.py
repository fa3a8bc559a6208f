"""Library entries become matcher documents: fields, facets, priors and flags."""

from __future__ import annotations

from dataclasses import replace

import pytest

from indexing.build import IndexParts, build_matcher
from indexing.documents import (
    DocumentFactors,
    case_doc_id,
    entry_documents,
    industry_label,
    library_documents,
)
from indexing.errors import IndexingError
from registry.enums import LibraryStatus
from tests.indexing.conftest import FACTORS
from tests.indexing.views import case, entry


def test_resource_document_fields_facets_and_text() -> None:
    view = entry(
        "AI-001",
        "机器视觉外观缺陷检测系统",
        "机器视觉缺陷检测",
        directions=("人工智能应用", "制造生产"),
        keywords=("机器视觉", "缺陷检测"),
        consortium_names=("岭南理工大学", "东莞检测中心"),
    )
    resource, *cases = entry_documents(view, FACTORS)
    assert (resource.doc_id, resource.resource_id, resource.kind) == (
        "AI-001",
        "AI-001",
        "resource",
    )
    assert resource.title == "机器视觉外观缺陷检测系统"
    assert dict(resource.fields) == {
        "directions": "人工智能应用、制造生产",
        "form": "标准化产品",
        "industries": "C29 橡胶和塑料制品业；C39 计算机、通信和其他电子设备制造业",
        "summary": "机器视觉缺陷检测",
        "advantages": "部署快、检出率高",
        "indicators": "节拍 200ms",
        "scenarios": "外观检测",
        "keywords": "机器视觉、缺陷检测",
        "provider": "东莞测试科技有限公司1",
        "consortium": "岭南理工大学、东莞检测中心",
    }
    assert dict(resource.facets) == {
        "direction": ("人工智能应用", "制造生产"),
        "form": ("标准化产品",),
        "industry": ("C29", "C39"),
        "city": ("东莞市",),
        "provider_type": ("企业",),
        "status": ("certified",),
    }
    assert resource.provider_id == "101"
    assert (resource.prior, resource.flags) == (1.0, ())
    # Every searchable field is in the text, the industries with their Chinese names.
    for needle in ("机器视觉外观缺陷检测系统", "橡胶和塑料制品业", "东莞测试科技", "岭南理工大学"):
        assert needle in resource.text
    assert [c.kind for c in cases] == ["case"]


def test_case_documents() -> None:
    view = entry(
        "AI-001",
        "视觉检测",
        "缺陷检测",
        cases=(
            case(7, "注塑件外观检测", "部署 8 个检测工位", client="东莞某塑胶厂"),
            case(9, "五金件检测", "部署 2 条产线", client_industry="C33", feedback=""),
        ),
    )
    _, first, second = entry_documents(view, FACTORS)
    assert [first.doc_id, second.doc_id] == [case_doc_id("AI-001", 7), "AI-001#case-9"]
    assert first.resource_id == second.resource_id == "AI-001"
    assert first.title == "注塑件外观检测"
    assert dict(first.fields) == {
        "client": "东莞某塑胶厂",
        "client_city": "东莞市",
        "client_industry": "C29 橡胶和塑料制品业",
        "implementation": "部署 8 个检测工位",
        "results": "良率提升 3 个百分点",
        "feedback": "效果显著",
    }
    assert "feedback" not in dict(second.fields)  # empty fields are left out
    assert dict(second.fields)["client_industry"] == "C33 金属制品业"
    assert first.text.startswith("注塑件外观检测\n东莞某塑胶厂\n")
    assert dict(first.facets) == {}  # filters are evaluated on the resource document
    assert first.provider_id == "101"


@pytest.mark.parametrize(
    ("status", "priority", "prior", "flags"),
    [
        (LibraryStatus.CERTIFIED, False, 1.0, ()),
        (LibraryStatus.WARNED, False, 0.5, ("warned",)),
        (LibraryStatus.CERTIFIED, True, 1.5, ("priority",)),
        (LibraryStatus.WARNED, True, 0.75, ("warned", "priority")),
    ],
)
def test_priors_and_flags_follow_the_library_state(
    status: LibraryStatus, priority: bool, prior: float, flags: tuple[str, ...]
) -> None:
    view = entry("AI-001", "视觉检测", "缺陷检测", status=status, priority=priority)
    resource, case_doc = entry_documents(view, FACTORS)
    assert resource.prior == pytest.approx(prior)
    assert resource.flags == case_doc.flags == flags
    assert resource.facets["status"] == (status.value,)


@pytest.mark.parametrize("status", [LibraryStatus.REMOVED, LibraryStatus.WITHDRAWN])
def test_removed_and_withdrawn_entries_are_never_documents(status: LibraryStatus) -> None:
    view = entry("AI-001", "视觉检测", "缺陷检测", status=status)
    with pytest.raises(IndexingError) as caught:
        library_documents([view], FACTORS)
    assert caught.value.code == "not_in_library"


@pytest.mark.parametrize(
    ("warned", "boost"), [(0.0, 1.2), (1.5, 1.2), (float("nan"), 1.2), (0.5, 0.9)]
)
def test_factors_are_checked(warned: float, boost: float) -> None:
    with pytest.raises(IndexingError) as caught:
        DocumentFactors(warned_factor=warned, priority_boost=boost)
    assert caught.value.code == "invalid_factors"


def test_industry_label() -> None:
    assert industry_label("C36") == "C36 汽车制造业"
    assert industry_label("汽车零部件") == "汽车零部件"


def test_warned_ranks_below_and_priority_above_an_otherwise_equal_entry(parts: IndexParts) -> None:
    base = entry("AI-001", "机器视觉缺陷检测", "机器视觉缺陷检测服务")
    twin = replace(base, resource_code="AI-002", provider_id=202)
    for changes, expected in (
        ({"status": LibraryStatus.WARNED}, ["AI-001", "AI-002"]),
        ({"priority": True}, ["AI-002", "AI-001"]),
    ):
        matcher = build_matcher([base, replace(twin, **changes)], parts=parts)
        response = matcher.match("机器视觉缺陷检测", k=5)
        assert [m.resource_id for m in response.matches] == expected
        flagged = {m.resource_id: m.flags for m in response.matches}
        assert flagged["AI-002"] == (("warned",) if "status" in changes else ("priority",))
        assert flagged["AI-001"] == ()
