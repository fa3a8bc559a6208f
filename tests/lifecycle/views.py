"""Library entry views built by hand for the shortlist tests (no database), and a live index
over them with the keyword encoder: cosines are shares of keywords, derivable by hand."""

from __future__ import annotations

from datetime import UTC, date, datetime

from indexing.build import IndexParts
from indexing.documents import DocumentFactors
from indexing.live import LiveIndex
from indexing.source import StaticSource
from matcher.confidence import ConfidenceConfig
from matcher.config import MatchConfig
from matcher.testing import KeywordEncoder
from matcher.tokenizer import Tokenizer
from registry.enums import LibraryStatus
from registry.library import CaseView, LibraryEntryView

KEYWORDS = ("机器视觉", "缺陷检测", "注塑", "MES", "排程", "跨境电商", "直播", "数字孪生", "能耗")
# The keyword encoder's cosine is the share of keywords in common: any shared one is evidence.
CONFIG = MatchConfig(confidence=ConfidenceConfig(dense_floor=0.0, dense_ceiling=0.5))


def view(code: str, provider: int, title: str, summary: str) -> LibraryEntryView:
    """A certified entry of provider `provider` with one case repeating its summary."""
    number = int("".join(ch for ch in code if ch.isdigit()))
    case = CaseView(
        id=number * 10,
        title=f"{title}应用案例",
        client=f"某制造企业{number}",
        client_city="东莞市",
        client_industry="C29",
        implementation=summary,
        results="良率提升",
        feedback="满意",
        started_on=date(2024, 3, 1),
        completed_on=date(2024, 9, 1),
        feedback_on=date(2025, 6, 1),
    )
    return LibraryEntryView(
        resource_id=number,
        resource_code=code,
        title=title,
        directions=("人工智能应用",),
        form="标准化产品",
        industries=("C29",),
        summary=summary,
        advantages="",
        indicators="",
        scenarios="",
        keywords=(),
        provider_id=provider,
        provider_name=f"赋能科技有限公司{provider}",
        provider_city="东莞市",
        provider_type="企业",
        consortium_names=(),
        cases=(case,),
        status=LibraryStatus.CERTIFIED,
        priority=False,
        certified_at=datetime(2025, 11, 5, 2, tzinfo=UTC),
        certified_on=date(2025, 11, 5),
    )


LIBRARY = (
    view("VI-001", 1, "机器视觉缺陷检测系统", "机器视觉缺陷检测，注塑件外观"),
    view("VI-002", 1, "机器视觉缺陷检测一体机", "机器视觉缺陷检测"),
    view("VI-003", 2, "视觉质检数字孪生平台", "机器视觉缺陷检测与数字孪生"),
    view("MF-004", 3, "离散制造MES系统", "MES 生产排程"),
    view("MK-005", 4, "跨境电商代运营", "跨境电商店铺运营与直播"),
)


def live_index(tokenizer: Tokenizer, views: tuple[LibraryEntryView, ...] = LIBRARY) -> LiveIndex:
    """A live index built from `views`, not polling."""
    parts = IndexParts(
        encoder=KeywordEncoder(KEYWORDS),
        tokenizer=tokenizer,
        factors=DocumentFactors(),
        config=CONFIG,
    )
    index = LiveIndex(source=StaticSource(views), parts=parts)
    assert index.open() == "built"
    return index
