"""公示 (Art.15), public pages: the resources proposed for certification during their five
working days of publicity, each with an objection form (name, contact, content); the receipt
with the follow-up token, shown once; and the follow-up page with the province's decision."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from api.auth import Principal
from api.deps import NowDep, PrincipalDep, SessionDep
from api.pages.common import PageErrors, render
from api.pages.lifecycle.forms import Form, post_form
from api.pages.validation import parse
from api.permissions import PUBLIC
from api.queries import in_publicity
from api.schemas.complaints import ObjectionFollowUpRead, PublicObjectionCreate, TokenBody
from registry.services import publicity

router = APIRouter(include_in_schema=False)
PERMISSIONS = {
    name: PUBLIC
    for name in (
        "page.complaints.publicity",
        "page.complaints.object",
        "page.complaints.objection_follow_up",
        "page.complaints.objection_check",
    )
}


def _page(
    request: Request,
    principal: Principal | None,
    session: Session,
    now: datetime,
    *,
    errors: PageErrors | None = None,
    form: Form | None = None,
    failed_id: int | None = None,
) -> HTMLResponse:
    items = [
        {
            "id": a.id,
            "code": a.resource.code,
            "title": a.resource.title,
            "directions": [d.value for d in a.resource.direction_values],
            "form": a.resource.form.value,
            "provider": a.resource.organisation.name,
            "city": a.resource.organisation.city,
            "batch": a.batch.code,
            "started_at": a.publicity_started_at,
            "due_at": a.publicity_due_at,
            "open": a.publicity_due_at is None or now <= a.publicity_due_at,
        }
        for a in in_publicity(session)
    ]
    return render(
        request,
        "complaints/publicity.html",
        {"items": items, "errors": errors, "form": form or {}, "failed_id": failed_id},
        principal=principal,
        status_code=errors.status if errors else 200,
    )


@router.get("/publicity", name="page.complaints.publicity")
def publicity_list(
    request: Request, principal: PrincipalDep, session: SessionDep, now: NowDep
) -> HTMLResponse:
    """What is in publicity now, with its last day and an objection form."""
    return _page(request, principal, session, now)


@router.post("/publicity/{application_id}/objection", name="page.complaints.object")
async def raise_objection(
    application_id: int,
    request: Request,
    principal: PrincipalDep,
    session: SessionDep,
    now: NowDep,
) -> Response:
    """Record an objection; the receipt shows its number and the token, once."""

    def action(form: Form) -> Any:
        body = parse(PublicObjectionCreate, form)
        return publicity.raise_public_objection(
            session=session,
            now=now,
            application_id=application_id,
            name=body.name,
            contact=body.contact,
            content=body.content,
        )

    def done(filed: Any) -> Response:
        objection, token = filed
        return render(
            request,
            "complaints/receipt.html",
            {
                "kind": "objection",
                "reference": publicity.objection_reference(objection),
                "token": token,
                "title": None,
                "at": objection.raised_at,
                "follow_up": "/publicity/follow-up",
            },
            principal=principal,
            status_code=201,
        )

    def failed(errors: PageErrors, form: Form) -> Response:
        return _page(
            request, principal, session, now, errors=errors, form=form, failed_id=application_id
        )

    return await post_form(request, session, action, done=done, failed=failed)


@router.get("/publicity/follow-up", name="page.complaints.objection_follow_up")
def follow_up_form(request: Request, principal: PrincipalDep) -> HTMLResponse:
    """Enter the token to see the province's decision."""
    return render(
        request,
        "complaints/follow_up.html",
        {"kind": "objection", "seen": None, "errors": None},
        principal=principal,
    )


@router.post("/publicity/follow-up", name="page.complaints.objection_check")
async def follow_up(request: Request, principal: PrincipalDep, session: SessionDep) -> Response:
    """The decision on the objection the token belongs to."""

    def action(form: Form) -> Any:
        body = parse(TokenBody, {"token": form.get("token")})
        seen = publicity.objection_follow_up(session=session, token=body.token)
        return ObjectionFollowUpRead.of(seen)

    def show(seen: ObjectionFollowUpRead | None, errors: PageErrors | None) -> Response:
        return render(
            request,
            "complaints/follow_up.html",
            {"kind": "objection", "seen": seen, "errors": errors},
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
