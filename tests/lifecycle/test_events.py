"""Matchmaking events (Art.20(2)) on each backend: an organiser's event, several needs, stored
shortlists reordered and annotated, the xlsx export; organisers see only their own events."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy.orm import Session

from registry.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from registry.event_export import SUMMARY_SHEET, write_event
from registry.models.events import EventType
from registry.models.monitoring import RemovalGround
from registry.services import event_shortlists as lists
from registry.services import events, removals
from registry.services.events import EventInput, ItemInput, NeedInput
from tests.db.factories import at, row_counts
from tests.lifecycle.world import World, audit_actions

pytestmark = pytest.mark.postgres
EVENT = EventInput(
    title="东莞注塑产业链供需对接会",
    event_type=EventType.SUPPLY_DEMAND,
    held_on=date(2026, 3, 18),
    city="东莞市",
    industry_focus=("C29", "C39"),
)


def setup(w: World, s: Session) -> tuple[int, int, int]:
    for code, n, title in (("AI-001", 1, "机器视觉缺陷检测系统"), ("AI-002", 2, "视觉检测一体机"),
                           ("MF-003", 3, "离散制造MES系统")):  # fmt: skip
        w.certify(code, n=n, title=title)
    event = events.create_event(session=s, actor=w.organiser, now=at(2026, 2, 1), data=EVENT)
    vision = events.add_need(
        session=s,
        actor=w.organiser,
        now=at(2026, 2, 2),
        event_id=event.id,
        data=NeedInput("东莞某注塑厂", "注塑件外观缺陷检测", {"direction": ["人工智能应用"]}),
    )
    mes = events.add_need(
        session=s,
        actor=w.organiser,
        now=at(2026, 2, 2),
        event_id=event.id,
        data=NeedInput("东莞某五金厂", "上线MES做排程"),
    )
    s.commit()
    return event.id, vision.id, mes.id


def test_shortlists_stored_reordered_annotated_exported(
    world: World, db_session: Session, tmp_path: Path
) -> None:
    s = db_session
    event_id, vision, mes = setup(world, s)
    o = world.organiser
    lists.save_shortlist(
        session=s,
        actor=o,
        now=at(2026, 2, 3),
        need_id=vision,
        items=[ItemInput("AI-001", 1, 0.9), ItemInput("AI-002", 2, 0.8)],
    )
    lists.annotate(
        session=s,
        actor=o,
        now=at(2026, 2, 3),
        need_id=vision,
        resource_code="AI-002",
        note="可现场演示",
    )
    lists.reorder(
        session=s, actor=o, now=at(2026, 2, 4), need_id=vision, codes=["AI-002", "AI-001"]
    )
    lists.save_shortlist(
        session=s,
        actor=o,
        now=at(2026, 2, 4),
        need_id=mes,
        items=[ItemInput("MF-003", 1, 0.7, ("上线MES",))],
    )
    lists.add_item(
        session=s,
        actor=o,
        now=at(2026, 2, 4),
        need_id=mes,
        resource_code="AI-001",
        note="组织方推荐",
    )
    s.commit()
    # Recomputing a shortlist keeps the organiser's notes of resources still on it.
    lists.save_shortlist(
        session=s,
        actor=o,
        now=at(2026, 2, 5),
        need_id=vision,
        items=[ItemInput("AI-002", 1, 0.9), ItemInput("AI-001", 2, 0.8)],
    )
    removals.remove_organisation(
        session=s,
        actor=world.staff,
        now=at(2026, 2, 6),
        organisation_id=world.providers[3].organisation_id,
        ground=RemovalGround.MAJOR_ACCIDENT,
        reason="重大事故",
    )
    s.commit()
    path = tmp_path / "event.xlsx"
    write_event(session=s, actor=o, event_id=event_id, target=path)
    book = load_workbook(path)
    assert book.sheetnames == [SUMMARY_SHEET, "需求1 东莞某注塑厂", "需求2 东莞某五金厂"]
    first = list(book["需求1 东莞某注塑厂"].iter_rows(min_row=4, values_only=True))
    assert [(r[0], r[1], r[6], r[9]) for r in first] == [
        (1, "AI-002", 1, "可现场演示"),
        (2, "AI-001", 2, None),
    ]
    second = list(book["需求2 东莞某五金厂"].iter_rows(min_row=4, values_only=True))
    assert [(r[1], r[6], r[7], r[8]) for r in second] == [
        ("MF-003", 1, "上线MES", "已移出"),
        ("AI-001", "人工添加", None, "在库"),
    ]
    summary = [r for r in book[SUMMARY_SHEET].iter_rows(values_only=True) if any(r)]
    assert summary[0][0] == EVENT.title and ("活动类型", "供需对接会") in [r[:2] for r in summary]
    assert ("AI-001", "机器视觉缺陷检测系统", "东莞市赋能科技有限公司1",
            "需求1 东莞某注塑厂；需求2 东莞某五金厂") in [r[:4] for r in summary]  # fmt: skip
    assert "event.shortlist_reorder" in audit_actions(s, "event.")


def test_scopes_and_bad_input(world: World, db_session: Session) -> None:
    s = db_session
    event_id, vision, _ = setup(world, s)
    before = row_counts(s)
    o, other = world.organiser, world.other_organiser
    attempts = [
        (NotFound, "event_not_found", lambda: events.get_event(
            session=s, actor=other, event_id=event_id)),
        (NotFound, "event_not_found", lambda: lists.add_item(
            session=s, actor=other, now=at(2026, 2, 3), need_id=vision, resource_code="AI-001")),
        (PermissionDenied, "role_not_allowed", lambda: events.list_events(
            session=s, actor=world.providers[1].actor)),
        (InvalidInput, "resource_not_in_library", lambda: lists.save_shortlist(
            session=s, actor=o, now=at(2026, 2, 3), need_id=vision,
            items=[ItemInput("NOPE-1", 1)])),
        (InvalidInput, "shortlist_duplicate", lambda: lists.save_shortlist(
            session=s, actor=o, now=at(2026, 2, 3), need_id=vision,
            items=[ItemInput("AI-001", 1), ItemInput("AI-001", 2)])),
        (InvalidInput, "event_type_invalid", lambda: events.create_event(
            session=s, actor=o, now=at(2026, 2, 1),
            data=EventInput("x", "茶话会", date(2026, 3, 1), "东莞市"))),  # type: ignore[arg-type]
        (InvalidInput, "unknown_city", lambda: events.create_event(
            session=s, actor=o, now=at(2026, 2, 1),
            data=EventInput("x", EventType.SHOWCASE, date(2026, 3, 1), "东京"))),
        (InvalidInput, "filter_unknown", lambda: events.add_need(
            session=s, actor=o, now=at(2026, 2, 2), event_id=event_id,
            data=NeedInput("某厂", "需求", {"colour": ["red"]}))),
        (InvalidInput, "filter_value_invalid", lambda: events.add_need(
            session=s, actor=o, now=at(2026, 2, 2), event_id=event_id,
            data=NeedInput("某厂", "需求", {"industry": ["C99"]}))),
        (InvalidInput, "order_mismatch", lambda: lists.reorder(
            session=s, actor=o, now=at(2026, 2, 3), need_id=vision, codes=["AI-001"])),
    ]  # fmt: skip
    for error, code, attempt in attempts:
        with pytest.raises(error) as refused:
            attempt()
        s.rollback()
        assert refused.value.code == code  # type: ignore[attr-defined]
        assert row_counts(s) == before
    lists.add_item(session=s, actor=o, now=at(2026, 2, 3), need_id=vision, resource_code="AI-001")
    with pytest.raises(Conflict):
        lists.add_item(
            session=s, actor=o, now=at(2026, 2, 3), need_id=vision, resource_code="AI-001"
        )
    s.rollback()
    staff_sees = [e.id for e in events.list_events(session=s, actor=world.staff)]
    assert staff_sees == [event_id] and events.list_events(session=s, actor=other) == []


def test_removing_a_need_renumbers_the_rest(world: World, db_session: Session) -> None:
    s = db_session
    event_id, vision, mes = setup(world, s)
    events.remove_need(session=s, actor=world.organiser, now=at(2026, 2, 3), need_id=vision)
    s.commit()
    s.expire_all()
    event = events.get_event(session=s, actor=world.organiser, event_id=event_id)
    assert [(n.id, n.position) for n in event.needs] == [(mes, 1)]
