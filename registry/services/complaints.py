"""Complaints and reports (投诉举报, Art.23). Anyone files one, about a library entry, an
organisation or the process, with contact details or anonymously, and receives a follow-up
token: random, shown once, only its SHA-256 kept. Provincial staff assign it to a provincial
or municipal colleague, who investigates (notes, never shown to the complainant) and closes it
with a result; the province may close any. The token shows the status and the result only."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime
from types import MappingProxyType

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from registry.actor import Actor, require_role, signed_in
from registry.audit import record
from registry.enums import Role
from registry.errors import InvalidInput, NotFound, TransitionNotAllowed
from registry.models.accounts import User
from registry.models.complaints import Complaint, ComplaintNote, ComplaintStatus, ComplaintSubject
from registry.models.organisations import Organisation
from registry.models.resources import Resource
from registry.services.library_admin import move_status

ARTICLE = "Art.23"
C = ComplaintStatus
OPEN = (C.RECEIVED, C.ASSIGNED, C.INVESTIGATING)
LABELS = MappingProxyType(
    {C.RECEIVED: "已受理", C.ASSIGNED: "已分派", C.INVESTIGATING: "调查核实中", C.CLOSED: "已办结"}
)
HANDLERS = (Role.PROVINCIAL_STAFF, Role.MUNICIPAL_REVIEWER)
TOKEN_BYTES = 24  # 192 random bits: guessing a token is hopeless, no rate limit needed for it


@dataclass(frozen=True, slots=True)
class ComplaintInput:
    """What the public submits; contact details are optional."""

    subject: ComplaintSubject
    title: str
    content: str
    resource_code: str | None = None
    organisation_id: int | None = None
    contact_name: str | None = None
    contact_phone: str | None = None
    contact_email: str | None = None


@dataclass(frozen=True, slots=True)
class ComplaintFollowUp:
    """What the complainant sees with the token: never the staff's notes or names."""

    reference: str
    subject: ComplaintSubject
    title: str
    status: ComplaintStatus
    status_label: str
    filed_at: datetime
    updated_at: datetime
    result: str | None
    closed_at: datetime | None


def token_hash(token: str) -> str:
    """The stored form of a follow-up token."""
    return hashlib.sha256(token.encode()).hexdigest()


def file_complaint(
    *, session: Session, now: datetime, data: ComplaintInput, actor: Actor | None = None
) -> tuple[Complaint, str]:
    """Record a complaint; returns it and the follow-up token (shown once, never stored)."""
    subject = _subject(data.subject)
    if not data.title.strip() or not data.content.strip():
        raise InvalidInput("请填写投诉举报的标题和内容", code="complaint_incomplete",
                           article=ARTICLE, loc=("content",))  # fmt: skip
    org_id, city, code = _concerned(session, subject, data)
    token = secrets.token_urlsafe(TOKEN_BYTES)
    complaint = Complaint(
        token_hash=token_hash(token), subject=subject, resource_code=code,
        organisation_id=org_id, city=city, title=data.title.strip(), content=data.content.strip(),
        contact_name=_blank(data.contact_name), contact_phone=_blank(data.contact_phone),
        contact_email=_blank(data.contact_email), status=C.RECEIVED,
        filed_by_user_id=actor.user_id if actor else None, created_at=now, updated_at=now,
    )  # fmt: skip
    session.add(complaint)
    session.flush()
    if actor is not None:  # an anonymous filing has no actor to audit; the row records it
        record(session, actor=actor, now=now, action="complaint.file", object_type="complaint",
               object_id=complaint.id, after={"subject": subject.value})  # fmt: skip
    return complaint, token


def _subject(subject: ComplaintSubject | str) -> ComplaintSubject:
    try:
        return ComplaintSubject(subject)
    except ValueError as exc:
        raise InvalidInput(f"未知的投诉举报对象：{subject}", code="complaint_subject_invalid",
                           article=ARTICLE, loc=("subject",)) from exc  # fmt: skip


def _concerned(
    session: Session, subject: ComplaintSubject, data: ComplaintInput
) -> tuple[int | None, str | None, str | None]:
    """(organisation id, its city, resource code) of what the complaint is about."""
    if subject is ComplaintSubject.ENTRY:
        resource = session.scalar(select(Resource).where(Resource.code == data.resource_code))
        if resource is None:
            raise InvalidInput(f"资源编号不存在：{data.resource_code}",
                               code="complaint_resource_unknown", article=ARTICLE,
                               loc=("resource_code",))  # fmt: skip
        org = resource.organisation
        return org.id, org.city, resource.code
    if subject is ComplaintSubject.ORGANISATION:
        found = session.get(Organisation, data.organisation_id) if data.organisation_id else None
        if found is None:
            raise InvalidInput("请指明被投诉举报的单位", code="complaint_organisation_unknown",
                               article=ARTICLE, loc=("organisation_id",))  # fmt: skip
        return found.id, found.city, None
    return None, None, None


def _blank(value: str | None) -> str | None:
    return value.strip() or None if value else None


def follow_up(*, session: Session, token: str) -> ComplaintFollowUp:
    """The complaint a token belongs to, as its complainant may see it."""
    complaint = session.scalar(select(Complaint).where(Complaint.token_hash == token_hash(token)))
    if complaint is None:
        raise NotFound("查询码无效", code="complaint_token_invalid", loc=("token",))
    return ComplaintFollowUp(
        complaint.reference, complaint.subject, complaint.title, complaint.status,
        LABELS[complaint.status], complaint.created_at, complaint.updated_at, complaint.result,
        complaint.closed_at,
    )  # fmt: skip


def assign_complaint(
    *, session: Session, actor: Actor, now: datetime, complaint_id: int, assignee_user_id: int
) -> Complaint:
    """The province hands the complaint to a colleague (or a city) to investigate."""
    require_role(actor, Role.PROVINCIAL_STAFF, article=ARTICLE)
    complaint = get_complaint(session=session, actor=actor, complaint_id=complaint_id)
    assignee = session.get(User, assignee_user_id)
    if assignee is None or not assignee.is_active or assignee.role not in HANDLERS:
        raise InvalidInput("只能分派给省厅或地市工作人员", code="complaint_assignee_invalid",
                           article=ARTICLE, loc=("assignee_user_id",))  # fmt: skip
    target = C.ASSIGNED if complaint.status is C.RECEIVED else complaint.status
    before = complaint.assignee_user_id
    move_status(session, complaint, target, allowed=OPEN, labels=LABELS, article=ARTICLE,
                assignee_user_id=assignee.id, updated_at=now)  # fmt: skip
    record(session, actor=actor, now=now, action="complaint.assign", object_type="complaint",
           object_id=complaint.id, before={"assignee_user_id": before},
           after={"assignee_user_id": assignee.id, "status": target.value})  # fmt: skip
    return complaint


def add_note(
    *, session: Session, actor: Actor, now: datetime, complaint_id: int, text: str
) -> ComplaintNote:
    """An investigation note; the first one starts the investigation."""
    complaint = _handled(session, actor, complaint_id)
    if not text.strip():
        raise InvalidInput("记录内容不能为空", code="note_required", loc=("text",))
    if complaint.status is C.CLOSED:
        raise TransitionNotAllowed(
            "投诉举报已办结，不能再添加调查记录",
            event="note",
            state=C.CLOSED.value,
            article=ARTICLE,
            loc=("status",),
        )
    if complaint.status is C.ASSIGNED:
        move_status(session, complaint, C.INVESTIGATING, allowed=(C.ASSIGNED,), labels=LABELS,
                    updated_at=now)  # fmt: skip
    note = ComplaintNote(complaint_id=complaint.id, author_user_id=signed_in(actor),
                         text=text.strip(), created_at=now)  # fmt: skip
    session.add(note)
    session.flush()
    record(
        session,
        actor=actor,
        now=now,
        action="complaint.note",
        object_type="complaint",
        object_id=complaint.id,
        after={"note_id": note.id, "status": complaint.status.value},
    )
    return note


def close_complaint(
    *, session: Session, actor: Actor, now: datetime, complaint_id: int, result: str
) -> Complaint:
    """Close with the result the complainant will read."""
    complaint = _handled(session, actor, complaint_id)
    if not result.strip():
        raise InvalidInput("须填写处理结果", code="result_required", article=ARTICLE,
                           loc=("result",))  # fmt: skip
    allowed = OPEN if actor.role is Role.PROVINCIAL_STAFF else (C.ASSIGNED, C.INVESTIGATING)
    move_status(session, complaint, C.CLOSED, allowed=allowed, labels=LABELS, article=ARTICLE,
                result=result.strip(), closed_at=now, updated_at=now)  # fmt: skip
    record(
        session,
        actor=actor,
        now=now,
        action="complaint.close",
        object_type="complaint",
        object_id=complaint.id,
        after={"status": C.CLOSED.value, "result": result.strip()},
    )
    return complaint


def _handled(session: Session, actor: Actor, complaint_id: int) -> Complaint:
    require_role(actor, *HANDLERS, article=ARTICLE)
    return get_complaint(session=session, actor=actor, complaint_id=complaint_id)


def get_complaint(*, session: Session, actor: Actor, complaint_id: int) -> Complaint:
    """A complaint for staff: the province sees all, a city only those assigned to its people."""
    require_role(actor, Role.PROVINCIAL_STAFF, Role.MUNICIPAL_REVIEWER, Role.ADMIN)
    complaint = session.get(Complaint, complaint_id)
    hidden = (
        actor.role is Role.MUNICIPAL_REVIEWER
        and complaint is not None
        and (complaint.assignee_user_id != actor.user_id)
    )
    if complaint is None or hidden:
        raise NotFound(f"投诉举报不存在：{complaint_id}", code="complaint_not_found",
                       loc=("complaint", complaint_id))  # fmt: skip
    return complaint


def complaints_list(*, session: Session, actor: Actor, open_only: bool = False) -> list[Complaint]:
    """Complaints the actor handles (a city: those assigned to it), newest first."""
    require_role(actor, Role.PROVINCIAL_STAFF, Role.MUNICIPAL_REVIEWER, Role.ADMIN)
    query: Select[tuple[Complaint]] = select(Complaint)
    if actor.role is Role.MUNICIPAL_REVIEWER:
        query = query.where(Complaint.assignee_user_id == actor.user_id)
    if open_only:
        query = query.where(Complaint.status.in_(OPEN))
    return list(session.scalars(query.order_by(Complaint.id.desc())))
