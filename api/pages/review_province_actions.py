"""审核台, the province's actions on an application, one form each: assign the expert panel
(conflicts refused, Art.22), write the panel report (Art.14), start publicity, record and
decide objections, certify (Art.15), verify or refuse a direct entry (Art.17); and open a
quarterly batch (Art.10). Every action is a registry service; a refusal shows its findings."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from api.deps import NowDep, SessionDep, SignedInDep
from api.pages.common import attempt, flash, redirect
from api.pages.review_province import application_view
from api.pages.validation import form_data, parse
from api.permissions import PROVINCE
from api.schemas.common import ReasonedAction
from api.schemas.reviews import ObjectionCreate, ObjectionDecisionCreate, PanelReportCreate
from api.schemas.staff import BatchCreate
from registry.actor import Actor
from registry.errors import NotFound
from registry.services import batches, experts, publicity

router = APIRouter(include_in_schema=False)
PERMISSIONS = {"page.province.act": PROVINCE, "page.province.batch_create": PROVINCE}
Action = Callable[[Session, Actor, datetime, int, dict[str, Any]], object]


def _version(data: dict[str, Any]) -> int | None:
    value = str(data.get("version", ""))
    return int(value) if value.isdigit() else None


def _assign(
    session: Session, actor: Actor, now: datetime, app_id: int, data: dict[str, Any]
) -> object:
    ids = [int(v) for v in data.get("expert_ids", []) if str(v).isdigit()]
    return experts.assign_experts(
        session=session, actor=actor, now=now, application_id=app_id, expert_ids=ids
    )


def _report(
    session: Session, actor: Actor, now: datetime, app_id: int, data: dict[str, Any]
) -> object:
    body = parse(
        PanelReportCreate,
        {
            "decision": data.get("decision"),
            "summary": data.get("summary"),
            "expected_version": _version(data),
        },
    )
    return experts.report_panel(
        session=session,
        actor=actor,
        now=now,
        application_id=app_id,
        decision=body.decision,
        summary=body.summary,
        expected_version=body.expected_version,
    )


def _publicity(
    session: Session, actor: Actor, now: datetime, app_id: int, data: dict[str, Any]
) -> object:
    return publicity.start_publicity(
        session=session,
        actor=actor,
        now=now,
        application_id=app_id,
        expected_version=_version(data),
    )


def _objection(
    session: Session, actor: Actor, now: datetime, app_id: int, data: dict[str, Any]
) -> object:
    body = parse(
        ObjectionCreate, {"raised_by": data.get("raised_by"), "content": data.get("content")}
    )
    return publicity.raise_objection(
        session=session,
        actor=actor,
        now=now,
        application_id=app_id,
        raised_by=body.raised_by,
        content=body.content,
    )


def _objection_decision(
    session: Session, actor: Actor, now: datetime, app_id: int, data: dict[str, Any]
) -> object:
    body = parse(
        ObjectionDecisionCreate, {"upheld": data.get("upheld"), "reason": data.get("reason")}
    )
    objection_id = int(data["objection_id"]) if str(data.get("objection_id", "")).isdigit() else 0
    return publicity.decide_objection(
        session=session,
        actor=actor,
        now=now,
        objection_id=objection_id,
        upheld=body.upheld,
        reason=body.reason,
    )


def _certify(
    session: Session, actor: Actor, now: datetime, app_id: int, data: dict[str, Any]
) -> object:
    return publicity.certify(
        session=session,
        actor=actor,
        now=now,
        application_id=app_id,
        expected_version=_version(data),
    )


def _verify(
    session: Session, actor: Actor, now: datetime, app_id: int, data: dict[str, Any]
) -> object:
    return publicity.verify_direct_entry(
        session=session,
        actor=actor,
        now=now,
        application_id=app_id,
        expected_version=_version(data),
    )


def _reject(
    session: Session, actor: Actor, now: datetime, app_id: int, data: dict[str, Any]
) -> object:
    body = parse(ReasonedAction, {"reason": data.get("reason"), "expected_version": _version(data)})
    return publicity.reject_application(
        session=session,
        actor=actor,
        now=now,
        application_id=app_id,
        reason=body.reason,
        expected_version=body.expected_version,
    )


ACTIONS: dict[str, tuple[Action, str]] = {
    "panel": (_assign, "评审专家已分配，专家将在 5 个工作日内完成评审（第十四条）。"),
    "report": (_report, "专家评审报告已形成。"),
    "publicity": (_publicity, "已开始公示，公示期 5 个工作日（第十五条）。"),
    "objection": (_objection, "异议已登记。"),
    "objection-decision": (_objection_decision, "异议处理意见已记录。"),
    "certify": (_certify, "已正式认定并纳入资源库，需求匹配即时可查。"),
    "direct-entry": (_verify, "创新平台认定已核实，资源直接入库（第十七条）。"),
    "reject": (_reject, "已决定不予直接入库。"),
}


@router.post("/review/province/applications/{application_id}/{action}", name="page.province.act")
async def act(
    application_id: int,
    action: str,
    request: Request,
    principal: SignedInDep,
    session: SessionDep,
    now: NowDep,
) -> Response:
    """One action of the province on an application."""
    if action not in ACTIONS:
        raise NotFound(f"没有这项操作：{action}", code="action_not_found")
    call, done = ACTIONS[action]
    data = await form_data(request, lists=("expert_ids",))

    def run() -> Response:
        errors = attempt(session, lambda: call(session, principal.actor, now, application_id, data))
        if errors:
            return application_view(request, principal, session, now, application_id, errors=errors)
        flash(request, done)
        return redirect(f"/review/province/applications/{application_id}")

    return await run_in_threadpool(run)


@router.post("/review/province/batches", name="page.province.batch_create")
async def batch_create(
    request: Request, principal: SignedInDep, session: SessionDep, now: NowDep
) -> Response:
    """Open a quarterly batch (Art.10)."""
    data = await form_data(request)

    def run() -> Response:
        def action() -> None:
            body = parse(BatchCreate, data)
            batches.create_batch(
                session=session,
                actor=principal.actor,
                now=now,
                code=body.code,
                title=body.title,
                opens_on=body.opens_on,
                deadline_on=body.deadline_on,
            )

        errors = attempt(session, action)
        if errors:
            flash(request, "批次未能开设：" + "；".join(e.message for e in errors.items), "error")
        else:
            flash(request, f"批次 {data.get('code')} 已开设。")
        return redirect("/review/province#batches")

    return await run_in_threadpool(run)
