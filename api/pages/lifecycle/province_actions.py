"""The province's forms on the library desk: warn an entry (Art.19(1)), set or unset priority
(Art.19(4)), close a warning or remove after it, approve or refuse a withdrawal (Art.19(3)),
remove an organisation directly (Art.19(2), Art.21) and record a credit referral as sent. Each
runs one registry action; refusals come back on the page with their article."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from api.deps import NowDep, SessionDep, SignedInDep
from api.pages.common import PageErrors, flash, redirect
from api.pages.lifecycle.forms import Form, post_form
from api.pages.lifecycle.province import desk_page, entry_page, removal_page, warning_page
from api.pages.validation import parse
from api.permissions import PROVINCE
from api.schemas.lifecycle import NoteCreate, ReferralSentCreate, RemovalCreate, WarningCreate
from api.schemas.staff import PriorityUpdate
from registry.errors import InvalidInput
from registry.models.monitoring import RemovalGround
from registry.services import library_admin, removals, warnings, withdrawals

router = APIRouter(include_in_schema=False)
PERMISSIONS = {
    name: PROVINCE
    for name in (
        "page.lifecycle.warn",
        "page.lifecycle.priority",
        "page.lifecycle.warning_decide",
        "page.lifecycle.withdrawal_decide",
        "page.lifecycle.remove",
        "page.lifecycle.referral_sent",
    )
}
DESK = "/review/province/library"


def _decision(form: Form, allowed: tuple[str, str]) -> str:
    decision = str(form.get("decision", ""))
    if decision not in allowed:
        raise InvalidInput("请选择处理决定", code="decision_required", loc=("decision",))
    return decision


def _back_to_desk(request: Request, principal: Any, session: Any, now: Any) -> Any:
    def failed(errors: PageErrors, _: Form) -> Response:
        return desk_page(request, principal, session, now, errors=errors)

    return failed


@router.post("/review/province/library/{code}/warning", name="page.lifecycle.warn")
async def warn(
    code: str, request: Request, principal: SignedInDep, session: SessionDep, now: NowDep
) -> Response:
    """Warn the entry with reasons; six months to rectify."""

    def action(form: Form) -> Any:
        body = parse(
            WarningCreate, {"reasons": form.get("reasons", []), "detail": form.get("detail")}
        )
        return warnings.warn_entry(
            session=session,
            actor=principal.actor,
            now=now,
            resource_code=code,
            reasons=body.reasons,
            detail=body.detail,
        )

    def done(w: Any) -> Response:
        flash(
            request,
            f"已对 {code} 发出预警，整改期限至 {w.rectification_due_on.isoformat()}，"
            "已通知资源提供单位。",
        )
        return redirect(f"/review/province/library/{code}")

    def failed(errors: PageErrors, form: Form) -> Response:
        return entry_page(request, principal, session, now, code, errors=errors, form=form)

    return await post_form(request, session, action, done=done, failed=failed, lists=("reasons",))


@router.post("/review/province/library/{code}/priority", name="page.lifecycle.priority")
async def priority(
    code: str, request: Request, principal: SignedInDep, session: SessionDep, now: NowDep
) -> Response:
    """Mark or unmark the entry for priority in promotion."""

    def action(form: Form) -> Any:
        body = parse(PriorityUpdate, {"priority": form.get("priority")})
        return library_admin.set_priority(
            session=session,
            actor=principal.actor,
            now=now,
            resource_code=code,
            priority=body.priority,
            reason=form.get("reason"),
        )

    def done(entry: Any) -> Response:
        flash(
            request,
            f"{code} 已{'列为' if entry.priority else '取消'}优先推广（第十九条第（四）项）。",
        )
        return redirect(f"/review/province/library/{code}")

    def failed(errors: PageErrors, form: Form) -> Response:
        return entry_page(request, principal, session, now, code, errors=errors, form=form)

    return await post_form(request, session, action, done=done, failed=failed)


@router.post(
    "/review/province/warnings/{warning_id}/decision", name="page.lifecycle.warning_decide"
)
async def warning_decide(
    warning_id: int, request: Request, principal: SignedInDep, session: SessionDep, now: NowDep
) -> Response:
    """Close the warning (rectified) or remove the entry (still failing, period over)."""

    def action(form: Form) -> Any:
        decide = {"close": warnings.close_warning, "remove": warnings.remove_after_warning}[
            _decision(form, ("close", "remove"))
        ]
        body = parse(NoteCreate, {"note": form.get("note")})
        return decide(
            session=session, actor=principal.actor, now=now, warning_id=warning_id, note=body.note
        )

    def done(w: Any) -> Response:
        flash(
            request,
            f"预警已处理：{w.entry.resource.code} "
            f"{'已解除预警' if w.status.value == 'closed' else '已移出资源库'}。",
        )
        return redirect(f"/review/province/warnings/{warning_id}")

    def failed(errors: PageErrors, form: Form) -> Response:
        return warning_page(request, principal, session, now, warning_id, errors=errors, form=form)

    return await post_form(request, session, action, done=done, failed=failed)


@router.post(
    "/review/province/withdrawals/{request_id}/decision", name="page.lifecycle.withdrawal_decide"
)
async def withdrawal_decide(
    request_id: int, request: Request, principal: SignedInDep, session: SessionDep, now: NowDep
) -> Response:
    """Approve (the entry leaves the library and search) or refuse a forwarded request."""

    def action(form: Form) -> Any:
        decide = {
            "approve": withdrawals.approve_withdrawal,
            "refuse": withdrawals.refuse_withdrawal,
        }[_decision(form, ("approve", "refuse"))]
        body = parse(NoteCreate, {"note": form.get("note")})
        return decide(
            session=session, actor=principal.actor, now=now, request_id=request_id, note=body.note
        )

    def done(r: Any) -> Response:
        flash(
            request,
            f"退出申请已办结：{r.entry.resource.code} "
            f"{'同意退出，已从资源库移除' if r.status.value == 'approved' else '不同意退出'}。",
        )
        return redirect(DESK)

    return await post_form(
        request, session, action, done=done, failed=_back_to_desk(request, principal, session, now)
    )


@router.post(
    "/review/province/organisations/{organisation_id}/removal", name="page.lifecycle.remove"
)
async def remove(
    organisation_id: int,
    request: Request,
    principal: SignedInDep,
    session: SessionDep,
    now: NowDep,
) -> Response:
    """Remove every entry of the organisation, void its applications, ban it three years."""

    def action(form: Form) -> Any:
        body = parse(RemovalCreate, {"ground": form.get("ground"), "reason": form.get("reason")})
        return removals.remove_organisation(
            session=session,
            actor=principal.actor,
            now=now,
            organisation_id=organisation_id,
            ground=body.ground,
            reason=body.reason,
        )

    def done(result: Any) -> Response:
        codes = "、".join(result.removed_codes) or "无"
        referral = "；已生成信用信息报送记录（第二十一条）" if result.referral else ""
        flash(
            request,
            f"已移出资源：{codes}；作废在办申报 {len(result.voided_application_ids)} 件；"
            f"禁止申报至 {result.ban.ends_on.isoformat()}{referral}。",
        )
        return redirect(DESK)

    def failed(errors: PageErrors, form: Form) -> Response:
        ground = str(form.get("ground", ""))
        chosen = RemovalGround(ground) if ground in RemovalGround._value2member_map_ else None
        return removal_page(
            request, principal, session, now, organisation_id, chosen, errors=errors, form=form
        )

    return await post_form(request, session, action, done=done, failed=failed)


@router.post(
    "/review/province/credit-referrals/{referral_id}/sent", name="page.lifecycle.referral_sent"
)
async def referral_sent(
    referral_id: int, request: Request, principal: SignedInDep, session: SessionDep, now: NowDep
) -> Response:
    """Record that the referral went to the credit authority, with its receipt number."""

    def action(form: Form) -> Any:
        body = parse(ReferralSentCreate, {"reference": form.get("reference")})
        return removals.mark_referral_sent(
            session=session,
            actor=principal.actor,
            now=now,
            referral_id=referral_id,
            reference=body.reference,
        )

    def done(_: Any) -> Response:
        flash(request, "已登记报送社会信用主管部门。")
        return redirect(DESK)

    return await post_form(
        request, session, action, done=done, failed=_back_to_desk(request, principal, session, now)
    )
