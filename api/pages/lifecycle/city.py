"""审核台 · 地市: the withdrawal requests of the reviewer's own city (Art.19(3)), those waiting
first, each forwarded to the province with the city's opinion. The city scope is the
registry's."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from api.auth import Principal
from api.deps import NowDep, SessionDep, SignedInDep
from api.pages.common import PageErrors, flash, redirect, render
from api.pages.lifecycle.forms import Form, post_form
from api.pages.validation import parse
from api.permissions import CITY
from api.schemas.lifecycle import OpinionCreate, WithdrawalRead
from registry.models.monitoring import WithdrawalStatus
from registry.services import withdrawals

router = APIRouter(include_in_schema=False)
PERMISSIONS = {"page.lifecycle.city": CITY, "page.lifecycle.city_forward": CITY}
HOME = "/review/city/withdrawals"


def _page(
    request: Request,
    principal: Principal,
    session: Session,
    *,
    errors: PageErrors | None = None,
    form: Form | None = None,
    failed_id: int | None = None,
) -> HTMLResponse:
    found = [
        WithdrawalRead.of(r)
        for r in withdrawals.withdrawal_requests(session=session, actor=principal.actor)
    ]
    waiting = [r for r in found if r.status is WithdrawalStatus.REQUESTED]
    return render(
        request,
        "lifecycle/city_withdrawals.html",
        {
            "city": principal.actor.city,
            "waiting": sorted(waiting, key=lambda r: r.requested_at),
            "others": [r for r in found if r.status is not WithdrawalStatus.REQUESTED],
            "errors": errors,
            "form": form or {},
            "failed_id": failed_id,
        },
        principal=principal,
        status_code=errors.status if errors else 200,
    )


@router.get("/review/city/withdrawals", name="page.lifecycle.city")
def queue(request: Request, principal: SignedInDep, session: SessionDep) -> HTMLResponse:
    """Requests waiting for the city's opinion, oldest first; then the city's others."""
    return _page(request, principal, session)


@router.post("/review/city/withdrawals/{request_id}/forward", name="page.lifecycle.city_forward")
async def forward(
    request_id: int, request: Request, principal: SignedInDep, session: SessionDep, now: NowDep
) -> Response:
    """Forward one request to the province with the city's opinion."""

    def action(form: Form) -> Any:
        body = parse(OpinionCreate, {"opinion": form.get("opinion")})
        return withdrawals.forward_withdrawal(
            session=session,
            actor=principal.actor,
            now=now,
            request_id=request_id,
            opinion=body.opinion,
        )

    def done(_: Any) -> Response:
        flash(request, "已签署意见并转报省工业和信息化厅。")
        return redirect(HOME)

    def failed(errors: PageErrors, form: Form) -> Response:
        return _page(request, principal, session, errors=errors, form=form, failed_id=request_id)

    return await post_form(request, session, action, done=done, failed=failed)
