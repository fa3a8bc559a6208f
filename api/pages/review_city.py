"""审核台, municipal reviewers (地市初审): their own city's queue with the 10-working-day
deadlines and overdue flags (Art.13), an application's materials, and the opinion —
recommend, return for completion or reject — with reasons. The city scope is the registry's."""

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
from api.permissions import CITY
from api.queries import preload
from api.routes.city import city_application
from api.schemas.applications import ApplicationSummaryRead
from api.schemas.reviews import MunicipalDecisionCreate
from api.views import city_view
from registry.enums import ApplicationStatus
from registry.services import access, municipal

router = APIRouter(include_in_schema=False)
PERMISSIONS = {
    "page.city.queue": CITY,
    "page.city.application": CITY,
    "page.city.decide": CITY,
}
DECISIONS = (
    ("recommend", "推荐", "材料齐全、符合条件，推荐至省工业和信息化厅"),
    ("return", "退回补正", "材料需补充完善，申报单位补正后重新提交"),
    ("reject", "不予推荐", "不符合申报条件"),
)


@router.get("/review/city", name="page.city.queue")
def queue(
    request: Request, principal: SignedInDep, session: SessionDep, now: NowDep
) -> HTMLResponse:
    """Applications awaiting the city's opinion, earliest deadline first; then all of the city's."""
    actor = principal.actor
    found = access.visible_applications(session=session, actor=actor)
    preload(session, found)
    items = [ApplicationSummaryRead.of(a, role=actor.role, now=now) for a in found]
    waiting = sorted(
        (i for i in items if i.status is ApplicationStatus.MUNICIPAL_REVIEW),
        key=lambda i: (i.current_due_at is None, i.current_due_at),
    )
    return render(
        request,
        "review/city_queue.html",
        {
            "city": actor.city,
            "waiting": waiting,
            "overdue": sum(1 for i in waiting if i.overdue),
            "others": [i for i in items if i.status is not ApplicationStatus.MUNICIPAL_REVIEW],
        },
        principal=principal,
    )


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
    """The city's page of one application: materials and the opinion form."""
    actor = principal.actor
    found = city_application(session, actor, application_id)
    return render(
        request,
        "review/city_application.html",
        {
            "app": city_view(session, found, actor=actor, now=now),
            "evidence_base": f"/api/v1/city/applications/{application_id}/evidence",
            "decisions": DECISIONS,
            "errors": errors,
            "form": form or {},
        },
        principal=principal,
        status_code=errors.status if errors else 200,
    )


@router.get("/review/city/applications/{application_id}", name="page.city.application")
def application(
    application_id: int, request: Request, principal: SignedInDep, session: SessionDep, now: NowDep
) -> HTMLResponse:
    """An application of the reviewer's city."""
    return application_view(request, principal, session, now, application_id)


@router.post("/review/city/applications/{application_id}/decision", name="page.city.decide")
async def decide(
    application_id: int, request: Request, principal: SignedInDep, session: SessionDep, now: NowDep
) -> Response:
    """Record the opinion with reasons (Art.13)."""
    data = await form_data(request)

    def run() -> Response:
        def action() -> None:
            body = parse(
                MunicipalDecisionCreate,
                {
                    "decision": data.get("decision"),
                    "reasons": data.get("reasons"),
                    "expected_version": data.get("version"),
                },
            )
            municipal.municipal_decide(
                session=session,
                actor=principal.actor,
                now=now,
                application_id=application_id,
                decision=body.decision,
                reasons=body.reasons,
                expected_version=body.expected_version,
            )

        errors = attempt(session, action)
        if errors:
            return application_view(
                request, principal, session, now, application_id, errors=errors, form=data
            )
        flash(request, "初审意见已提交，申报已转入下一环节并通知申报单位。")
        return redirect("/review/city")

    return await run_in_threadpool(run)
