"""A small certified library, its keyword fake encoder and a harness over it (no database, no
model): what the unit tests of the harness run on, with `fixtures/unit/` as the golden set."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from evaluation.golden import GoldenSet, load_golden
from evaluation.harness import Harness
from evaluation.index import IndexPool
from matcher.testing import KeywordEncoder
from registry.enums import LibraryStatus
from registry.library import CaseView, LibraryEntryView

FIXTURES = Path(__file__).resolve().parent / "fixtures"
UNIT_GOLDEN = FIXTURES / "unit"
KEYWORDS = (
    "机器视觉", "缺陷检测", "注塑", "MES", "排程", "能耗", "数字孪生",
    "跨境电商", "直播", "品牌", "模具", "焊点",
)  # fmt: skip

# code, title, summary, city, directions
RESOURCES = (
    ("AI-001", "注塑件机器视觉外观缺陷检测系统", "机器视觉缺陷检测，注塑件外观", "东莞市", "人工智能应用"),  # noqa: E501
    ("AI-002", "PCB 焊点 AOI 检测", "机器视觉检测电路板焊点缺陷检测", "深圳市", "人工智能应用"),
    ("MF-001", "离散制造 MES 系统", "MES 覆盖生产排程与质量追溯", "佛山市", "制造生产"),
    ("MF-002", "注塑车间 MES 与设备联网", "注塑机联网，MES 报工", "东莞市", "制造生产"),
    ("MF-003", "工厂能耗管理平台", "能耗监测、峰谷电价优化", "深圳市", "制造生产"),
    ("MF-004", "数字孪生产线仿真", "数字孪生仿真产线节拍，兼顾能耗", "广州市", "制造生产"),
    ("MK-001", "跨境电商全托管服务", "跨境电商店铺运营与海外仓", "广州市", "市场销售"),
    ("MK-002", "直播带货代运营", "直播间搭建与主播孵化", "广州市", "市场销售"),
    ("BR-001", "品牌战略咨询", "品牌定位与视觉识别", "深圳市", "品牌培育"),
    ("RD-001", "模具设计联合研发", "模具设计与模流分析，服务注塑企业", "东莞市", "研发设计"),
)  # fmt: skip
CERTIFIED_AT = datetime(2025, 11, 21, 2, 0, tzinfo=UTC)


def _view(
    number: int, code: str, title: str, summary: str, city: str, direction: str
) -> LibraryEntryView:
    case = CaseView(
        id=number * 10 + 1,
        title=f"{title}应用案例",
        client=f"某制造企业{number}",
        client_city=city,
        client_industry="C29",
        implementation=summary,
        results="效率提升",
        feedback="满意",
        started_on=date(2024, 3, 1),
        completed_on=date(2024, 9, 1),
        feedback_on=date(2025, 6, 1),
    )
    return LibraryEntryView(
        resource_id=number,
        resource_code=code,
        title=title,
        directions=(direction,),
        form="标准化产品",
        industries=("C29",),
        summary=summary,
        advantages="",
        indicators="",
        scenarios="",
        keywords=(),
        provider_id=100 + number,
        provider_name=f"测试科技有限公司{number}",
        provider_city=city,
        provider_type="企业",
        consortium_names=(),
        cases=(case,),
        status=LibraryStatus.CERTIFIED,
        priority=False,
        certified_at=CERTIFIED_AT,
        certified_on=date(2025, 11, 21),
    )


def library() -> list[LibraryEntryView]:
    """The ten resources, one case each."""
    return [_view(i, *row) for i, row in enumerate(RESOURCES, start=1)]


def unit_golden() -> GoldenSet:
    """The unit golden set (fixtures/unit)."""
    return load_golden(UNIT_GOLDEN, name="unit")


def make_harness(cache_path: Path | None = None) -> Harness:
    """A harness over the library with the keyword fake encoder (one per model name)."""
    pool = IndexPool(
        views=library(),
        default_model="keyword-fake",
        cache_path=cache_path,
        encoder_factory=lambda name: KeywordEncoder(KEYWORDS, model_id=name),
    )
    return Harness(pool=pool)
