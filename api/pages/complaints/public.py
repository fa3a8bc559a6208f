"""投诉举报 (Art.23), public pages: the complaint form (about a library resource, a provider or
the process; contacts optional), the receipt showing the follow-up token once, and the
follow-up page (status and result, never the staff's notes)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from api.auth import Principal
from api.deps import NowDep, PrincipalDep, SessionDep
from api.pages.common import PageErrors, render
from api.pages.lifecycle.forms import Form, post_form
from api.pages.validation import parse
from api.permissions import PUBLIC
from api.schemas.complaints import (
    SUBJECT_LABELS,
    ComplaintCreate,
    ComplaintFollowUpRead,
    TokenBody,
)
from registry.errors import InvalidInput
from registry.library import VISIBLE
from registry.models.library import LibraryEntry
from registry.models.organisations import Organisation
from registry.models.resources import Resource
from registry.services import complaints

router = APIRouter(include_in_schema=False)
PERMISSIONS = {
    name: PUBLIC
    for name in (
        "page.complaints.form",
        "page.complaints.file",
        "page.complaints.follow_up",
        "page.complaints.follow_up_check",
    )
}


def providers_in_library(session: Session) -> list[tuple[int, str]]:
    """Organisations with a resource in the library (their names are public there)."""
    rows = session.execute(
        select(Organisation.id, Organisation.name)
        .join(Resource, Resource.organisation_id == Organisation.id)
        .join(LibraryEntry, LibraryEntry.resource_id == Resource.id)
        .where(LibraryEntry.status.in_(VISIBLE))
        .distinct()
        .order_by(Organisation.name)
    )
    return [(org_id, name) for org_id, name in rows]


def _form_page(
    request: Request,
    principal: Principal | None,
    session: Session,
    *,
    errors: PageErrors | None = None,
    form: Form | None = None,
) -> HTMLResponse:
    return render(
        request,
        "complaints/form.html",
        {
            "subjects": list(SUBJECT_LABELS.items()),
            "providers": providers_in_library(session),
            "errors": errors,
            "form": form or {},
        },
        principal=principal,
        status_code=errors.status if errors else 200,
    )


@router.get("/complaints", name="page.complaints.form")
def complaint_form(
    request: Request,
    principal: PrincipalDep,
    session: SessionDep,
    resource: Annotated[str | None, Query(max_length=16)] = None,
) -> HTMLResponse:
    """The complaint and report form (a resource page may link here with `?resource=`)."""
    preset = {"subject": "entry", "resource_code": resource} if resource else None
    return _form_page(request, principal, session, form=preset)


@router.post("/complaints", name="page.complaints.file")
async def file_complaint(
    request: Request, principal: PrincipalDep, session: SessionDep, now: NowDep
) -> Response:
    """Record the complaint; the receipt shows its number and the token, once."""

    def action(form: Form) -> Any:
        if form.get("website"):  # a field people never see: only scripts fill it
            raise InvalidInput("提交失败，请重试", code="complaint_refused")
        form = {k: v for k, v in form.items() if k != "website"}
        if form.get("subject") != "entry":
            form.pop("resource_code", None)
        if form.get("subject") != "organisation":
            form.pop("organisation_id", None)
        body = parse(ComplaintCreate, form)
        actor = principal.actor if principal else None
        return complaints.file_complaint(
            session=session, now=now, data=body.to_input(), actor=actor
        )

    def done(filed: Any) -> Response:
        complaint, token = filed
        return render(
            request,
            "complaints/receipt.html",
            {
                "kind": "complaint",
                "reference": complaint.reference,
                "token": token,
                "title": complaint.title,
                "at": complaint.created_at,
                "follow_up": "/complaints/follow-up",
            },
            principal=principal,
            status_code=201,
        )

    def failed(errors: PageErrors, form: Form) -> Response:
        return _form_page(request, principal, session, errors=errors, form=form)

    return await post_form(request, session, action, done=done, failed=failed)


@router.get("/complaints/follow-up", name="page.complaints.follow_up")
def follow_up_form(request: Request, principal: PrincipalDep) -> HTMLResponse:
    """Enter the token to see the status and result."""
    return render(
        request,
        "complaints/follow_up.html",
        {"kind": "complaint", "seen": None, "errors": None},
        principal=principal,
    )


@router.post("/complaints/follow-up", name="page.complaints.follow_up_check")
async def follow_up(request: Request, principal: PrincipalDep, session: SessionDep) -> Response:
    """The status and result of the complaint the token belongs to (POSTed: never in a URL)."""

    def action(form: Form) -> Any:
        body = parse(TokenBody, {"token": form.get("token")})
        return ComplaintFollowUpRead.of(complaints.follow_up(session=session, token=body.token))

    def show(seen: ComplaintFollowUpRead | None, errors: PageErrors | None) -> Response:
        return render(
            request,
            "complaints/follow_up.html",
            {"kind": "complaint", "seen": seen, "errors": errors},
            principal=principal,
            status_code=errors.status if errors else 200,
        )

    return await post_form(
        request,
        session,
        action,
        done=lambda seen: show(seen, None),
        failed=lambda errors, _: show(None, errors),
    )
