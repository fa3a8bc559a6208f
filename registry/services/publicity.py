"""Publicity, objections and certification (Art.15), and Art.17 direct entry."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.actor import Actor, require_role, signed_in
from registry.audit import record, snapshot
from registry.enums import ApplicationStatus, ObjectionDecision, Role
from registry.errors import InvalidInput, NotFound, RuleViolation, TransitionNotAllowed
from registry.findings import Finding
from registry.models.applications import Application
from registry.models.library import LibraryEntry
from registry.models.reviews import Objection
from registry.services.access import get_application
from registry.services.complaints import TOKEN_BYTES, token_hash
from registry.services.state import require_status
from registry.services.transitions import fire, touch
from registry.workflow import Event

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _staff_application(session: Session, actor: Actor, application_id: int) -> Application:
    require_role(actor, Role.PROVINCIAL_STAFF, article="Art.15")
    signed_in(actor)
    return get_application(session=session, actor=actor, application_id=application_id)


def start_publicity(
    *,
    session: Session,
    actor: Actor,
    now: datetime,
    application_id: int,
    expected_version: int | None = None,
) -> Application:
    """Publish a proposed resource for 5 working days (Art.15)."""
    application = _staff_application(session, actor, application_id)
    return fire(
        session=session,
        application=application,
        event=Event.START_PUBLICITY,
        actor=actor,
        now=now,
        expected_version=expected_version,
    )


def raise_objection(
    *,
    session: Session,
    actor: Actor,
    now: datetime,
    application_id: int,
    raised_by: str,
    content: str,
) -> Objection:
    """Record an objection received during publicity."""
    application = _staff_application(session, actor, application_id)
    _open_to_objections(application, now)
    if not content.strip() or not raised_by.strip():
        raise InvalidInput(
            "异议须写明提出人和内容", code="objection_incomplete", article="Art.15",
            loc=("content",),
        )  # fmt: skip
    objection = Objection(
        application_id=application.id, raised_by=raised_by, content=content, raised_at=now,
        recorded_by_user_id=signed_in(actor),
    )  # fmt: skip
    session.add(objection)
    session.flush()
    after = {"application_id": application.id, "raised_by": raised_by, "content": content}
    record(session, actor=actor, now=now, action="objection.raise", object_type="objection",
           object_id=objection.id, after=after)  # fmt: skip
    return objection


def _open_to_objections(application: Application, now: datetime) -> None:
    """Objections are received while the application is in its publicity period (Art.15)."""
    require_status(application, "raise_objection", ApplicationStatus.PUBLICITY)
    if application.publicity_due_at is not None and now > application.publicity_due_at:
        raise TransitionNotAllowed(
            "公示期已结束，不再受理异议", code="art15.publicity_over", article="Art.15",
            event="raise_objection", state=application.status.value,
        )  # fmt: skip


OBJECTION_LABELS = {
    None: "待省工业和信息化厅处理",
    ObjectionDecision.UPHELD: "异议成立，该资源不予认定",
    ObjectionDecision.UNFOUNDED: "异议不成立",
}


@dataclass(frozen=True, slots=True)
class ObjectionFollowUp:
    """What the objector sees with the token: the decision and its reason, nothing internal."""

    reference: str
    resource_code: str
    title: str
    raised_at: datetime
    decision: ObjectionDecision | None
    status_label: str
    decision_reason: str | None
    decided_at: datetime | None


def objection_reference(objection: Objection) -> str:
    """The number quoted to the objector (异议受理编号)."""
    return f"YY{objection.raised_at.astimezone(SHANGHAI).year}-{objection.id:06d}"


def raise_public_objection(
    *, session: Session, now: datetime, application_id: int, name: str, contact: str, content: str
) -> tuple[Objection, str]:
    """Anyone objects online to an application in publicity (Art.15); returns the objection and
    its follow-up token (shown once, only its hash kept). The province decides it as any other."""
    application = session.get(Application, application_id)
    if application is None or application.status is not ApplicationStatus.PUBLICITY:
        raise NotFound(  # only what is in publicity is public: nothing else is confirmed
            "公示名单中没有该申报", code="publicity_item_not_found", article="Art.15",
            loc=("application_id",),
        )  # fmt: skip
    _open_to_objections(application, now)
    for field, value in (("name", name), ("contact", contact), ("content", content)):
        if not value.strip():
            raise InvalidInput(
                "异议须写明提出人、联系方式和异议内容", code="objection_incomplete",
                article="Art.15", loc=(field,),
            )  # fmt: skip
    token = secrets.token_urlsafe(TOKEN_BYTES)
    objection = Objection(
        application_id=application.id, raised_by=name.strip(), contact=contact.strip(),
        content=content.strip(), raised_at=now, recorded_by_user_id=None,
        token_hash=token_hash(token),
    )  # fmt: skip
    session.add(objection)
    session.flush()
    return objection, token


def objection_follow_up(*, session: Session, token: str) -> ObjectionFollowUp:
    """The objection a token belongs to, as its objector may see it."""
    objection = session.scalar(select(Objection).where(Objection.token_hash == token_hash(token)))
    if objection is None:
        raise NotFound("查询码无效", code="objection_token_invalid", loc=("token",))
    application = session.get(Application, objection.application_id)
    assert application is not None  # a foreign key
    resource = application.resource
    return ObjectionFollowUp(
        objection_reference(objection), resource.code, resource.title, objection.raised_at,
        objection.decision, OBJECTION_LABELS[objection.decision], objection.decision_reason,
        objection.decided_at,
    )  # fmt: skip


def decide_objection(
    *,
    session: Session,
    actor: Actor,
    now: datetime,
    objection_id: int,
    upheld: bool,
    reason: str,
    expected_version: int | None = None,
) -> Objection:
    """Decide an objection: upheld rejects the application, unfounded lets it proceed."""
    objection = session.get(Objection, objection_id)
    if objection is None:
        raise NotFound(f"异议不存在：{objection_id}", loc=("objection", objection_id))
    application = _staff_application(session, actor, objection.application_id)
    if objection.decision is not None:
        raise TransitionNotAllowed(
            "该异议已处理", code="objection_decided", event="decide", state=objection.decision.value
        )
    if not reason.strip():
        raise InvalidInput(
            "异议处理须说明理由", code="reasons_required", article="Art.15", loc=("reason",)
        )
    before = snapshot(objection, ("decision", "decision_reason"))
    if upheld:
        fire(session=session, application=application, event=Event.UPHOLD_OBJECTION,
             actor=actor, now=now, note=reason, expected_version=expected_version)  # fmt: skip
    else:
        require_status(application, "decide_objection", ApplicationStatus.PUBLICITY)
        touch(session=session, application=application, now=now,
              expected_version=expected_version)  # fmt: skip
    objection.decision = ObjectionDecision.UPHELD if upheld else ObjectionDecision.UNFOUNDED
    objection.decision_reason = reason
    objection.decided_at = now
    objection.decided_by_user_id = signed_in(actor)
    session.flush()
    after = snapshot(objection, ("decision", "decision_reason"))
    record(session, actor=actor, now=now, action="objection.decide", object_type="objection",
           object_id=objection.id, before=before, after=after)  # fmt: skip
    return objection


def certify(
    *,
    session: Session,
    actor: Actor,
    now: datetime,
    application_id: int,
    expected_version: int | None = None,
) -> LibraryEntry:
    """Certify after publicity with no objection standing (Art.15); enters the library."""
    application = _staff_application(session, actor, application_id)
    require_status(application, "certify", ApplicationStatus.PUBLICITY)
    due = application.publicity_due_at
    if due is not None and now <= due:
        raise TransitionNotAllowed(
            f"公示期至 {due.astimezone(SHANGHAI):%Y-%m-%d %H:%M} 结束，期满后方可认定",
            code="art15.publicity_not_over",
            article="Art.15",
            event="certify",
            state=application.status.value,
        )
    pending = session.scalar(
        select(Objection.id).where(
            Objection.application_id == application.id, Objection.decision.is_(None)
        )
    )
    if pending is not None:
        raise TransitionNotAllowed(
            "尚有未处理的异议",
            code="art15.objection_pending",
            article="Art.15",
            event="certify",
            state=application.status.value,
        )
    fire(
        session=session,
        application=application,
        event=Event.CERTIFY,
        actor=actor,
        now=now,
        expected_version=expected_version,
    )
    return _entry(session, application)


def verify_direct_entry(
    *,
    session: Session,
    actor: Actor,
    now: datetime,
    application_id: int,
    expected_version: int | None = None,
) -> LibraryEntry:
    """Art.17: the province verifies the platform's certification; the resource enters at once."""
    application = _staff_application(session, actor, application_id)
    today = now.astimezone(SHANGHAI).date()
    valid_until = application.platform_valid_until
    if valid_until is None or valid_until < today:
        raise RuleViolation(
            "创新平台认定文件不在有效期内，不能直接入库",
            article="Art.17",
            findings=[
                Finding(
                    "art17.certification_expired",
                    "Art.17",
                    f"创新平台认定有效期至 {valid_until}，核实日 {today} 已过期。",
                    loc=("direct_entry", "valid_until"),
                )
            ],
        )
    fire(
        session=session,
        application=application,
        event=Event.VERIFY_PLATFORM,
        actor=actor,
        now=now,
        note=application.platform_document,
        expected_version=expected_version,
    )
    return _entry(session, application)


def reject_application(
    *,
    session: Session,
    actor: Actor,
    now: datetime,
    application_id: int,
    reason: str,
    expected_version: int | None = None,
) -> Application:
    """The province refuses an Art.17 direct entry (the document does not hold)."""
    application = _staff_application(session, actor, application_id)
    if not reason.strip():
        raise InvalidInput("须说明理由", code="reasons_required", loc=("reason",))
    return fire(
        session=session,
        application=application,
        event=Event.REJECT,
        actor=actor,
        now=now,
        note=reason,
        expected_version=expected_version,
    )


def _entry(session: Session, application: Application) -> LibraryEntry:
    entry = session.scalar(
        select(LibraryEntry).where(LibraryEntry.resource_id == application.resource_id)
    )
    if entry is None:  # the transition creates it; its absence is a bug, not a user error
        raise RuntimeError(f"certified application {application.id} has no library entry")
    return entry
