"""A matchmaking event as an xlsx workbook (Art.20(2)): a summary sheet (the event, its needs,
and every shortlisted resource with the needs it answers), then one sheet per need with its
shortlist in the organiser's order. Resources that left the library since are marked."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.actor import Actor
from registry.models.events import EventNeed, MatchEvent
from registry.models.library import LibraryEntry
from registry.models.organisations import Organisation
from registry.models.resources import Resource
from registry.services.events import get_event
from registry.workflow import ENTRY_STATE_LABELS
from registry.xlsx import TITLE_FONT, Column, sheet_name, write_table

SUMMARY_SHEET = "活动概况"
NEED_COLUMNS = (
    Column("顺序", 6),
    Column("资源编号", 12),
    Column("资源名称", 30, wrap=True),
    Column("申报单位", 30, wrap=True),
    Column("所在地市", 10),
    Column("赋能方向", 18, wrap=True),
    Column("匹配排名", 9),
    Column("覆盖的需求要点", 30, wrap=True),
    Column("资源库状态", 12),
    Column("备注", 36, wrap=True),
)
RESOURCE_COLUMNS = (
    Column("资源编号", 12),
    Column("资源名称", 30, wrap=True),
    Column("申报单位", 30, wrap=True),
    Column("对应需求", 40, wrap=True),
)


@dataclass(frozen=True, slots=True)
class ResourceFacts:
    """What the export shows of a shortlisted resource."""

    title: str
    provider: str
    city: str
    directions: str
    state: str


def event_workbook(*, session: Session, actor: Actor, event_id: int) -> Workbook:
    """The workbook of an event the actor manages."""
    event = get_event(session=session, actor=actor, event_id=event_id)
    codes = list(dict.fromkeys(i.resource_code for n in event.needs for i in n.items))
    facts = _facts(session, codes)
    book = Workbook()
    summary = book.active
    assert summary is not None  # a new workbook always has its first sheet
    summary.title = SUMMARY_SHEET
    _summary(summary, event, facts)
    for need in event.needs:
        name = sheet_name(f"需求{need.position} {need.company}", book.sheetnames)
        _need_sheet(book.create_sheet(name), need, facts)
    return book


def write_event(*, session: Session, actor: Actor, event_id: int, target: Path | IO[bytes]) -> None:
    """Save the event workbook to a path or a binary stream."""
    event_workbook(session=session, actor=actor, event_id=event_id).save(target)


def _facts(session: Session, codes: Sequence[str]) -> dict[str, ResourceFacts]:
    rows = session.execute(
        select(Resource, Organisation, LibraryEntry)
        .join(Organisation, Resource.organisation_id == Organisation.id)
        .outerjoin(LibraryEntry, LibraryEntry.resource_id == Resource.id)
        .where(Resource.code.in_(list(codes)))
    )
    facts = {}
    for resource, org, entry in rows:
        state = ENTRY_STATE_LABELS[entry.status] if entry is not None else "不在资源库"
        directions = "、".join(d.value for d in resource.direction_values)
        facts[resource.code] = ResourceFacts(resource.title, org.name, org.city, directions, state)
    return facts


def _unknown(code: str) -> ResourceFacts:
    return ResourceFacts(code, "", "", "", "不在资源库")


def _summary(sheet: Worksheet, event: MatchEvent, facts: dict[str, ResourceFacts]) -> None:
    sheet["A1"] = event.title
    sheet["A1"].font = TITLE_FONT
    lines = (
        ("活动类型", event.event_type.value),
        ("举办日期", event.held_on.isoformat()),
        ("举办地市", event.city),
        ("重点行业", "、".join(event.industry_focus) or "不限"),
        ("说明", event.description),
    )
    for row, (label, value) in enumerate(lines, start=2):
        sheet.cell(row=row, column=1, value=label).font = Font(bold=True)
        sheet.cell(row=row, column=2, value=value)
    needs_at = len(lines) + 3
    sheet.cell(row=needs_at - 1, column=1, value="参会企业需求").font = Font(bold=True)
    need_rows = [[n.position, n.company, n.text, len(n.items)] for n in event.needs]
    columns = (Column("序号", 12), Column("企业", 30, wrap=True),
               Column("需求", 40, wrap=True), Column("候选资源数", 12))  # fmt: skip
    written = write_table(sheet, columns, need_rows, first_row=needs_at)
    serves: dict[str, list[str]] = {}
    for need in event.needs:
        for item in need.items:
            serves.setdefault(item.resource_code, []).append(f"需求{need.position} {need.company}")
    resources_at = needs_at + max(written, 1) + 3
    sheet.cell(row=resources_at - 1, column=1, value="候选资源汇总").font = Font(bold=True)
    rows = []
    for code, needs in serves.items():
        fact = facts.get(code) or _unknown(code)
        rows.append([code, fact.title, fact.provider, "；".join(needs)])
    write_table(sheet, RESOURCE_COLUMNS, rows, first_row=resources_at)
    sheet.freeze_panes = None  # two tables on one sheet: nothing sensible to freeze


def _need_sheet(sheet: Worksheet, need: EventNeed, facts: dict[str, ResourceFacts]) -> None:
    sheet["A1"] = f"{need.company}：{need.text}"
    sheet["A1"].font = Font(bold=True)
    rows = []
    for item in need.items:
        fact = facts.get(item.resource_code) or _unknown(item.resource_code)
        rank = item.match_rank if item.match_rank is not None else "人工添加"
        rows.append([
            item.position, item.resource_code, fact.title, fact.provider, fact.city,
            fact.directions, rank, "；".join(item.aspects), fact.state, item.note,
        ])  # fmt: skip
    write_table(sheet, NEED_COLUMNS, rows, first_row=3)
