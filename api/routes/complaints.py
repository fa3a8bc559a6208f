"""Complaints and reports (投诉举报, Art.23). Anyone files one, about a library entry, an
organisation or the process, and follows it with the token it gets (status and result only).
Provincial staff assign it; the assignee (provincial staff or a municipal reviewer) investigates
with notes and closes it with a result; the province may close any. A municipal reviewer sees
only the complaints assigned to them (others are answered 404, as if absent)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query
from sqlalchemy import select
from sqlalchemy.orm import Session

from api.deps import ActorDep, NowDep, PrincipalDep, SessionDep
from api.routes import api_router
from api.schemas.complaints import (
    AssigneeRead,
    AssignmentCreate,
    ComplaintCloseCreate,
    ComplaintCreate,
    ComplaintFiledRead,
    ComplaintFollowUpRead,
    ComplaintNoteCreate,
    ComplaintRead,
    ComplaintSummaryRead,
    NoteRead,
    TokenBody,
)
from registry.models.accounts import User
from registry.services import complaints

public = api_router("/complaints", "公开：投诉举报", secured=False)
router = api_router("/complaints", "投诉举报办理")


@public.post(
    "",
    name="complaints.file",
    summary="投诉举报（第二十三条），返回受理编号和查询码",
    status_code=201,
)
def file_complaint(
    body: ComplaintCreate, principal: PrincipalDep, session: SessionDep, now: NowDep
) -> ComplaintFiledRead:
    """Record a complaint; the token in the answer is shown once and is the only way to follow
    it (only its hash is kept)."""
    complaint, token = complaints.file_complaint(
        session=session,
        now=now,
        data=body.to_input(),
        actor=principal.actor if principal else None,
    )
    result = ComplaintFiledRead(
        reference=complaint.reference,
        token=token,
        status=complaint.status,
        status_label=complaints.LABELS[complaint.status],
        filed_at=complaint.created_at,
    )
    session.commit()
    return result


@public.post("/follow-up", name="complaints.follow_up", summary="凭查询码查询办理进度和结果")
def follow_up(body: TokenBody, session: SessionDep) -> ComplaintFollowUpRead:
    """The status and result of the complaint the token belongs to."""
    return ComplaintFollowUpRead.of(complaints.follow_up(session=session, token=body.token))


def assignees(session: Session) -> list[AssigneeRead]:
    """Active users a complaint can be assigned to: provincial staff, then reviewers by city."""
    users = session.scalars(
        select(User)
        .where(User.is_active.is_(True), User.role.in_(complaints.HANDLERS))
        .order_by(User.role.desc(), User.city, User.display_name)
    )
    return [AssigneeRead.model_validate(u) for u in users]


@router.get("", name="complaints.list", summary="投诉举报（市级：分派给本人的）")
def list_complaints(
    actor: ActorDep,
    session: SessionDep,
    open_only: Annotated[bool, Query(description="只看未办结的")] = False,
) -> list[ComplaintSummaryRead]:
    """Complaints the caller handles, newest first."""
    found = complaints.complaints_list(session=session, actor=actor, open_only=open_only)
    return [ComplaintSummaryRead.of(c) for c in found]


@router.get("/assignees", name="complaints.assignees", summary="可分派的办理人员")
def list_assignees(session: SessionDep) -> list[AssigneeRead]:
    """Provincial staff and municipal reviewers, active ones only."""
    return assignees(session)


@router.get("/{complaint_id}", name="complaints.get", summary="投诉举报详情（含调查记录）")
def get_complaint(complaint_id: int, actor: ActorDep, session: SessionDep) -> ComplaintRead:
    """A complaint with contacts, notes and result."""
    found = complaints.get_complaint(session=session, actor=actor, complaint_id=complaint_id)
    return ComplaintRead.of(found)


@router.post("/{complaint_id}/assignment", name="complaints.assign", summary="分派办理")
def assign(
    complaint_id: int, body: AssignmentCreate, actor: ActorDep, session: SessionDep, now: NowDep
) -> ComplaintRead:
    """Hand the complaint to a provincial colleague or a municipal reviewer."""
    found = complaints.assign_complaint(
        session=session,
        actor=actor,
        now=now,
        complaint_id=complaint_id,
        assignee_user_id=body.assignee_user_id,
    )
    result = ComplaintRead.of(found)
    session.commit()
    return result


@router.post(
    "/{complaint_id}/notes",
    name="complaints.notes.add",
    summary="调查核实记录（不向投诉人公开）",
    status_code=201,
)
def add_note(
    complaint_id: int, body: ComplaintNoteCreate, actor: ActorDep, session: SessionDep, now: NowDep
) -> NoteRead:
    """An investigation note; the first one starts the investigation."""
    note = complaints.add_note(
        session=session, actor=actor, now=now, complaint_id=complaint_id, text=body.text
    )
    result = NoteRead.model_validate(note)
    session.commit()
    return result


@router.post("/{complaint_id}/closure", name="complaints.close", summary="办结并答复处理结果")
def close(
    complaint_id: int,
    body: ComplaintCloseCreate,
    actor: ActorDep,
    session: SessionDep,
    now: NowDep,
) -> ComplaintRead:
    """Close with the result the complainant reads with their token."""
    found = complaints.close_complaint(
        session=session, actor=actor, now=now, complaint_id=complaint_id, result=body.result
    )
    session.refresh(found)
    result = ComplaintRead.of(found)
    session.commit()
    return result
