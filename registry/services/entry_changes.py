"""资源信息变更申请 (entry change requests): a provider keeps a certified resource's texts and
cases current (Art.18 asks yearly for 技术更新迭代情况), but a certified text changes only once
the province has seen and approved the change. Approval updates the resource, adds the cases,
writes the audit row, tells the provider and appends an `updated` outbox row, so the live index
re-reads the entry; rejection changes nothing but the request."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, datetime
from types import MappingProxyType
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from registry.actor import Actor, require_organisation, require_role, signed_in
from registry.audit import jsonable, record
from registry.enums import LibraryEventKind, Role
from registry.errors import Conflict, InvalidInput, NotFound, RuleViolation, TransitionNotAllowed
from registry.inputs import CaseInput
from registry.library import VISIBLE, record_event
from registry.models.changes import CHANGEABLE_FIELDS, EntryChange, EntryChangeStatus
from registry.models.library import LibraryEntry
from registry.rules import art12
from registry.services.library_admin import entry_by_code, notify_entry
from registry.services.resources import check_case, new_case
from registry.workdays import SHANGHAI

ARTICLE = "Art.18"
S = EntryChangeStatus
LABELS = MappingProxyType(
    {
        S.PENDING: "待省厅审核",
        S.APPROVED: "已同意变更",
        S.REJECTED: "未同意变更",
        S.WITHDRAWN: "已撤回申请",
        S.LAPSED: "资源已移出，申请终止",
    }
)
FIELD_LABELS = MappingProxyType(
    {
        "summary": "技术简介",
        "advantages": "核心优势",
        "indicators": "性能指标",
        "scenarios": "应用场景",
    }
)
_DATES = ("started_on", "completed_on", "feedback_on")


@dataclass(frozen=True, slots=True, kw_only=True)
class EntryChangeInput:
    """What a provider proposes: new texts (None: unchanged), new cases and why."""

    explanation: str
    summary: str | None = None
    advantages: str | None = None
    indicators: str | None = None
    scenarios: str | None = None
    new_cases: tuple[CaseInput, ...] = ()


def propose_change(
    *, session: Session, actor: Actor, now: datetime, resource_code: str, data: EntryChangeInput
) -> EntryChange:
    """The provider proposes new content for one of its certified or warned entries."""
    require_role(actor, Role.PROVIDER, article=ARTICLE)
    entry = entry_by_code(session=session, resource_code=resource_code, visible_only=False)
    require_organisation(actor, entry.resource.organisation_id)
    _require_in_library(entry, "propose")
    if not data.explanation.strip():
        raise InvalidInput("须说明变更的原因和内容", code="explanation_required",
                           article=ARTICLE, loc=("explanation",))  # fmt: skip
    texts = _changed_texts(entry, data)
    for i, case in enumerate(data.new_cases):
        check_case(case, loc=("new_cases", i))
    _check_case_timeliness(data.new_cases, now.astimezone(SHANGHAI).date())
    if not texts and not data.new_cases:
        raise InvalidInput("变更申请须修改至少一项内容或新增案例", code="change_empty",
                           article=ARTICLE, loc=("summary",))  # fmt: skip
    if session.scalar(select(EntryChange.id).where(EntryChange.pending_entry_id == entry.id)):
        raise _pending_conflict()
    resource = entry.resource
    change = EntryChange(
        library_entry_id=entry.id, organisation_id=resource.organisation_id,
        pending_entry_id=entry.id, status=S.PENDING, **texts,
        new_cases=[_case_json(c) for c in data.new_cases],
        before={name: getattr(resource, name) for name in texts},
        explanation=data.explanation.strip(), created_at=now,
        created_by_user_id=signed_in(actor),
    )  # fmt: skip
    session.add(change)
    try:
        session.flush()
    except IntegrityError as exc:  # a colleague proposed at the same moment; caller rolls back
        raise _pending_conflict() from exc
    _audit(session, actor, now, change, "propose", after=_proposal(change))
    return change


def _check_case_timeliness(cases: tuple[CaseInput, ...], on: date) -> None:
    """Art.12(4): a new case's feedback is at most a year old on the day the change is
    proposed, and no date of it lies after that day; every late case is named at once."""
    findings = []
    for i, case in enumerate(cases):
        findings += art12.check_new_case(
            completed_on=case.completed_on, feedback_on=case.feedback_on, on=on,
            label=f"新增案例 {i + 1}《{case.title.strip()}》", loc=("new_cases", i),
        )  # fmt: skip
    if findings:
        raise RuleViolation("新增案例不符合第十二条的时效要求", code=findings[0].code,
                            article=findings[0].article, findings=findings)  # fmt: skip


def _changed_texts(entry: LibraryEntry, data: EntryChangeInput) -> dict[str, str]:
    """The given texts, each refused when empty or equal to the resource's current one."""
    texts = {}
    for name in CHANGEABLE_FIELDS:
        value = getattr(data, name)
        if value is None:
            continue
        value = value.strip()
        if not value:
            raise InvalidInput(f"{FIELD_LABELS[name]}不能为空", code="field_required",
                               article=ARTICLE, loc=(name,))  # fmt: skip
        if value == getattr(entry.resource, name).strip():
            raise InvalidInput(f"{FIELD_LABELS[name]}与现有内容相同，未作修改",
                               code="field_unchanged", article=ARTICLE, loc=(name,))  # fmt: skip
        texts[name] = value
    return texts


def approve_change(
    *, session: Session, actor: Actor, now: datetime, change_id: int, note: str = "",
    expected_version: int | None = None,
) -> EntryChange:  # fmt: skip
    """The province approves: the resource's texts change, the cases are added, search follows."""
    require_role(actor, Role.PROVINCIAL_STAFF, article=ARTICLE)
    change = get_change(session=session, actor=actor, change_id=change_id)
    _require_in_library(change.entry, "approve")
    _decide(session, actor, now, change, S.APPROVED, note.strip() or None, expected_version)
    resource = change.entry.resource
    proposed = change.proposed()
    before = {name: getattr(resource, name) for name in proposed}
    for name, value in proposed.items():
        setattr(resource, name, value)
    added = [new_case(resource, _case_input(c), now) for c in change.new_cases]
    resource.updated_at = change.entry.updated_at = now
    session.flush()
    _audit(session, actor, now, change, "approve", before=before,
           after=proposed | {"cases_added": [c.id for c in added]})  # fmt: skip
    record_event(session, resource_code=resource.code, kind=LibraryEventKind.UPDATED, now=now)
    notify_entry(session=session, entry=change.entry, now=now,
                 text="的信息变更申请已获同意，资源库中的内容已更新")  # fmt: skip
    return change


def reject_change(
    *, session: Session, actor: Actor, now: datetime, change_id: int, reason: str,
    expected_version: int | None = None,
) -> EntryChange:  # fmt: skip
    """The province rejects with a reason; the entry keeps its certified content."""
    require_role(actor, Role.PROVINCIAL_STAFF, article=ARTICLE)
    if not reason.strip():
        raise InvalidInput("不同意变更须说明理由", code="reasons_required", article=ARTICLE,
                           loc=("reason",))  # fmt: skip
    change = get_change(session=session, actor=actor, change_id=change_id)
    _decide(session, actor, now, change, S.REJECTED, reason.strip(), expected_version)
    _audit(session, actor, now, change, "reject", after={"reason": reason.strip()})
    notify_entry(session=session, entry=change.entry, now=now,
                 text=f"的信息变更申请未获同意。理由：{reason.strip()}")  # fmt: skip
    return change


def withdraw_change(
    *, session: Session, actor: Actor, now: datetime, change_id: int
) -> EntryChange:
    """The provider takes its pending change back before the province decides."""
    require_role(actor, Role.PROVIDER, article=ARTICLE)
    change = get_change(session=session, actor=actor, change_id=change_id)
    _decide(session, actor, now, change, S.WITHDRAWN, None, None, by_user=False)
    _audit(session, actor, now, change, "withdraw")
    return change


def get_change(*, session: Session, actor: Actor, change_id: int) -> EntryChange:
    """A change the actor may see: providers their own organisation's, the province all."""
    require_role(actor, Role.PROVIDER, Role.PROVINCIAL_STAFF, Role.ADMIN)
    change = session.get(EntryChange, change_id)
    if change is None:
        raise NotFound(f"变更申请不存在：{change_id}", code="entry_change_not_found",
                       loc=("entry_change", change_id))  # fmt: skip
    if actor.role is Role.PROVIDER:
        require_organisation(actor, change.organisation_id)
    return change


def entry_changes(
    *, session: Session, actor: Actor, status: EntryChangeStatus | None = None,
    resource_code: str | None = None,
) -> list[EntryChange]:  # fmt: skip
    """Changes the actor may see, newest first, optionally in one status or of one entry."""
    require_role(actor, Role.PROVIDER, Role.PROVINCIAL_STAFF, Role.ADMIN)
    query: Select[tuple[EntryChange]] = select(EntryChange)
    if actor.role is Role.PROVIDER:
        query = query.where(EntryChange.organisation_id == actor.organisation_id)
    if status is not None:
        query = query.where(EntryChange.status == status)
    if resource_code is not None:
        entry = entry_by_code(session=session, resource_code=resource_code, visible_only=False)
        query = query.where(EntryChange.library_entry_id == entry.id)
    return list(session.scalars(query.order_by(EntryChange.id.desc())))


def _decide(
    session: Session,
    actor: Actor,
    now: datetime,
    change: EntryChange,
    target: EntryChangeStatus,
    reason: str | None,
    expected_version: int | None,
    *,
    by_user: bool = True,
) -> None:
    """Guarded status change: refused unless pending; the version check in the UPDATE makes
    the slower of two staff deciding at once get a Conflict."""
    change_id = change.id
    if change.status is not S.PENDING:
        raise TransitionNotAllowed(
            f"当前状态为“{LABELS[change.status]}”，不能执行此操作",
            event=target.value, state=change.status.value, article=ARTICLE, loc=("status",),
        )  # fmt: skip
    if expected_version is not None and change.version != expected_version:
        raise _changed_conflict(change_id)
    change.status, change.decided_at, change.pending_entry_id = target, now, None
    change.decided_by_user_id = signed_in(actor) if by_user else None
    change.decision_reason = reason
    try:
        session.flush()
    except StaleDataError as exc:  # the session is unusable now: the caller rolls back
        raise _changed_conflict(change_id) from exc


def _require_in_library(entry: LibraryEntry, event: str) -> None:
    if entry.status not in VISIBLE:
        raise TransitionNotAllowed(
            f"资源已移出或退出资源库（{entry.status.value}），不能变更其信息",
            code="entry_not_changeable", event=event, state=entry.status.value,
            article=ARTICLE, loc=("resource_code",),
        )  # fmt: skip


def _pending_conflict() -> Conflict:
    return Conflict("该资源已有待审核的变更申请，请等待省厅处理或先撤回", article=ARTICLE,
                    code="entry_change_pending", loc=("resource_code",))  # fmt: skip


def _changed_conflict(change_id: int) -> Conflict:
    return Conflict(f"变更申请 {change_id} 已被他人处理，请刷新后重试",
                    code="entry_change_changed", loc=("entry_change", change_id))  # fmt: skip


def _case_json(data: CaseInput) -> dict[str, Any]:
    return {name: jsonable(value) for name, value in asdict(data).items()}


def _case_input(stored: dict[str, Any]) -> CaseInput:
    """A stored proposed case back as the registry's input (dates from ISO text)."""
    values: dict[str, Any] = {
        k: date.fromisoformat(v) if k in _DATES else v for k, v in stored.items()
    }
    return CaseInput(**values)


def proposed_cases(change: EntryChange) -> list[CaseInput]:
    """The cases a change adds, as inputs."""
    return [_case_input(c) for c in change.new_cases]


def _proposal(change: EntryChange) -> dict[str, Any]:
    return change.proposed() | {
        "resource_code": change.entry.resource.code,
        "new_cases": [c["title"] for c in change.new_cases],
    }


def _audit(
    session: Session,
    actor: Actor,
    now: datetime,
    change: EntryChange,
    action: str,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    record(session, actor=actor, now=now, action=f"entry_change.{action}",
           object_type="entry_change", object_id=change.id, before=before,
           after={"status": change.status.value, "resource_code": change.entry.resource.code}
           | (after or {}))  # fmt: skip
