"""申报单位 portal, applications: start one in an open batch, see it with its deadlines,
findings per article and history, submit it (refused with every finding at once), and answer
a return for completion."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from api.auth import Principal
from api.deps import NowDep, SessionDep, SignedInDep
from api.pages.common import PageErrors, attempt, flash, redirect, render
from api.pages.html_errors import errors_page
from api.pages.validation import form_data
from api.permissions import PROVIDER
from api.schemas.applications import ApplicationRead, FindingRead
from registry.enums import ApplicationStatus
from registry.seed_schema import Route
from registry.services import access, submissions

router = APIRouter(include_in_schema=False)
PERMISSIONS = {
    "page.provider.application_start": PROVIDER,
    "page.provider.application": PROVIDER,
    "page.provider.application_submit": PROVIDER,
    "page.provider.application_resubmit": PROVIDER,
}
ROUTE_LABELS = {
    Route.MUNICIPAL: "地市初审（第十三条）",
    Route.PROVINCIAL_DIRECT: "省级直接择优认定（第十六条：省外单位、中央直属和省属企业）",
    Route.DIRECT_ENTRY: "直接入库（第十七条：省级以上创新平台）",
}


def application_view(
    request: Request,
    principal: Principal,
    session: Session,
    now: datetime,
    application_id: int,
    *,
    errors: PageErrors | None = None,
) -> HTMLResponse:
    """The provider's page of one application."""
    actor = principal.actor
    found = access.get_application(session=session, actor=actor, application_id=application_id)
    precheck: list[FindingRead] | None = None
    if found.status is ApplicationStatus.DRAFT:
        # What a submission now would find: the provider fixes it before submitting.
        precheck = [
            FindingRead.of(f)
            for f in submissions.check_application(
                session=session, application=found, submitted_at=now, commitment_signed=True
            )
        ]
    returns = [h for h in found.history if h.to_status is ApplicationStatus.RETURNED]
    return render(
        request,
        "provider/application.html",
        {
            "app": ApplicationRead.of(found, role=actor.role, now=now),
            "precheck": precheck,
            "return_note": returns[-1].note if returns else None,
            "route_label": ROUTE_LABELS.get(found.route, found.route.value),
            "errors": errors,
        },
        principal=principal,
        status_code=errors.status if errors else 200,
    )


@router.get("/provider/applications/{application_id}", name="page.provider.application")
def application(
    application_id: int, request: Request, principal: SignedInDep, session: SessionDep, now: NowDep
) -> HTMLResponse:
    """Status, deadlines, findings per article, history; submit or answer a return."""
    return application_view(request, principal, session, now, application_id)


@router.post("/provider/applications", name="page.provider.application_start")
async def application_start(
    request: Request, principal: SignedInDep, session: SessionDep, now: NowDep
) -> Response:
    """A draft application of one of the provider's resources in an open batch."""
    data = await form_data(request)

    def run() -> Response:
        created: dict[str, int] = {}

        def action() -> None:
            created["id"] = _start(principal, session, now, data)

        errors = attempt(session, action)
        if errors and errors.status in (403, 404):
            return errors_page(request, errors)  # another organisation's resource: say so
        if errors:
            flash(request, "；".join(e.message for e in errors.items), "error")
            return redirect("/provider#apply")
        flash(request, "申报草稿已建立。请核对预检结果，签署承诺后提交。")
        return redirect(f"/provider/applications/{created['id']}")

    return await run_in_threadpool(run)


def _start(principal: Principal, session: Session, now: datetime, data: dict[str, Any]) -> int:
    from registry.errors import InvalidInput

    try:
        resource_id = int(data.get("resource_id", ""))
        route = Route(data.get("route") or Route.MUNICIPAL.value)
    except ValueError:
        raise InvalidInput("请选择要申报的资源和申报途径", code="form_incomplete") from None
    application = submissions.start_application(
        session=session,
        actor=principal.actor,
        now=now,
        resource_id=resource_id,
        batch_code=str(data.get("batch_code", "")),
        route=route,
        direct_entry=None,
    )
    return application.id


async def _transition(
    request: Request,
    principal: Principal,
    session: Session,
    now: datetime,
    application_id: int,
    *,
    resubmit: bool,
) -> Response:
    data = await form_data(request)

    def run() -> Response:
        version = int(data["version"]) if str(data.get("version", "")).isdigit() else None
        kept: dict[str, int] = {}

        def action() -> None:
            call = submissions.resubmit_application if resubmit else submissions.submit_application
            extra = {} if resubmit else {"commitment_signed": data.get("commitment") == "1"}
            result = call(
                session=session, actor=principal.actor, now=now, application_id=application_id,
                expected_version=version, **extra,
            )  # fmt: skip
            kept["notes"] = len(result.findings)

        errors = attempt(session, action)
        if errors:
            return application_view(request, principal, session, now, application_id, errors=errors)
        done = "补正材料已重新提交" if resubmit else "申报已提交"
        note = f"，另有 {kept['notes']} 项提示供审核参考" if kept.get("notes") else ""
        flash(request, f"{done}{note}。可在此查看审核进度与办理期限。")
        return redirect(f"/provider/applications/{application_id}")

    return await run_in_threadpool(run)


@router.post(
    "/provider/applications/{application_id}/submit", name="page.provider.application_submit"
)
async def application_submit(
    application_id: int, request: Request, principal: SignedInDep, session: SessionDep, now: NowDep
) -> Response:
    """Submit a draft with the signed commitment (Art.9(5), Art.11)."""
    return await _transition(request, principal, session, now, application_id, resubmit=False)


@router.post(
    "/provider/applications/{application_id}/resubmit",
    name="page.provider.application_resubmit",
)
async def application_resubmit(
    application_id: int, request: Request, principal: SignedInDep, session: SessionDep, now: NowDep
) -> Response:
    """Answer a return for completion."""
    return await _transition(request, principal, session, now, application_id, resubmit=True)
