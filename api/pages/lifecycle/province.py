"""审核台 · 省工信厅 · 资源库管理: the library desk (the daily sweep's open flags, warnings
with their six-month deadlines, withdrawals to decide, credit referrals to send, every entry),
an entry with the warning and priority forms, a warning with its decision, the direct-removal
preview, and the annual reports of a year. The actions are in `province_actions`."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from api.auth import Principal
from api.deps import NowDep, SessionDep, SignedInDep
from api.pages.common import PageErrors, render
from api.pages.lifecycle.forms import Form
from api.permissions import PROVINCE
from api.routes.lifecycle_provider import report_year, today_of
from api.routes.lifecycle_province import library_entries
from api.routes.lifecycle_province_removals import preview
from api.schemas.lifecycle import (
    AnnualReportStatusRead,
    FlagRead,
    ReferralRead,
    WarningRead,
    WithdrawalRead,
    state_label,
)
from registry.enums import LibraryStatus
from registry.errors import NotFound, RegistryError
from registry.models.monitoring import RemovalGround, WithdrawalStatus
from registry.models.organisations import Organisation
from registry.services import annual_reports, library_admin, removals, warnings, withdrawals
from registry.services.removals import GROUND_ARTICLES, GROUND_LABELS
from registry.services.warnings import REASON_LABELS
from registry.sweep import open_flags

router = APIRouter(include_in_schema=False)
PERMISSIONS = {
    name: PROVINCE
    for name in (
        "page.lifecycle.province",
        "page.lifecycle.province_entry",
        "page.lifecycle.province_warning",
        "page.lifecycle.removal_preview",
        "page.lifecycle.annual_reports",
    )
}
GROUNDS = [(g.value, GROUND_LABELS[g], GROUND_ARTICLES[g]) for g in RemovalGround]
REASONS = [(r.value, label) for r, label in REASON_LABELS.items()]
ENTRY_ROWS = 30  # the desk lists work first; the whole library is searched, not scrolled


def _warnings(
    session: Session, principal: Principal, now: datetime, *, open_only: bool
) -> list[WarningRead]:
    actor, today = principal.actor, today_of(now)
    views = warnings.warnings_list(session=session, actor=actor, now=now, open_only=open_only)
    return [
        WarningRead.of(
            warnings.get_warning(session=session, actor=actor, warning_id=v.id), today=today
        )
        for v in views
    ]


def desk_page(
    request: Request,
    principal: Principal,
    session: Session,
    now: datetime,
    *,
    q: str | None = None,
    status: LibraryStatus | None = None,
    errors: PageErrors | None = None,
) -> HTMLResponse:
    """What waits for the province after certification, and every entry (searchable)."""
    actor = principal.actor
    forwarded = withdrawals.withdrawal_requests(
        session=session, actor=actor, status=WithdrawalStatus.FORWARDED
    )
    referrals = removals.pending_referrals(session=session, actor=actor)
    entries = library_entries(session, status=status, q=q)
    return render(
        request,
        "lifecycle/province_desk.html",
        {
            "flags": [FlagRead.of(f) for f in open_flags(session=session, actor=actor)],
            "warnings": _warnings(session, principal, now, open_only=True),
            "withdrawals": [WithdrawalRead.of(r) for r in forwarded],
            "referrals": [ReferralRead.model_validate(r) for r in referrals],
            "entries": entries[:ENTRY_ROWS],
            "total": len(entries),
            "q": q or "",
            "status": status.value if status else "",
            "states": [(s.value, state_label(s)) for s in LibraryStatus],
            "errors": errors,
        },
        principal=principal,
        status_code=errors.status if errors else 200,
    )


@router.get("/review/province/library", name="page.lifecycle.province")
def desk(
    request: Request,
    principal: SignedInDep,
    session: SessionDep,
    now: NowDep,
    q: Annotated[str | None, Query(max_length=100)] = None,
    status: Annotated[LibraryStatus | None, Query()] = None,
) -> HTMLResponse:
    """The library desk, optionally filtered by text and state."""
    return desk_page(request, principal, session, now, q=q, status=status)


def entry_page(
    request: Request,
    principal: Principal,
    session: Session,
    now: datetime,
    code: str,
    *,
    errors: PageErrors | None = None,
    form: Form | None = None,
) -> HTMLResponse:
    """One entry: its state, its warnings, and the warning, priority and removal actions."""
    entry = library_admin.entry_by_code(session=session, resource_code=code, visible_only=False)
    history = [
        w for w in _warnings(session, principal, now, open_only=False) if w.resource_code == code
    ]
    return render(
        request,
        "lifecycle/province_entry.html",
        {
            "entry": entry,
            "state": state_label(entry.status),
            "org": entry.resource.organisation,
            "history": history,
            "reasons": REASONS,
            "errors": errors,
            "form": form or {},
        },
        principal=principal,
        status_code=errors.status if errors else 200,
    )


@router.get("/review/province/library/{code}", name="page.lifecycle.province_entry")
def entry(
    code: str, request: Request, principal: SignedInDep, session: SessionDep, now: NowDep
) -> HTMLResponse:
    """An entry with the warning (Art.19(1)) and priority (Art.19(4)) forms."""
    return entry_page(request, principal, session, now, code)


def warning_page(
    request: Request,
    principal: Principal,
    session: Session,
    now: datetime,
    warning_id: int,
    *,
    errors: PageErrors | None = None,
    form: Form | None = None,
) -> HTMLResponse:
    """A warning with the provider's rectification and the province's decision form."""
    found = warnings.get_warning(session=session, actor=principal.actor, warning_id=warning_id)
    w = WarningRead.of(found, today=today_of(now))
    period_running = w.status.value == "open" and not w.overdue
    return render(
        request,
        "lifecycle/province_warning.html",
        {"w": w, "period_running": period_running, "errors": errors, "form": form or {}},
        principal=principal,
        status_code=errors.status if errors else 200,
    )


@router.get("/review/province/warnings/{warning_id}", name="page.lifecycle.province_warning")
def warning(
    warning_id: int, request: Request, principal: SignedInDep, session: SessionDep, now: NowDep
) -> HTMLResponse:
    """A warning and its decision: close it, or remove the entry once the period allows."""
    return warning_page(request, principal, session, now, warning_id)


def removal_page(
    request: Request,
    principal: Principal,
    session: Session,
    now: datetime,
    organisation_id: int,
    ground: RemovalGround | None,
    *,
    errors: PageErrors | None = None,
    form: Form | None = None,
) -> HTMLResponse:
    """The removal form: what it would remove, void and ban until, for the chosen ground."""
    org = session.get(Organisation, organisation_id)
    if org is None:
        raise NotFound(f"申报单位不存在：{organisation_id}", code="organisation_not_found")
    result, refusal = None, None
    if ground is not None:
        try:
            result = preview(session, principal.actor, now, organisation_id, ground)
        except RegistryError as error:  # e.g. already removed and banned: say so on the page
            refusal = error
    return render(
        request,
        "lifecycle/removal.html",
        {
            "org": org,
            "ground": ground.value if ground else "",
            "grounds": GROUNDS,
            "preview": result,
            "refusal": refusal,
            "errors": errors,
            "form": form or {},
        },
        principal=principal,
        status_code=errors.status if errors else 200,
    )


@router.get(
    "/review/province/organisations/{organisation_id}/removal",
    name="page.lifecycle.removal_preview",
)
def removal(
    organisation_id: int,
    request: Request,
    principal: SignedInDep,
    session: SessionDep,
    now: NowDep,
    ground: Annotated[RemovalGround | None, Query()] = None,
) -> HTMLResponse:
    """Direct removal (Art.19(2), Art.21): choose the ground, see what it does, confirm."""
    return removal_page(request, principal, session, now, organisation_id, ground)


@router.get("/review/province/annual-reports", name="page.lifecycle.annual_reports")
def reports(
    request: Request,
    principal: SignedInDep,
    session: SessionDep,
    now: NowDep,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
) -> HTMLResponse:
    """Every entry's report on a year (default the previous one); missing ones first."""
    chosen = report_year(now, year)
    found = [
        AnnualReportStatusRead.of(s)
        for s in annual_reports.report_statuses(
            session=session, actor=principal.actor, now=now, year=chosen
        )
    ]
    order = {"missing": 0, "due": 1, "filed_late": 2, "filed": 3}
    return render(
        request,
        "lifecycle/province_reports.html",
        {
            "year": chosen,
            "rows": sorted(found, key=lambda s: order[s.state.value]),
            "years": list(range(report_year(now), report_year(now) - 5, -1)),
        },
        principal=principal,
    )
