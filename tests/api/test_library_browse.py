"""Browsing the library in memory: filters (OR within a facet, AND across facets), facet
counts under the other facets' filters, and the orders — on three hand-made entries."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime
from zoneinfo import ZoneInfo

from api.library_browse import Browse, browse, facet_label
from registry.enums import LibraryStatus
from registry.library import LibraryEntryView

SH = ZoneInfo("Asia/Shanghai")


def entry(
    code: str,
    directions: tuple[str, ...],
    form: str,
    industries: tuple[str, ...],
    city: str,
    provider_type: str,
    status: LibraryStatus,
    priority: bool,
    certified_on: date,
) -> LibraryEntryView:
    return LibraryEntryView(
        resource_id=int(code[-1]),
        resource_code=code,
        title=code,
        directions=directions,
        form=form,
        industries=industries,
        summary="",
        advantages="",
        indicators="",
        scenarios="",
        keywords=(),
        provider_id=1,
        provider_name="p",
        provider_city=city,
        provider_type=provider_type,
        consortium_names=(),
        cases=(),
        status=status,
        priority=priority,
        certified_at=datetime(*certified_on.timetuple()[:3], tzinfo=SH),
        certified_on=certified_on,
    )


E1 = entry(
    "R1",
    ("人工智能应用", "制造生产"),
    "标准化产品",
    ("C39", "C38"),
    "广州市",
    "企业",
    LibraryStatus.CERTIFIED,
    False,
    date(2025, 11, 21),
)
E2 = entry(
    "R2",
    ("人工智能应用",),
    "核心技术",
    ("C39",),
    "深圳市",
    "企业",
    LibraryStatus.CERTIFIED,
    True,
    date(2025, 10, 1),
)
E3 = entry(
    "R3",
    ("市场销售",),
    "集成服务方案",
    ("C18",),
    "广州市",
    "高等院校",
    LibraryStatus.WARNED,
    False,
    date(2025, 12, 1),
)
ALL = [E3, E1, E2]


def test_filters_and_disjunctive_facet_counts() -> None:
    result = browse(
        ALL,
        Browse(selected={"direction": frozenset({"人工智能应用"}), "city": frozenset({"广州市"})}),
    )
    assert [e.resource_code for e in result.entries] == ["R1"]
    # R2 fails only the city filter: it counts toward the city facet only.
    # R3 fails only the direction filter: it counts toward the direction facet only.
    assert result.facets["direction"] == Counter({"人工智能应用": 1, "制造生产": 1, "市场销售": 1})
    assert result.facets["city"] == Counter({"广州市": 1, "深圳市": 1})
    assert result.facets["form"] == Counter({"标准化产品": 1})
    assert result.facets["industry"] == Counter({"C39": 1, "C38": 1})
    assert result.facets["provider_type"] == Counter({"企业": 1})
    assert result.facets["status"] == Counter({"certified": 1})


def test_values_within_one_facet_are_alternatives() -> None:
    result = browse(ALL, Browse(selected={"direction": frozenset({"人工智能应用", "市场销售"})}))
    assert sorted(e.resource_code for e in result.entries) == ["R1", "R2", "R3"]


def test_an_entry_failing_two_facets_counts_nowhere() -> None:
    result = browse(
        ALL, Browse(selected={"form": frozenset({"核心技术"}), "city": frozenset({"深圳市"})})
    )
    assert [e.resource_code for e in result.entries] == ["R2"]
    # R1 fails form and city, R3 fails form and city: neither is counted anywhere.
    assert result.facets["form"] == Counter({"核心技术": 1})
    assert result.facets["status"] == Counter({"certified": 1})


def test_no_filter_counts_everything() -> None:
    result = browse(ALL, Browse())
    assert result.facets["direction"] == Counter({"人工智能应用": 2, "制造生产": 1, "市场销售": 1})
    assert result.facets["status"] == Counter({"certified": 2, "warned": 1})


def test_orders() -> None:
    def codes(sort: str) -> list[str]:
        return [e.resource_code for e in browse(ALL, Browse(sort=sort)).entries]  # type: ignore[arg-type]

    assert codes("priority") == ["R2", "R1", "R3"]  # priority first, warned last
    assert codes("code") == ["R1", "R2", "R3"]
    assert codes("newest") == ["R3", "R1", "R2"]


def test_facet_labels() -> None:
    assert facet_label("industry", "C39") == "C39 计算机、通信和其他电子设备制造业"
    assert facet_label("status", "warned") == "已预警"
    assert facet_label("city", "广州市") == "广州市"
