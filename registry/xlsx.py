"""Small helpers for the spreadsheets the registry publishes (openpyxl): a table with a styled,
frozen header and set column widths, and sheet names Excel accepts."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1F4E78")
TITLE_FONT = Font(bold=True, size=16)
THIN = Side(style="thin", color="BFBFBF")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="top")
_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
SHEET_NAME_MAX = 31  # Excel's limit


@dataclass(frozen=True, slots=True)
class Column:
    """A column of a table: its header and width in characters (a CJK character counts ~2)."""

    header: str
    width: float
    wrap: bool = False


def sheet_name(name: str, taken: Iterable[str] = ()) -> str:
    """`name` made valid for Excel (no []:*?/\\, at most 31 characters) and unique."""
    base = _FORBIDDEN.sub("_", name).strip("'") or "Sheet"
    base = base[:SHEET_NAME_MAX]
    used = set(taken)
    candidate, n = base, 2
    while candidate in used:
        suffix = f"({n})"
        candidate = base[: SHEET_NAME_MAX - len(suffix)] + suffix
        n += 1
    return candidate


def write_table(
    sheet: Worksheet,
    columns: Sequence[Column],
    rows: Iterable[Sequence[Any]],
    *,
    first_row: int = 1,
) -> int:
    """Write a header at `first_row` and the rows below it; freeze and filter the header.

    Returns the number of data rows written.
    """
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(row=first_row, column=index, value=column.header)
        cell.font, cell.fill, cell.border = HEADER_FONT, HEADER_FILL, BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    count = 0
    for count, values in enumerate(rows, start=1):
        for index, (column, value) in enumerate(zip(columns, values, strict=True), start=1):
            cell = sheet.cell(row=first_row + count, column=index, value=value)
            cell.border = BORDER
            if column.wrap:
                cell.alignment = WRAP
    sheet.freeze_panes = sheet.cell(row=first_row + 1, column=1)
    last = get_column_letter(len(columns))
    sheet.auto_filter.ref = f"A{first_row}:{last}{first_row + max(count, 1)}"
    return count
