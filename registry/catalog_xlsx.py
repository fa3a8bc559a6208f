"""The annual catalog as an xlsx workbook: a cover sheet (title, date, counts per direction,
inclusion rule), then one sheet per Art.5 direction with the columns a reader of the published
catalog expects. Also the provider's consent to publish a contact in it."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import IO

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy.orm import Session

from registry.actor import Actor, require_organisation, require_role, signed_in
from registry.audit import record
from registry.catalog import DIRECTIONS, Catalog, CatalogRow, industry_labels
from registry.enums import Role
from registry.errors import InvalidInput
from registry.models.monitoring import PublicContact
from registry.xlsx import TITLE_FONT, Column, sheet_name, write_table

COVER_SHEET = "封面"
COLUMNS = (
    Column("序号", 6),
    Column("资源编号", 12),
    Column("资源名称", 30, wrap=True),
    Column("申报单位", 30, wrap=True),
    Column("所在地市", 10),
    Column("资源形态", 12),
    Column("赋能方向", 18, wrap=True),
    Column("重点行业", 34, wrap=True),
    Column("技术简介", 50, wrap=True),
    Column("联系方式", 24, wrap=True),
    Column("入库时间", 12),
    Column("备注", 20, wrap=True),
)
HEADERS = tuple(c.header for c in COLUMNS)


def row_values(row: CatalogRow) -> list[object]:
    """The cells of one catalog row, in the order of `COLUMNS`."""
    return [
        row.number, row.resource_code, row.title, row.provider, row.city, row.form,
        "、".join(row.directions), industry_labels(row.industries), row.summary,
        row.contact, row.listed_on.isoformat(), row.remarks or None,
    ]  # fmt: skip


def catalog_workbook(catalog: Catalog) -> Workbook:
    """The workbook: cover, then one sheet per direction (every direction, even an empty one)."""
    book = Workbook()
    cover = book.active
    assert cover is not None  # a new workbook always has its first sheet
    cover.title = COVER_SHEET
    _cover(cover, catalog)
    for direction in DIRECTIONS:
        sheet = book.create_sheet(sheet_name(direction, book.sheetnames))
        rows = [row_values(r) for r in catalog.rows if r.sheet == direction]
        write_table(sheet, COLUMNS, rows)
    return book


def write_catalog(catalog: Catalog, target: Path | IO[bytes]) -> None:
    """Save the catalog workbook to a path or a binary stream (a web download)."""
    catalog_workbook(catalog).save(target)


def _cover(sheet: Worksheet, catalog: Catalog) -> None:
    sheet["A1"] = catalog.title
    sheet["A1"].font = TITLE_FONT
    sheet.merge_cells("A1:C1")
    sheet["A2"] = f"统计截止日期：{catalog.as_of.isoformat()}"
    sheet["A3"] = "发布单位：广东省工业和信息化厅"
    scope = "在库资源（含预警整改中的资源，已在备注中标明）" if catalog.include_warned else (
        "截止日期在库且状态正常的资源；处于预警整改期的资源不列入本目录"
    )  # fmt: skip
    sheet["A4"] = f"收录范围：{scope}"
    sheet["A5"] = "依据：《广东省制造业赋能资源管理办法》第二十条第（一）项"
    header = 7
    for col, text in enumerate(("赋能方向", "资源数量", "其中优先推广"), start=1):
        cell = sheet.cell(row=header, column=col, value=text)
        cell.font = Font(bold=True)
    counts = catalog.counts()
    for offset, direction in enumerate(DIRECTIONS, start=1):
        priority = sum(1 for r in catalog.rows if r.sheet == direction and r.priority)
        for col, value in enumerate((direction, counts[direction], priority), start=1):
            sheet.cell(row=header + offset, column=col, value=value)
    total_row = header + len(DIRECTIONS) + 1
    total_priority = sum(1 for r in catalog.rows if r.priority)
    for col, value in enumerate(("合计", len(catalog.rows), total_priority), start=1):
        sheet.cell(row=total_row, column=col, value=value).font = Font(bold=True)
    for letter, width in (("A", 24), ("B", 12), ("C", 14)):
        sheet.column_dimensions[letter].width = width


def set_public_contact(
    *, session: Session, actor: Actor, now: datetime, organisation_id: int, contact: str | None
) -> PublicContact | None:
    """The provider agrees to publish `contact` in the catalog (None: withdraw the consent)."""
    require_role(actor, Role.PROVIDER, article="Art.20(1)")
    require_organisation(actor, organisation_id)
    existing = session.get(PublicContact, organisation_id)
    before = {"contact": existing.contact} if existing else None
    text = (contact or "").strip()
    if contact is not None and not text:
        raise InvalidInput("联系方式不能为空", code="contact_required", loc=("contact",))
    if len(text) > 200:
        raise InvalidInput("联系方式过长（最多 200 字）", code="contact_too_long", loc=("contact",))
    if not text:
        if existing is not None:
            session.delete(existing)
        result = None
    else:
        result = existing or PublicContact(organisation_id=organisation_id)
        result.contact, result.updated_at = text, now
        result.updated_by_user_id = signed_in(actor)
        session.add(result)
    session.flush()
    record(session, actor=actor, now=now, action="catalog.public_contact",
           object_type="organisation", object_id=organisation_id, before=before,
           after={"contact": text or None})  # fmt: skip
    return result
