"""Art.19(1) warnings: the province warns an entry with reasons; the provider has six months to
rectify and submits a rectification; the province closes the warning (back to certified) or
removes the entry. A warned entry stays searchable, flagged and demoted (the `warned` event)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from types import MappingProxyType
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.actor import Actor, require_organisation, require_role, signed_in
from registry.audit import record
from registry.calendar_store import work_calendar
from registry.enums import Role
from registry.errors import InvalidInput, NotFound, TransitionNotAllowed
from registry.models.library import LibraryEntry
from registry.models.monitoring import LibraryWarning, WarningReason, WarningStatus
from registry.models.organisations import Organisation
from registry.models.resources import Resource
from registry.services.library_admin import (
    change_entry_status,
    close_open_items,
    entry_by_code,
    move_status,
    notify_entry,
)
from registry.services.periods import is_past, months_deadline
from registry.workflow import EntryEvent

SHANGHAI = ZoneInfo("Asia/Shanghai")
ARTICLE = "Art.19(1)"
RECTIFICATION_MONTHS = 6  # Art.19(1) 限期6个月内整改
REASON_LABELS = MappingProxyType(
    {
        WarningReason.OUTDATED: "技术落后",
        WarningReason.NO_CASES: "无实际应用案例",
        WarningReason.POOR_FEEDBACK: "用户反馈较差",
        WarningReason.INELIGIBLE: "不再符合认定条件",
    }
)
OPEN = (WarningStatus.OPEN, WarningStatus.RECTIFIED)
_STATUS_LABELS = {
    WarningStatus.OPEN: "待整改",
    WarningStatus.RECTIFIED: "已提交整改、待审核",
    WarningStatus.CLOSED: "已解除",
    WarningStatus.REMOVED: "已移出资源库",
    WarningStatus.WITHDRAWN: "已退出资源库",
}


def rectification_due_on(*, session: Session, warned_on: date) -> date:
    """Last day to rectify a warning given on `warned_on` (six months on, past rest days)."""
    return months_deadline(warned_on, RECTIFICATION_MONTHS, work_calendar(session))


def warn_entry(
    *,
    session: Session,
    actor: Actor,
    now: datetime,
    resource_code: str,
    reasons: Sequence[WarningReason],
    detail: str,
) -> LibraryWarning:
    """Warn a certified entry (Art.19(1)): status warned, six months to rectify."""
    require_role(actor, Role.PROVINCIAL_STAFF, article=ARTICLE)
    reasons = _valid_reasons(reasons)
    if not detail.strip():
        raise InvalidInput("须说明预警的具体情况", code="reasons_required", article=ARTICLE,
                           loc=("detail",))  # fmt: skip
    entry = entry_by_code(session=session, resource_code=resource_code)
    due_on = rectification_due_on(session=session, warned_on=now.astimezone(SHANGHAI).date())
    labels = "、".join(REASON_LABELS[r] for r in reasons)
    change_entry_status(session=session, actor=actor, now=now, entry=entry,
                        event=EntryEvent.WARN, note=f"{labels}：{detail.strip()}")  # fmt: skip
    warning = LibraryWarning(
        library_entry_id=entry.id, status=WarningStatus.OPEN, reasons=[r.value for r in reasons],
        detail=detail.strip(), warned_at=now, warned_by_user_id=signed_in(actor),
        rectification_due_on=due_on,
    )  # fmt: skip
    session.add(warning)
    session.flush()
    record(session, actor=actor, now=now, action="warning.create", object_type="warning",
           object_id=warning.id, after={"resource_code": resource_code, "reasons": warning.reasons,
                                        "rectification_due_on": due_on.isoformat()})  # fmt: skip
    notify_entry(session=session, entry=entry, now=now,
                 text=f"须于{due_on.isoformat()}前完成整改并在平台提交整改报告")  # fmt: skip
    return warning


def _valid_reasons(reasons: Sequence[WarningReason]) -> list[WarningReason]:
    try:
        valid = list(dict.fromkeys(WarningReason(r) for r in reasons))
    except ValueError as exc:
        raise InvalidInput(f"未知的预警理由：{exc}", code="warning_reason_invalid",
                           article=ARTICLE, loc=("reasons",)) from exc  # fmt: skip
    if not valid:
        raise InvalidInput("须至少选择一项预警理由（第十九条第（一）项）",
                           code="reasons_required", article=ARTICLE, loc=("reasons",))  # fmt: skip
    return valid


def get_warning(*, session: Session, actor: Actor, warning_id: int) -> LibraryWarning:
    """A warning, if the actor may see it (providers: their own entries only)."""
    require_role(actor, Role.PROVIDER, Role.PROVINCIAL_STAFF, Role.MUNICIPAL_REVIEWER, Role.ADMIN)
    warning = session.get(LibraryWarning, warning_id)
    if warning is None:
        raise NotFound(f"预警不存在：{warning_id}", code="warning_not_found", loc=("warning",))
    org = warning.entry.resource.organisation
    if actor.role is Role.PROVIDER:
        require_organisation(actor, org.id)
    elif actor.role is Role.MUNICIPAL_REVIEWER and actor.city != org.city:
        raise NotFound(f"预警不存在：{warning_id}", code="warning_not_found", loc=("warning",))
    return warning


def submit_rectification(
    *, session: Session, actor: Actor, now: datetime, warning_id: int, rectification: str
) -> LibraryWarning:
    """The provider reports what it rectified; a late rectification is accepted and audited."""
    require_role(actor, Role.PROVIDER, article=ARTICLE)
    warning = get_warning(session=session, actor=actor, warning_id=warning_id)
    if not rectification.strip():
        raise InvalidInput("整改报告不能为空", code="rectification_required", article=ARTICLE,
                           loc=("rectification",))  # fmt: skip
    late = is_past(warning.rectification_due_on, now.astimezone(SHANGHAI).date(),
                   work_calendar(session))
    _move(session, warning, (WarningStatus.OPEN, WarningStatus.RECTIFIED), WarningStatus.RECTIFIED,
          rectification=rectification.strip(), rectified_at=now)  # fmt: skip
    record(session, actor=actor, now=now, action="warning.rectify", object_type="warning",
           object_id=warning.id, after={"status": warning.status.value, "late": late})  # fmt: skip
    return warning


def close_warning(
    *, session: Session, actor: Actor, now: datetime, warning_id: int, note: str
) -> LibraryWarning:
    """The province accepts the rectification (or withdraws the warning): certified again."""
    return _decide(session, actor, now, warning_id, note, EntryEvent.CLOSE_WARNING)


def remove_after_warning(
    *, session: Session, actor: Actor, now: datetime, warning_id: int, note: str
) -> LibraryWarning:
    """Art.19(1): still failing after rectification (or none came): the entry leaves the library."""
    return _decide(session, actor, now, warning_id, note, EntryEvent.REMOVE)


def _decide(
    session: Session, actor: Actor, now: datetime, warning_id: int, note: str, event: EntryEvent
) -> LibraryWarning:
    require_role(actor, Role.PROVINCIAL_STAFF, article=ARTICLE)
    if not note.strip():
        raise InvalidInput("须说明处理意见", code="reasons_required", article=ARTICLE,
                           loc=("note",))  # fmt: skip
    warning = get_warning(session=session, actor=actor, warning_id=warning_id)
    today = now.astimezone(SHANGHAI).date()
    waiting = warning.status is WarningStatus.OPEN and not is_past(
        warning.rectification_due_on, today, work_calendar(session)
    )
    if event is EntryEvent.REMOVE and waiting:
        raise TransitionNotAllowed(
            f"整改期限至{warning.rectification_due_on.isoformat()}，期限届满前未提交整改的"
            "不能移出（第十九条第（一）项）", event="remove", state=warning.status.value,
            article=ARTICLE, code="rectification_period_running", loc=("status",),
        )  # fmt: skip
    target = WarningStatus.CLOSED if event is EntryEvent.CLOSE_WARNING else WarningStatus.REMOVED
    _move(session, warning, OPEN, target, decided_at=now, decided_by_user_id=signed_in(actor),
          decision_note=note.strip())  # fmt: skip
    change_entry_status(session=session, actor=actor, now=now, entry=warning.entry, event=event,
                        note=note.strip(), article=ARTICLE)  # fmt: skip
    if event is EntryEvent.REMOVE:
        close_open_items(session=session, actor=actor, entry=warning.entry, now=now,
                         warnings_to=WarningStatus.REMOVED, note=note.strip())  # fmt: skip
    record(session, actor=actor, now=now, action=f"warning.{target.value}", object_type="warning",
           object_id=warning.id, after={"status": target.value, "note": note.strip()})  # fmt: skip
    return warning


def _move(
    session: Session,
    warning: LibraryWarning,
    allowed: tuple[WarningStatus, ...],
    target: WarningStatus,
    **values: object,
) -> None:
    move_status(session, warning, target, allowed=allowed, labels=_STATUS_LABELS,
                article=ARTICLE, **values)  # fmt: skip


@dataclass(frozen=True, slots=True)
class WarningView:
    """A warning as lists and screens show it."""

    id: int
    resource_code: str
    title: str
    organisation: str
    city: str
    status: WarningStatus
    reasons: tuple[str, ...]
    warned_at: datetime
    rectification_due_on: date
    overdue: bool
    rectified_at: datetime | None


def warnings_list(
    *, session: Session, actor: Actor, now: datetime, open_only: bool = True
) -> list[WarningView]:
    """Warnings the actor may see (providers their own, cities their city's), soonest due first."""
    require_role(actor, Role.PROVIDER, Role.MUNICIPAL_REVIEWER, Role.PROVINCIAL_STAFF, Role.ADMIN)
    today = now.astimezone(SHANGHAI).date()
    query = (
        select(LibraryWarning, Organisation)
        .join(LibraryEntry, LibraryWarning.library_entry_id == LibraryEntry.id)
        .join(Resource, LibraryEntry.resource_id == Resource.id)
        .join(Organisation, Resource.organisation_id == Organisation.id)
        .order_by(LibraryWarning.rectification_due_on, LibraryWarning.id)
    )
    if open_only:
        query = query.where(LibraryWarning.status.in_(OPEN))
    if actor.role is Role.PROVIDER:
        query = query.where(Organisation.id == actor.organisation_id)
    elif actor.role is Role.MUNICIPAL_REVIEWER:
        query = query.where(Organisation.city == actor.city)
    views = []
    for w, org in session.execute(query):
        views.append(
            WarningView(
                w.id, w.entry.resource.code, w.entry.resource.title, org.name, org.city, w.status,
                tuple(REASON_LABELS[WarningReason(r)] for r in w.reasons), w.warned_at,
                w.rectification_due_on, w.status in OPEN and today > w.rectification_due_on,
                w.rectified_at,
            )
        )  # fmt: skip
    return views
