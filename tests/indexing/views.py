"""Library entry views built by hand, for tests that need no database."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

from registry.enums import LibraryStatus
from registry.library import CaseView, LibraryEntryView

KEYWORDS = (
    "机器视觉",
    "缺陷检测",
    "注塑",
    "MES",
    "排程",
    "跨境电商",
    "能耗",
    "数字孪生",
    "品牌",
    "直播",
)
CERTIFIED_AT = datetime(2025, 11, 21, 2, 0, tzinfo=UTC)


def case(case_id: int, title: str, implementation: str, **changes: object) -> CaseView:
    """A complete case."""
    view = CaseView(
        id=case_id,
        title=title,
        client=f"东莞某制造有限公司{case_id}",
        client_city="东莞市",
        client_industry="C29",
        implementation=implementation,
        results="良率提升 3 个百分点",
        feedback="效果显著",
        started_on=date(2024, 3, 1),
        completed_on=date(2024, 9, 1),
        feedback_on=date(2025, 6, 1),
    )
    return replace(view, **changes)  # type: ignore[arg-type]


def entry(code: str, title: str, summary: str, **changes: object) -> LibraryEntryView:
    """A certified entry of a Dongguan enterprise, one case unless `cases` is given."""
    number = int("".join(ch for ch in code if ch.isdigit()) or "0")
    view = LibraryEntryView(
        resource_id=number,
        resource_code=code,
        title=title,
        directions=("人工智能应用",),
        form="标准化产品",
        industries=("C29", "C39"),
        summary=summary,
        advantages="部署快、检出率高",
        indicators="节拍 200ms",
        scenarios="外观检测",
        keywords=("质检",),
        provider_id=100 + number,
        provider_name=f"东莞测试科技有限公司{number}",
        provider_city="东莞市",
        provider_type="企业",
        consortium_names=(),
        cases=(case(number * 10 + 1, f"{title}应用案例", summary),),
        status=LibraryStatus.CERTIFIED,
        priority=False,
        certified_at=CERTIFIED_AT,
        certified_on=date(2025, 11, 21),
    )
    return replace(view, **changes)  # type: ignore[arg-type]


def small_library() -> list[LibraryEntryView]:
    """Four resources on distinct topics."""
    return [
        entry("AI-001", "机器视觉外观缺陷检测系统", "机器视觉缺陷检测，适用于注塑件外观"),
        entry(
            "MF-002",
            "离散制造MES系统",
            "MES 覆盖生产排程与质量追溯",
            directions=("制造生产",),
            provider_city="佛山市",
        ),
        entry(
            "MK-003",
            "跨境电商全托管服务",
            "跨境电商店铺运营与直播带货",
            directions=("市场销售",),
            form="集成服务方案",
            provider_city="广州市",
        ),
        entry(
            "MF-004",
            "工厂能耗管理平台",
            "能耗监测与数字孪生能效优化",
            directions=("制造生产",),
            provider_city="深圳市",
        ),
    ]
