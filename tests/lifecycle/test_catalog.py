"""The annual catalog (Art.20(1)) on each backend: the xlsx opened with openpyxl and checked
against the library (every listed entry once, on its direction's sheet, right columns), the
inclusion rule for warned / removed / withdrawn entries, a past day reproduced, web filters."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy.orm import Session

from registry import library
from registry.catalog import build_catalog, catalog_rows, catalog_title, short_summary
from registry.catalog_xlsx import COVER_SHEET, HEADERS, set_public_contact, write_catalog
from registry.models.monitoring import RemovalGround, WarningReason
from registry.reference import Direction
from registry.services import library_admin, removals, warnings, withdrawals
from tests.db.factories import at
from tests.lifecycle.world import World

pytestmark = pytest.mark.postgres
D = Direction


def populate(w: World, s: Session) -> None:
    """Six entries: two AI, one 制造生产-first, one priority brand, one warned, one removed,
    one withdrawn (the last three are not in good standing on 2026-01-10)."""
    w.certify("AI-001", n=1)
    w.certify("AI-002", n=2, title="工业大模型质检助手", summary="大模型辅助质检。支持多产线。")
    w.certify("MF-003", n=3, title="离散制造MES系统", directions=(D.MANUFACTURING, D.AI))
    w.certify("BR-004", n=4, title="品牌全案策划", directions=(D.BRAND,), city="广州市")
    w.certify("MK-005", n=5, title="跨境电商代运营", directions=(D.MARKET,))
    w.certify("RD-006", n=6, title="工业设计服务", directions=(D.RND,))
    w.certify("RD-007", n=7, title="中试验证平台", directions=(D.RND,))
    library_admin.set_priority(
        session=s, actor=w.staff, now=at(2025, 12, 1), resource_code="BR-004", priority=True
    )
    warnings.warn_entry(
        session=s,
        actor=w.staff,
        now=at(2025, 12, 2),
        resource_code="MK-005",
        reasons=[WarningReason.POOR_FEEDBACK],
        detail="用户反馈较差",
    )
    removals.remove_organisation(
        session=s,
        actor=w.staff,
        now=at(2025, 12, 3),
        organisation_id=w.providers[6].organisation_id,
        ground=RemovalGround.MAJOR_ACCIDENT,
        reason="重大安全事故",
    )
    request = withdrawals.request_withdrawal(
        session=s,
        actor=w.providers[7].actor,
        now=at(2025, 12, 4),
        resource_code="RD-007",
        reason="停止服务",
    )
    withdrawals.forward_withdrawal(
        session=s, actor=w.dg_reviewer, now=at(2025, 12, 5), request_id=request.id, opinion="转报"
    )
    withdrawals.approve_withdrawal(
        session=s, actor=w.staff, now=at(2025, 12, 8), request_id=request.id, note="同意"
    )
    set_public_contact(
        session=s,
        actor=w.providers[1].actor,
        now=at(2025, 12, 9),
        organisation_id=w.providers[1].organisation_id,
        contact="王经理 0769-22223333",
    )
    s.commit()


def sheet_rows(path: Path) -> dict[str, list[tuple[object, ...]]]:
    book = load_workbook(path)
    return {name: list(book[name].iter_rows(values_only=True)) for name in book.sheetnames}


def test_the_xlsx_against_the_library(world: World, db_session: Session, tmp_path: Path) -> None:
    s = db_session
    populate(world, s)
    catalog = build_catalog(session=s, year=2026, as_of=date(2026, 1, 10))
    path = tmp_path / "catalog.xlsx"
    write_catalog(catalog, path)
    sheets = sheet_rows(path)
    assert list(sheets) == [COVER_SHEET, *(d.value for d in Direction)]
    book = load_workbook(path)
    listed: dict[str, str] = {}
    for direction in Direction:
        rows = sheets[direction.value]
        assert rows[0] == HEADERS
        assert book[direction.value].freeze_panes == "A2"
        for number, row in enumerate(rows[1:], start=1):
            assert row[0] == number
            assert row[1] not in listed  # every entry once
            listed[str(row[1])] = direction.value
    # Against the library: the certified (not warned) entries, each on its first direction.
    s.expire_all()
    in_good_standing = {
        v.resource_code: v.directions[0]
        for v in library.entries(session=s)
        if v.status.value == "certified"
    }
    assert listed == in_good_standing
    assert set(listed) == {"AI-001", "AI-002", "MF-003", "BR-004"}
    by_code = {r[1]: r for name, rows in sheets.items() if name != COVER_SHEET for r in rows[1:]}
    ai = by_code["AI-001"]
    assert ai[2:7] == (
        "机器视觉缺陷检测系统",
        "东莞市赋能科技有限公司1",
        "东莞市",
        "标准化产品",
        "人工智能应用、制造生产",
    )
    assert ai[7] == "C39 计算机、通信和其他电子设备制造业；C38 电气机械和器材制造业"
    assert (ai[9], ai[10]) == ("王经理 0769-22223333", "2025-11-05")
    assert by_code["AI-002"][9] is None  # no consent to publish a contact
    assert by_code["BR-004"][11] == "优先推广"
    cover = sheets[COVER_SHEET]
    assert cover[0][0] == catalog_title(2026) == "广东省制造业赋能资源目录（2026年）"
    counts = {row[0]: row[1] for row in cover[7:13]}
    assert counts == {
        "人工智能应用": 2,
        "研发创新": 0,
        "制造生产": 1,
        "品牌建设": 1,
        "市场销售": 0,
        "综合赋能": 0,
    }
    assert cover[13][:2] == ("合计", 4)


def test_inclusion_rules_and_a_past_day(world: World, db_session: Session) -> None:
    s = db_session
    populate(world, s)
    staff_view = catalog_rows(session=s, as_of=date(2026, 1, 10), include_warned=True)
    warned = [r for r in staff_view if r.resource_code == "MK-005"]
    assert len(warned) == 1 and warned[0].remarks == "预警整改中"
    # On 1 December 2025 all seven were in good standing, BR-004 not yet a priority.
    before = catalog_rows(session=s, as_of=date(2025, 11, 30))
    assert sorted(r.resource_code for r in before) == [
        "AI-001",
        "AI-002",
        "BR-004",
        "MF-003",
        "MK-005",
        "RD-006",
        "RD-007",
    ]
    assert not any(r.priority for r in before)
    assert catalog_rows(session=s, as_of=date(2025, 11, 4)) == []  # before certification


def test_filters_for_the_web_page_keep_the_published_numbers(
    world: World, db_session: Session
) -> None:
    s = db_session
    populate(world, s)
    day = date(2026, 1, 10)
    ai = catalog_rows(session=s, as_of=day, direction="人工智能应用")
    # MF-003 lists 人工智能应用 second: found by the filter, numbered on its own sheet.
    assert [(r.resource_code, r.sheet, r.number) for r in ai] == [
        ("AI-001", "人工智能应用", 1),
        ("AI-002", "人工智能应用", 2),
        ("MF-003", "制造生产", 1),
    ]
    assert [r.resource_code for r in catalog_rows(session=s, as_of=day, city="广州市")] == [
        "BR-004"
    ]
    assert [r.resource_code for r in catalog_rows(session=s, as_of=day, text="mes")] == ["MF-003"]
    assert [r.resource_code for r in catalog_rows(session=s, as_of=day, priority_only=True)] == [
        "BR-004"
    ]
    assert catalog_rows(session=s, as_of=day, industry="C13") == []


def test_short_summary() -> None:
    assert short_summary("大模型辅助质检。支持多产线。") == "大模型辅助质检。支持多产线。"
    long = "第一句说明技术原理与适用场景，" * 3 + "。" + "后面还有很多内容" * 10
    cut = short_summary(long, limit=60)
    assert cut.endswith("。") and len(cut) <= 60
    plain = "无标点的长文本" * 20
    assert short_summary(plain, limit=30) == plain[:29] + "…"
