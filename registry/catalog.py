"""The annual catalog (Art.20(1)): 《广东省制造业赋能资源目录（YYYY年）》 as rows for the web
page and as an xlsx workbook: a cover sheet, then one sheet per Art.5 direction.

Which entries are listed: those in good standing (certified) on the `as_of` day. Warned entries
(Art.19(1), under rectification) are left out by default: the catalog is the province's
published recommendation 供制造业企业查询选用, and the province has itself found a warned entry
failing; it stays findable in matching, flagged and demoted, and returns to the next catalog
once the warning is closed. `include_warned=True` lists them with the remark 预警整改中 (for
staff). The state on `as_of` is read from the entry's history, so a catalog of a past day can
be reproduced; priority (Art.19(4)) likewise from the audit log of priority marks.

Each entry is listed once, on the sheet of its first direction (the one its provider named
first); the 赋能方向 column lists all of them. Within a sheet, priority entries come first
(Art.19(4) 优先支持), then by resource code.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from registry.enums import LibraryStatus
from registry.models.audit import AuditEntry
from registry.models.library import LibraryEntry
from registry.models.monitoring import LibraryEntryHistory, PublicContact
from registry.models.resources import ConsortiumMember, Resource
from registry.reference import INDUSTRIES, Direction

SHANGHAI = ZoneInfo("Asia/Shanghai")
SUMMARY_LIMIT = 80  # characters of 技术简介 in the catalog
DIRECTIONS = tuple(d.value for d in Direction)


def catalog_title(year: int) -> str:
    """The catalog's official title for `year`."""
    return f"广东省制造业赋能资源目录（{year}年）"


@dataclass(frozen=True, slots=True)
class CatalogRow:
    """One resource as the catalog lists it."""

    sheet: str  # the Art.5 direction whose sheet lists it
    number: int  # 序号 within its sheet
    resource_code: str
    title: str
    provider: str
    city: str
    form: str
    directions: tuple[str, ...]
    industries: tuple[str, ...]  # division codes, e.g. C39
    summary: str  # shortened
    contact: str | None
    listed_on: date
    priority: bool
    warned: bool
    remarks: str


@dataclass(frozen=True, slots=True)
class Catalog:
    """The catalog of a year as of a day."""

    year: int
    as_of: date
    title: str
    rows: tuple[CatalogRow, ...]
    include_warned: bool

    def counts(self) -> dict[str, int]:
        """Resources per direction sheet, in the order of Art.5."""
        return {d: sum(1 for r in self.rows if r.sheet == d) for d in DIRECTIONS}


def build_catalog(
    *, session: Session, year: int, as_of: date, include_warned: bool = False
) -> Catalog:
    """Every entry listed on `as_of`, numbered per sheet."""
    rows = catalog_rows(session=session, as_of=as_of, include_warned=include_warned)
    return Catalog(year, as_of, catalog_title(year), tuple(rows), include_warned)


def catalog_rows(
    *,
    session: Session,
    as_of: date,
    include_warned: bool = False,
    direction: str | None = None,
    city: str | None = None,
    industry: str | None = None,
    form: str | None = None,
    text: str | None = None,
    priority_only: bool = False,
) -> list[CatalogRow]:
    """The catalog's rows in sheet order, optionally filtered (the web page's filters).

    `direction` matches any of an entry's directions; `text` is a substring of the code, title,
    provider or summary. Numbers are those of the full catalog, so a filtered page quotes the
    same 序号 as the published file.
    """
    end_of_day = datetime.combine(as_of, time.max, SHANGHAI)
    states = entries_as_of(session=session, at=end_of_day)
    priority = _priority_as_of(session, end_of_day)
    contacts = _contacts(session)
    listed = [
        _row(entry, state, priority.get(entry.id, False), contacts)
        for entry, state in states
        if state is LibraryStatus.CERTIFIED or (include_warned and state is LibraryStatus.WARNED)
    ]
    rows = _numbered(listed)
    wanted = _Filter(direction, city, industry, form, text, priority_only)
    return [row for row in rows if wanted.keeps(row)]


def entries_as_of(*, session: Session, at: datetime) -> list[tuple[LibraryEntry, LibraryStatus]]:
    """Entries certified by `at` with their library state at that moment, from their history.

    History before the entry's (latest) certification belongs to an earlier spell in the
    library and is ignored.
    """
    entries = session.scalars(
        select(LibraryEntry)
        .where(LibraryEntry.certified_at <= at)
        .options(
            selectinload(LibraryEntry.resource).selectinload(Resource.organisation),
            selectinload(LibraryEntry.resource).selectinload(Resource.directions),
            selectinload(LibraryEntry.resource).selectinload(Resource.industries),
            selectinload(LibraryEntry.resource)
            .selectinload(Resource.consortium)
            .selectinload(ConsortiumMember.organisation),
        )
    ).all()
    changes = session.execute(
        select(LibraryEntryHistory.library_entry_id, LibraryEntryHistory.at,
               LibraryEntryHistory.to_status)
        .where(LibraryEntryHistory.at <= at)
        .order_by(LibraryEntryHistory.id)
    ).all()  # fmt: skip
    certified_at = {e.id: e.certified_at for e in entries}
    state = {e.id: LibraryStatus.CERTIFIED for e in entries}
    for entry_id, changed_at, to_status in changes:
        if entry_id in state and changed_at >= certified_at[entry_id]:
            state[entry_id] = to_status
    return [(e, state[e.id]) for e in entries]


def _row(
    entry: LibraryEntry, state: LibraryStatus, priority: bool, contacts: dict[int, str]
) -> CatalogRow:
    resource, warned = entry.resource, state is LibraryStatus.WARNED
    org = resource.organisation
    remarks = [text for flag, text in ((priority, "优先推广"), (warned, "预警整改中")) if flag]
    if resource.consortium:
        remarks.append("联合体成员：" + "、".join(m.organisation.name for m in resource.consortium))
    directions = tuple(d.value for d in resource.direction_values)
    return CatalogRow(
        sheet=directions[0] if directions else Direction.COMPREHENSIVE.value,
        number=0, resource_code=resource.code, title=resource.title, provider=org.name,
        city=org.city, form=resource.form.value, directions=directions,
        industries=tuple(resource.industry_codes), summary=short_summary(resource.summary),
        contact=contacts.get(org.id), listed_on=entry.certified_at.astimezone(SHANGHAI).date(),
        priority=priority, warned=warned, remarks="；".join(remarks),
    )  # fmt: skip


def _numbered(rows: list[CatalogRow]) -> list[CatalogRow]:
    ordered = sorted(
        rows, key=lambda r: (DIRECTIONS.index(r.sheet), not r.priority, r.resource_code)
    )
    counters: dict[str, int] = {}
    numbered = []
    for row in ordered:
        counters[row.sheet] = counters.get(row.sheet, 0) + 1
        numbered.append(replace(row, number=counters[row.sheet]))
    return numbered


@dataclass(frozen=True, slots=True)
class _Filter:
    direction: str | None
    city: str | None
    industry: str | None
    form: str | None
    text: str | None
    priority_only: bool

    def keeps(self, row: CatalogRow) -> bool:
        needle = (self.text or "").strip().lower()
        haystack = f"{row.resource_code} {row.title} {row.provider} {row.summary}".lower()
        return (
            (self.direction is None or self.direction in row.directions)
            and (self.city is None or row.city == self.city)
            and (self.industry is None or self.industry in row.industries)
            and (self.form is None or row.form == self.form)
            and (not needle or needle in haystack)
            and (row.priority or not self.priority_only)
        )


def short_summary(text: str, limit: int = SUMMARY_LIMIT) -> str:
    """The first sentence(s) of `text` within `limit` characters, cut with … if longer."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit]
    end = cut.rfind("。")
    return cut[: end + 1] if end >= limit // 2 else cut[: limit - 1] + "…"


def industry_labels(codes: Iterable[str]) -> str:
    """`C39 计算机、通信和其他电子设备制造业；C38 …` for the catalog."""
    return "；".join(f"{c} {INDUSTRIES.get(c, '')}".strip() for c in codes)


def _priority_as_of(session: Session, at: datetime) -> dict[int, bool]:
    """Art.19(4) marks in force at `at`, replayed from the audit log (entry id -> flag)."""
    rows = session.execute(
        select(AuditEntry.object_id, AuditEntry.after)
        .where(
            AuditEntry.action == "library.priority",
            AuditEntry.object_type == "library_entry",
            AuditEntry.at <= at,
        )
        .order_by(AuditEntry.id)
    )
    return {int(object_id): bool((after or {}).get("priority")) for object_id, after in rows}


def _contacts(session: Session) -> dict[int, str]:
    return {c.organisation_id: c.contact for c in session.scalars(select(PublicContact))}
