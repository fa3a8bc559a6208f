"""申报单位 · 入库后管理: the provider's library entries with what is due on each (the annual
report by 31 March, Art.18; a warning's six months, Art.19(1); a withdrawal in progress,
Art.19(3)), the annual-report form, a warning with its rectification form, the withdrawal
request, and the platform's notifications. Scopes are the registry's."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from api.auth import Principal
from api.deps import NowDep, SessionDep, SignedInDep
from api.pages.common import PageErrors, flash, redirect, render
from api.pages.lifecycle.forms import Form, post_form
from api.pages.validation import parse
from api.permissions import PROVIDER
from api.routes.lifecycle_provider import provider_entries, report_year, today_of
from api.routes.provider import own_organisation_id
from api.schemas.lifecycle import (
    AnnualReportCreate,
    RectificationCreate,
    WarningRead,
    WithdrawalCreate,
    WithdrawalRead,
)
from registry.actor import require_organisation
from registry.errors import CalendarNotCovered
from registry.services import annual_reports, library_admin, notifications, warnings, withdrawals

router = APIRouter(include_in_schema=False)
PERMISSIONS = {
    name: PROVIDER
    for name in (
        "page.lifecycle.provider",
        "page.lifecycle.report_form",
        "page.lifecycle.report_file",
        "page.lifecycle.warning",
        "page.lifecycle.rectify",
        "page.lifecycle.withdrawal_form",
        "page.lifecycle.withdrawal_request",
        "page.lifecycle.withdrawal_cancel",
    )
}
HOME = "/provider/library"
NOTICES = 8


def home_page(
    request: Request,
    principal: Principal,
    session: Session,
    now: datetime,
    *,
    errors: PageErrors | None = None,
) -> HTMLResponse:
    """Entries with their deadlines and overdue flags, warnings, withdrawals, notifications."""
    actor = principal.actor
    entries = provider_entries(session, actor, now)
    views = warnings.warnings_list(session=session, actor=actor, now=now, open_only=False)
    today = today_of(now)
    found = [warnings.get_warning(session=session, actor=actor, warning_id=v.id) for v in views]
    requests = withdrawals.withdrawal_requests(session=session, actor=actor)
    notices = notifications.notifications_for(
        session=session, actor=actor, organisation_id=own_organisation_id(actor)
    )
    return render(
        request,
        "lifecycle/provider_home.html",
        {
            "entries": entries,
            "year": report_year(now),
            "warnings": [WarningRead.of(w, today=today) for w in found],
            "withdrawals": [WithdrawalRead.of(r) for r in requests],
            "notices": notices[:NOTICES],
            "errors": errors,
        },
        principal=principal,
        status_code=errors.status if errors else 200,
    )


@router.get("/provider/library", name="page.lifecycle.provider")
def home(
    request: Request, principal: SignedInDep, session: SessionDep, now: NowDep
) -> HTMLResponse:
    """The provider's library entries and what is due on them."""
    return home_page(request, principal, session, now)


def _report_page(
    request: Request,
    principal: Principal,
    session: Session,
    now: datetime,
    code: str,
    year: int,
    *,
    errors: PageErrors | None = None,
    form: Form | None = None,
) -> HTMLResponse:
    entry = library_admin.entry_by_code(session=session, resource_code=code)
    require_organisation(principal.actor, entry.resource.organisation_id)
    try:
        statuses = annual_reports.report_statuses(
            session=session, actor=principal.actor, now=now, year=year
        )
    except CalendarNotCovered:  # a year whose deadline cannot be told: the form still shows
        statuses = []
    status = next((s for s in statuses if s.resource_code == code), None)
    return render(
        request,
        "lifecycle/report_form.html",
        {"entry": entry, "year": year, "status": status, "errors": errors, "form": form or {}},
        principal=principal,
        status_code=errors.status if errors else 200,
    )


@router.get("/provider/library/{code}/annual-report", name="page.lifecycle.report_form")
def report_form(
    code: str,
    request: Request,
    principal: SignedInDep,
    session: SessionDep,
    now: NowDep,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
) -> HTMLResponse:
    """The annual report form of one entry (Art.18), with its deadline."""
    return _report_page(request, principal, session, now, code, report_year(now, year))


@router.post("/provider/library/{code}/annual-report", name="page.lifecycle.report_file")
async def report_file(
    code: str, request: Request, principal: SignedInDep, session: SessionDep, now: NowDep
) -> Response:
    """File the report; late ones are accepted and marked late."""

    def action(form: Form) -> Any:
        body = parse(AnnualReportCreate, form)
        return annual_reports.file_annual_report(
            session=session,
            actor=principal.actor,
            now=now,
            resource_code=code,
            year=body.year,
            data=body.to_input(),
        )

    def done(report: Any) -> Response:
        late = "（逾期报送，已记录）" if report.late else ""
        flash(request, f"{code} 的 {report.year} 年度报告已报送{late}。")
        return redirect(HOME)

    def failed(errors: PageErrors, form: Form) -> Response:
        year = int(form["year"]) if str(form.get("year", "")).isdigit() else report_year(now)
        return _report_page(request, principal, session, now, code, year, errors=errors, form=form)

    return await post_form(request, session, action, done=done, failed=failed)


def _warning_page(
    request: Request,
    principal: Principal,
    session: Session,
    now: datetime,
    warning_id: int,
    *,
    errors: PageErrors | None = None,
    form: Form | None = None,
) -> HTMLResponse:
    found = warnings.get_warning(session=session, actor=principal.actor, warning_id=warning_id)
    return render(
        request,
        "lifecycle/provider_warning.html",
        {"w": WarningRead.of(found, today=today_of(now)), "errors": errors, "form": form or {}},
        principal=principal,
        status_code=errors.status if errors else 200,
    )


@router.get("/provider/warnings/{warning_id}", name="page.lifecycle.warning")
def warning(
    warning_id: int, request: Request, principal: SignedInDep, session: SessionDep, now: NowDep
) -> HTMLResponse:
    """A warning: reasons, the six-month deadline, and the rectification form."""
    return _warning_page(request, principal, session, now, warning_id)


@router.post("/provider/warnings/{warning_id}/rectification", name="page.lifecycle.rectify")
async def rectify(
    warning_id: int, request: Request, principal: SignedInDep, session: SessionDep, now: NowDep
) -> Response:
    """Submit the rectification report."""

    def action(form: Form) -> Any:
        body = parse(RectificationCreate, form)
        return warnings.submit_rectification(
            session=session,
            actor=principal.actor,
            now=now,
            warning_id=warning_id,
            rectification=body.rectification,
        )

    def done(_: Any) -> Response:
        flash(request, "整改报告已提交，省工业和信息化厅审核后将通知您。")
        return redirect(f"/provider/warnings/{warning_id}")

    def failed(errors: PageErrors, form: Form) -> Response:
        return _warning_page(request, principal, session, now, warning_id, errors=errors, form=form)

    return await post_form(request, session, action, done=done, failed=failed)


def _withdrawal_page(
    request: Request,
    principal: Principal,
    session: Session,
    code: str,
    *,
    errors: PageErrors | None = None,
    form: Form | None = None,
) -> HTMLResponse:
    entry = library_admin.entry_by_code(session=session, resource_code=code)
    require_organisation(principal.actor, entry.resource.organisation_id)
    return render(
        request,
        "lifecycle/withdrawal_form.html",
        {"entry": entry, "errors": errors, "form": form or {}},
        principal=principal,
        status_code=errors.status if errors else 200,
    )


@router.get("/provider/library/{code}/withdrawal", name="page.lifecycle.withdrawal_form")
def withdrawal_form(
    code: str, request: Request, principal: SignedInDep, session: SessionDep
) -> HTMLResponse:
    """The voluntary withdrawal request form (Art.19(3))."""
    return _withdrawal_page(request, principal, session, code)


@router.post("/provider/library/{code}/withdrawal", name="page.lifecycle.withdrawal_request")
async def withdrawal_request(
    code: str, request: Request, principal: SignedInDep, session: SessionDep, now: NowDep
) -> Response:
    """Ask to leave the library; the city forwards the request, the province decides."""

    def action(form: Form) -> Any:
        body = parse(WithdrawalCreate, {"resource_code": code, "reason": form.get("reason")})
        return withdrawals.request_withdrawal(
            session=session,
            actor=principal.actor,
            now=now,
            resource_code=code,
            reason=body.reason,
        )

    def done(_: Any) -> Response:
        flash(request, f"{code} 的退出申请已提交，待所在地市工业和信息化主管部门签署意见后报省厅。")
        return redirect(HOME)

    def failed(errors: PageErrors, form: Form) -> Response:
        return _withdrawal_page(request, principal, session, code, errors=errors, form=form)

    return await post_form(request, session, action, done=done, failed=failed)


@router.post("/provider/withdrawals/{request_id}/cancel", name="page.lifecycle.withdrawal_cancel")
async def withdrawal_cancel(
    request_id: int, request: Request, principal: SignedInDep, session: SessionDep, now: NowDep
) -> Response:
    """Take a pending request back."""

    def action(_: Form) -> Any:
        return withdrawals.cancel_withdrawal(
            session=session, actor=principal.actor, now=now, request_id=request_id
        )

    def done(_: Any) -> Response:
        flash(request, "退出申请已撤回，资源继续保留在资源库中。")
        return redirect(HOME)

    def failed(errors: PageErrors, _: Form) -> Response:
        return home_page(request, principal, session, now, errors=errors)

    return await post_form(request, session, action, done=done, failed=failed)
