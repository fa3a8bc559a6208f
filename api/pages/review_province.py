"""审核台, provincial staff (省工信厅): the desk (what waits for them, overdue steps, batches),
every application by status, an application's whole file with the actions of its step
(`review_province_actions`), and the audit log."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from api.auth import Principal
from api.deps import NowDep, SessionDep, SignedInDep
from api.pages.common import PageErrors, render
from api.permissions import PROVINCE, only
from api.queries import AuditFilter, audit_entries, batches, expert_pool, preload
from api.schemas.applications import ApplicationSummaryRead
from api.schemas.reviews import OverdueRead
from api.views import province_view
from registry.enums import ApplicationStatus, Role
from registry.services import access, deadlines, experts
from registry.workflow import STATE_LABELS

router = APIRouter(include_in_schema=False)
PERMISSIONS = {
    "page.province.desk": PROVINCE,
    "page.province.applications": PROVINCE,
    "page.province.application": PROVINCE,
    "page.province.audit": only(Role.PROVINCIAL_STAFF, Role.ADMIN),
}
AUDIT_PAGE = 30
# The statuses staff act on, in the order of the procedure.
WORK_STATUSES = (
    ApplicationStatus.EXPERT_REVIEW,
    ApplicationStatus.PROPOSED,
    ApplicationStatus.PUBLICITY,
)


def _summaries(
    session: Session, principal: Principal, now: datetime, status: ApplicationStatus | None
) -> list[ApplicationSummaryRead]:
    actor = principal.actor
    found = access.visible_applications(session=session, actor=actor, status=status)
    preload(session, found)
    return [ApplicationSummaryRead.of(a, role=actor.role, now=now) for a in found]


def _batch_state(opens_on: date, deadline_on: date, today: date) -> str:
    if today < opens_on:
        return "upcoming"
    return "open" if today <= deadline_on else "closed"


@router.get("/review/province", name="page.province.desk")
def desk(
    request: Request, principal: SignedInDep, session: SessionDep, now: NowDep
) -> HTMLResponse:
    """What waits for the province, earliest deadline first; overdue steps; batches."""
    items = _summaries(session, principal, now, None)
    counts = Counter(i.status for i in items)
    waiting = sorted(
        (i for i in items if i.status in WORK_STATUSES),
        key=lambda i: (i.current_due_at is None, i.current_due_at),
    )
    overdue = deadlines.overdue(session=session, actor=principal.actor, now=now)
    today = now.date()
    return render(
        request,
        "review/province_desk.html",
        {
            "stats": [(STATE_LABELS[s], counts.get(s, 0), s.value) for s in WORK_STATUSES],
            "certified": counts.get(ApplicationStatus.CERTIFIED, 0),
            "waiting": waiting,
            "overdue": [OverdueRead.of(o, now=now) for o in overdue],
            "batches": [
                (b, _batch_state(b.opens_on, b.deadline_on, today)) for b in batches(session)
            ],
        },
        principal=principal,
    )


@router.get("/review/province/applications", name="page.province.applications")
def applications(
    request: Request,
    principal: SignedInDep,
    session: SessionDep,
    now: NowDep,
    status: Annotated[ApplicationStatus | None, Query()] = None,
) -> HTMLResponse:
    """Every application, or those in one status."""
    return render(
        request,
        "review/province_list.html",
        {
            "items": _summaries(session, principal, now, status),
            "status": status,
            "statuses": [(s.value, STATE_LABELS[s]) for s in ApplicationStatus],
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
) -> HTMLResponse:
    """The whole file of an application and the actions of its step."""
    actor = principal.actor
    found = access.get_application(session=session, actor=actor, application_id=application_id)
    view = province_view(session, found, actor=actor, now=now)
    pool = []
    if found.status is ApplicationStatus.EXPERT_REVIEW:
        on_panel = {a.expert_id for a in (view.panel.assignments if view.panel else [])}
        pool = [
            {"expert": e, "conflicts": experts.conflicts(session, e, found), "on": e.id in on_panel}
            for e in expert_pool(session, None)
        ]
    return render(
        request,
        "review/province_application.html",
        {
            "app": view,
            "pool": pool,
            "publicity_over": view.publicity_due_at is not None and view.publicity_due_at < now,
            "evidence_base": f"/api/v1/province/applications/{application_id}/evidence",
            "errors": errors,
        },
        principal=principal,
        status_code=errors.status if errors else 200,
    )


@router.get("/review/province/applications/{application_id}", name="page.province.application")
def application(
    application_id: int, request: Request, principal: SignedInDep, session: SessionDep, now: NowDep
) -> HTMLResponse:
    """One application's file."""
    return application_view(request, principal, session, now, application_id)


@router.get("/review/province/audit", name="page.province.audit")
def audit(
    request: Request,
    principal: SignedInDep,
    session: SessionDep,
    action: Annotated[str | None, Query(max_length=60)] = None,
    object_type: Annotated[str | None, Query(max_length=40)] = None,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> HTMLResponse:
    """The audit log, newest first (Art.22), filtered by action or object."""
    where = AuditFilter(action=action or None, object_type=object_type or None)
    rows, total = audit_entries(session, where, limit=AUDIT_PAGE, offset=(page - 1) * AUDIT_PAGE)
    pages = max(1, -(-total // AUDIT_PAGE))
    query = f"action={action or ''}&object_type={object_type or ''}"
    return render(
        request,
        "review/province_audit.html",
        {
            "rows": rows,
            "total": total,
            "page": page,
            "pages": pages,
            "filters": {"action": action or "", "object_type": object_type or ""},
            "links": {
                "prev": f"?{query}&page={page - 1}" if page > 1 else None,
                "next": f"?{query}&page={page + 1}" if page < pages else None,
                "pages": [
                    (n, f"?{query}&page={n}")
                    for n in range(max(1, page - 4), min(pages, page + 4) + 1)
                ],
            },
        },
        principal=principal,
    )
