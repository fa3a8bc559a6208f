"""审核台, experts (专家评审): only the applications assigned to them (Art.22), their materials,
and their own scores on the four Art.14 criteria (never another expert's)."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from api.auth import Principal
from api.deps import NowDep, SessionDep, SignedInDep
from api.pages.common import PageErrors, attempt, flash, redirect, render
from api.pages.validation import form_data, parse
from api.permissions import EXPERT
from api.queries import preload
from api.schemas.applications import ApplicationSummaryRead
from api.schemas.reviews import ScoreUpdate
from api.views import expert_view
from registry.services import access, experts

router = APIRouter(include_in_schema=False)
PERMISSIONS = {
    "page.expert.list": EXPERT,
    "page.expert.application": EXPERT,
    "page.expert.score": EXPERT,
}
CRITERIA = (
    ("advancement", "技术先进性"),
    ("maturity", "成熟度"),
    ("application_effect", "应用成效"),
    ("promotion_value", "推广价值"),
)


@router.get("/review/expert", name="page.expert.list")
def assigned(
    request: Request, principal: SignedInDep, session: SessionDep, now: NowDep
) -> HTMLResponse:
    """The applications on whose panel the expert sits, with the 5-working-day deadline."""
    actor = principal.actor
    found = access.visible_applications(session=session, actor=actor)
    preload(session, found)
    items = [ApplicationSummaryRead.of(a, role=actor.role, now=now) for a in found]
    items.sort(key=lambda i: (i.current_due_at is None, i.current_due_at))
    return render(request, "review/expert_list.html", {"items": items}, principal=principal)


def application_view(
    request: Request,
    principal: Principal,
    session: Session,
    now: datetime,
    application_id: int,
    *,
    errors: PageErrors | None = None,
    form: dict[str, str] | None = None,
) -> HTMLResponse:
    """An assigned application's materials and the expert's own score form."""
    actor = principal.actor
    found = access.get_application(session=session, actor=actor, application_id=application_id)
    view = expert_view(session, found, actor=actor, now=now)
    mine = view.my_score.model_dump() if view.my_score else {}
    return render(
        request,
        "review/expert_application.html",
        {
            "app": view,
            "evidence_base": f"/api/v1/expert/applications/{application_id}/evidence",
            "criteria": CRITERIA,
            "form": form or mine,
            "errors": errors,
        },
        principal=principal,
        status_code=errors.status if errors else 200,
    )


@router.get("/review/expert/applications/{application_id}", name="page.expert.application")
def application(
    application_id: int, request: Request, principal: SignedInDep, session: SessionDep, now: NowDep
) -> HTMLResponse:
    """One assigned application."""
    return application_view(request, principal, session, now, application_id)


@router.post("/review/expert/applications/{application_id}/score", name="page.expert.score")
async def score(
    application_id: int, request: Request, principal: SignedInDep, session: SessionDep, now: NowDep
) -> Response:
    """Record or revise the expert's scores until the panel reports."""
    data = await form_data(request)

    def run() -> Response:
        def action() -> None:
            body = parse(ScoreUpdate, data)
            experts.submit_score(
                session=session,
                actor=principal.actor,
                now=now,
                application_id=application_id,
                scores=body.to_input(),
            )

        errors = attempt(session, action)
        if errors:
            return application_view(
                request, principal, session, now, application_id, errors=errors, form=data
            )
        flash(request, "评分已保存。专家组报告形成前可以修改。")
        return redirect(f"/review/expert/applications/{application_id}")

    return await run_in_threadpool(run)
