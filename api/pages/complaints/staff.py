"""审核台 · 投诉举报办理 (Art.23): the complaints the caller handles (the province: all; a
municipal reviewer: those assigned to them), and one complaint with its content, contacts,
investigation notes, and the assign (province), note and close forms."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from api.auth import Principal
from api.deps import NowDep, SessionDep, SignedInDep
from api.pages.common import PageErrors, flash, redirect, render
from api.pages.lifecycle.forms import Form, post_form
from api.pages.validation import parse
from api.permissions import PROVINCE, only
from api.routes.complaints import assignees
from api.schemas.complaints import (
    AssignmentCreate,
    ComplaintCloseCreate,
    ComplaintNoteCreate,
    ComplaintRead,
    ComplaintSummaryRead,
)
from registry.enums import Role
from registry.errors import InvalidInput
from registry.models.accounts import User
from registry.services import complaints

router = APIRouter(include_in_schema=False)
HANDLERS = only(Role.PROVINCIAL_STAFF, Role.MUNICIPAL_REVIEWER)
PERMISSIONS = {
    "page.complaints.staff": HANDLERS,
    "page.complaints.detail": HANDLERS,
    "page.complaints.act": HANDLERS,
    "page.complaints.assign": PROVINCE,
}


@router.get("/review/complaints", name="page.complaints.staff")
def queue(
    request: Request,
    principal: SignedInDep,
    session: SessionDep,
    all: Annotated[bool, Query()] = False,
) -> HTMLResponse:
    """Open complaints first (or every one), newest first."""
    found = complaints.complaints_list(session=session, actor=principal.actor, open_only=not all)
    return render(
        request,
        "complaints/staff_list.html",
        {
            "items": [ComplaintSummaryRead.of(c) for c in found],
            "all": all,
            "province": principal.actor.role is Role.PROVINCIAL_STAFF,
        },
        principal=principal,
    )


def detail_page(
    request: Request,
    principal: Principal,
    session: Session,
    complaint_id: int,
    *,
    errors: PageErrors | None = None,
    form: Form | None = None,
) -> HTMLResponse:
    """One complaint for the staff who handle it."""
    found = complaints.get_complaint(
        session=session, actor=principal.actor, complaint_id=complaint_id
    )
    province = principal.actor.role is Role.PROVINCIAL_STAFF
    ids = [n.author_user_id for n in found.notes] + [found.assignee_user_id]
    users = session.scalars(select(User).where(User.id.in_([i for i in ids if i is not None])))
    names = {u.id: u.display_name for u in users}
    return render(
        request,
        "complaints/staff_detail.html",
        {
            "c": ComplaintRead.of(found),
            "names": names,
            "province": province,
            "assignees": assignees(session) if province else [],
            "errors": errors,
            "form": form or {},
        },
        principal=principal,
        status_code=errors.status if errors else 200,
    )


@router.get("/review/complaints/{complaint_id}", name="page.complaints.detail")
def detail(
    complaint_id: int, request: Request, principal: SignedInDep, session: SessionDep
) -> HTMLResponse:
    """A complaint with notes and the actions the caller may take."""
    return detail_page(request, principal, session, complaint_id)


@router.post("/review/complaints/{complaint_id}/assignment", name="page.complaints.assign")
async def assign(
    complaint_id: int, request: Request, principal: SignedInDep, session: SessionDep, now: NowDep
) -> Response:
    """The province hands the complaint to a colleague or a municipal reviewer."""

    def action(form: Form) -> Any:
        body = parse(AssignmentCreate, {"assignee_user_id": form.get("assignee_user_id")})
        return complaints.assign_complaint(
            session=session,
            actor=principal.actor,
            now=now,
            complaint_id=complaint_id,
            assignee_user_id=body.assignee_user_id,
        )

    def done(_: Any) -> Response:
        flash(request, "已分派办理。")
        return redirect(f"/review/complaints/{complaint_id}")

    def failed(errors: PageErrors, form: Form) -> Response:
        return detail_page(request, principal, session, complaint_id, errors=errors, form=form)

    return await post_form(request, session, action, done=done, failed=failed)


@router.post("/review/complaints/{complaint_id}/action", name="page.complaints.act")
async def act(
    complaint_id: int, request: Request, principal: SignedInDep, session: SessionDep, now: NowDep
) -> Response:
    """Add an investigation note, or close the complaint with its result."""

    def action(form: Form) -> Any:
        kind = form.get("action")
        if kind == "note":
            note = parse(ComplaintNoteCreate, {"text": form.get("text")})
            return complaints.add_note(
                session=session,
                actor=principal.actor,
                now=now,
                complaint_id=complaint_id,
                text=note.text,
            )
        if kind == "close":
            body = parse(ComplaintCloseCreate, {"result": form.get("result")})
            return complaints.close_complaint(
                session=session,
                actor=principal.actor,
                now=now,
                complaint_id=complaint_id,
                result=body.result,
            )
        raise InvalidInput("请选择操作", code="action_required", loc=("action",))

    def done(_: Any) -> Response:
        flash(request, "已记录。")
        return redirect(f"/review/complaints/{complaint_id}")

    def failed(errors: PageErrors, form: Form) -> Response:
        return detail_page(request, principal, session, complaint_id, errors=errors, form=form)

    return await post_form(request, session, action, done=done, failed=failed)
