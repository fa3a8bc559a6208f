"""审核台 · 省工信厅 · 变更申请: the queue of entry change requests (pending first, or by
status), one request with each text before and after (what changes highlighted), and the
approve / reject (with a reason) form guarded by the version the page was read at."""

from __future__ import annotations

import difflib
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from api.auth import Principal
from api.deps import NowDep, SessionDep, SignedInDep
from api.pages.common import PageErrors, flash, redirect, render
from api.pages.lifecycle.forms import Form, post_form
from api.pages.validation import parse
from api.permissions import PROVINCE
from api.schemas.entry_changes import ApprovalCreate, EntryChangeRead, RejectionCreate
from registry.errors import InvalidInput
from registry.models.changes import EntryChangeStatus
from registry.services import entry_changes

router = APIRouter(include_in_schema=False)
PERMISSIONS = {
    name: PROVINCE
    for name in ("page.lifecycle.changes", "page.lifecycle.change", "page.lifecycle.change_decide")
}
QUEUE = "/review/province/entry-changes"
Segment = tuple[str, bool]  # text, and whether it is what the change removes or adds


def marked(before: str, after: str) -> tuple[list[Segment], list[Segment]]:
    """`before` and `after` cut into runs, those the change removes / adds marked (difflib)."""
    old: list[Segment] = []
    new: list[Segment] = []
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if i2 > i1:
            old.append((before[i1:i2], op != "equal"))
        if j2 > j1:
            new.append((after[j1:j2], op != "equal"))
    return old, new


@router.get(QUEUE, name="page.lifecycle.changes")
def queue(
    request: Request,
    principal: SignedInDep,
    session: SessionDep,
    status: Annotated[EntryChangeStatus | None, Query()] = EntryChangeStatus.PENDING,
) -> HTMLResponse:
    """Change requests in one status (pending by default), newest first."""
    found = entry_changes.entry_changes(session=session, actor=principal.actor, status=status)
    return render(
        request,
        "lifecycle/province_changes.html",
        {
            "changes": [EntryChangeRead.of(c) for c in found],
            "status": status,
            "statuses": [(s.value, entry_changes.LABELS[s]) for s in EntryChangeStatus],
        },
        principal=principal,
    )


def change_page(
    request: Request,
    principal: Principal,
    session: Session,
    change_id: int,
    *,
    errors: PageErrors | None = None,
    form: Form | None = None,
) -> HTMLResponse:
    """One request: every text before and after, the new cases, the decision form."""
    found = entry_changes.get_change(session=session, actor=principal.actor, change_id=change_id)
    change = EntryChangeRead.of(found)
    diffs = {f.field: marked(f.before, f.after) for f in change.fields if f.changed}
    return render(
        request,
        "lifecycle/province_change.html",
        {"c": change, "diffs": diffs, "errors": errors, "form": form or {}},
        principal=principal,
        status_code=errors.status if errors else 200,
    )


@router.get(QUEUE + "/{change_id}", name="page.lifecycle.change")
def change(
    change_id: int, request: Request, principal: SignedInDep, session: SessionDep
) -> HTMLResponse:
    """A change request with what it changes, highlighted."""
    return change_page(request, principal, session, change_id)


@router.post(QUEUE + "/{change_id}/decision", name="page.lifecycle.change_decide")
async def change_decide(
    change_id: int, request: Request, principal: SignedInDep, session: SessionDep, now: NowDep
) -> Response:
    """Approve (the entry's content changes, search follows) or reject with a reason."""

    def action(form: Form) -> Any:
        decision = str(form.get("decision", ""))
        version = form.get("version") or None
        if decision == "approve":
            body = parse(ApprovalCreate, {"note": form.get("note") or "",
                                          "expected_version": version})  # fmt: skip
            return entry_changes.approve_change(
                session=session, actor=principal.actor, now=now, change_id=change_id,
                note=body.note, expected_version=body.expected_version,
            )  # fmt: skip
        if decision == "reject":
            rejection = parse(RejectionCreate, {"reason": form.get("note"),
                                                "expected_version": version})  # fmt: skip
            return entry_changes.reject_change(
                session=session, actor=principal.actor, now=now, change_id=change_id,
                reason=rejection.reason, expected_version=rejection.expected_version,
            )  # fmt: skip
        raise InvalidInput("请选择处理决定", code="decision_required", loc=("decision",))

    def done(c: Any) -> Response:
        verdict = "同意变更，资源库内容已更新" if c.status.value == "approved" else "不同意变更"
        flash(request, f"变更申请已办结：{c.entry.resource.code} {verdict}。")
        return redirect(QUEUE)

    def failed(errors: PageErrors, form: Form) -> Response:
        return change_page(request, principal, session, change_id, errors=errors, form=form)

    return await post_form(request, session, action, done=done, failed=failed)
