"""The pages' Jinja2 filters: how sure a match is in words, the matched terms at a glance,
dates and moments as `<time>` in Asia/Shanghai."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from api.pages.common import FILTERS, confidence_level, distinct_terms

UTC = ZoneInfo("UTC")


@pytest.mark.parametrize(
    ("value", "level", "label"),
    [(0.97, 3, "高"), (0.75, 3, "高"), (0.7499, 2, "较高"), (0.6, 2, "较高"), (0.59, 1, "一般"),
     (0.45, 1, "一般"), (0.0, 1, "一般")],
)  # fmt: skip
def test_confidence_in_words(value: float, level: int, label: str) -> None:
    assert confidence_level(value) == {
        "level": level,
        "label": label,
        "percent": round(value * 100),
    }


def test_terms_inside_a_longer_matched_term_are_left_out() -> None:
    terms = ["外观缺陷", "检测", "外观", "机器", "缺陷", "机器视觉", "缺陷检测", "视觉", "东莞"]
    assert distinct_terms(terms) == ["外观缺陷", "机器视觉", "缺陷检测", "东莞"]
    assert distinct_terms(["MES", "MES"]) == ["MES", "MES"]  # equal terms are not inside
    assert distinct_terms([]) == []


def test_moments_and_days_are_times_in_shanghai() -> None:
    moment = datetime(2026, 12, 4, 15, 59, tzinfo=UTC)  # 23:59 in Guangdong
    assert str(FILTERS["dt"](moment)) == (
        '<time datetime="2026-12-04T23:59+08:00">2026-12-04 23:59</time>'
    )
    assert str(FILTERS["dt"](moment, "%Y-%m-%d")) == (
        '<time datetime="2026-12-04T23:59+08:00">2026-12-04</time>'
    )
    assert str(FILTERS["d"](date(2026, 3, 31))) == '<time datetime="2026-03-31">2026-03-31</time>'
    assert FILTERS["dt"](None) == "—" and FILTERS["d"](None) == "—"
