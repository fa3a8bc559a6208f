"""申报单位 · 资源信息变更申请: the form to change a library entry's texts (prefilled with the
certified ones) and add up to three cases, the entry's change requests with their state, and
withdrawing a pending one. Only texts that differ from the current ones are proposed.

The case fields are named as the API's body locates them (`new_cases.0.title`), so an error of
the second case shows beside the second case's field; filled case slots are moved up over empty
ones before the proposal is built, so the positions of the list and of the form agree."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from api.auth import Principal
from api.deps import NowDep, SessionDep, SignedInDep
from api.pages.common import PageErrors, flash, redirect, render
from api.pages.lifecycle.forms import Form, post_form
from api.pages.lifecycle.provider import home_page
from api.pages.validation import parse
from api.permissions import PROVIDER
from api.schemas.entry_changes import EntryChangeCreate, EntryChangeRead
from registry.actor import require_organisation
from registry.models.changes import CHANGEABLE_FIELDS
from registry.models.resources import Resource
from registry.services import entry_changes, library_admin

router = APIRouter(include_in_schema=False)
PERMISSIONS = {
    name: PROVIDER
    for name in (
        "page.lifecycle.change_form",
        "page.lifecycle.change_request",
        "page.lifecycle.change_withdraw",
    )
}
CASE_FIELDS = ("title", "client", "client_city", "client_industry", "started_on",
               "completed_on", "implementation", "results", "feedback", "feedback_on")  # fmt: skip
CASE_SLOTS = 3  # new cases one form takes (the API takes up to 20)


def _compact_cases(form: Form) -> list[dict[str, Any]]:
    """The filled case slots (their non-empty fields), in order; the form is rewritten so that
    they come first."""
    cases = []
    for i in range(CASE_SLOTS):
        case = {n: v for n in CASE_FIELDS if (v := form.pop(f"new_cases.{i}.{n}", None))}
        if case:
            cases.append(case)
    for i, case in enumerate(cases):
        form.update({f"new_cases.{i}.{name}": value for name, value in case.items()})
    return cases


def change_page(
    request: Request,
    principal: Principal,
    session: Session,
    code: str,
    *,
    errors: PageErrors | None = None,
    form: Form | None = None,
) -> HTMLResponse:
    """The change form of one of the provider's entries and the entry's change requests."""
    entry = library_admin.entry_by_code(session=session, resource_code=code, visible_only=False)
    require_organisation(principal.actor, entry.resource.organisation_id)
    found = entry_changes.entry_changes(session=session, actor=principal.actor, resource_code=code)
    current = {name: getattr(entry.resource, name) for name in CHANGEABLE_FIELDS}
    return render(
        request,
        "lifecycle/change_form.html",
        {
            "entry": entry,
            "changes": [EntryChangeRead.of(c) for c in found],
            "pending": any(c.status is entry_changes.S.PENDING for c in found),
            "fields": [(n, entry_changes.FIELD_LABELS[n]) for n in CHANGEABLE_FIELDS],
            "form": form or current,
            "case_slots": range(CASE_SLOTS),
            "case_fields": CASE_FIELDS,
            "errors": errors,
        },
        principal=principal,
        status_code=errors.status if errors else 200,
    )


@router.get("/provider/library/{code}/changes", name="page.lifecycle.change_form")
def change_form(
    code: str, request: Request, principal: SignedInDep, session: SessionDep
) -> HTMLResponse:
    """The change form, prefilled with the entry's certified texts, and its requests."""
    return change_page(request, principal, session, code)


def _body(form: Form, resource: Resource) -> EntryChangeCreate:
    """The proposal in a form: the texts that differ from the current ones, the cases given."""
    data: dict[str, Any] = {"explanation": form.get("explanation")}
    for name in CHANGEABLE_FIELDS:
        text = str(form.get(name) or "").replace("\r\n", "\n")
        if text.strip() != getattr(resource, name).strip():
            data[name] = text
    cases = _compact_cases(form)
    if cases:
        data["new_cases"] = cases
    return parse(EntryChangeCreate, data)


@router.post("/provider/library/{code}/changes", name="page.lifecycle.change_request")
async def change_request(
    code: str, request: Request, principal: SignedInDep, session: SessionDep, now: NowDep
) -> Response:
    """Propose the change; the province decides."""

    def action(form: Form) -> Any:
        entry = library_admin.entry_by_code(session=session, resource_code=code)
        require_organisation(principal.actor, entry.resource.organisation_id)
        return entry_changes.propose_change(
            session=session, actor=principal.actor, now=now, resource_code=code,
            data=_body(form, entry.resource).to_input(),
        )  # fmt: skip

    def done(_: Any) -> Response:
        flash(request, f"{code} 的信息变更申请已提交，省工业和信息化厅审核同意后生效。")
        return redirect(f"/provider/library/{code}/changes")

    def failed(errors: PageErrors, form: Form) -> Response:
        return change_page(request, principal, session, code, errors=errors, form=form)

    return await post_form(request, session, action, done=done, failed=failed)


@router.post("/provider/entry-changes/{change_id}/withdraw", name="page.lifecycle.change_withdraw")
async def change_withdraw(
    change_id: int, request: Request, principal: SignedInDep, session: SessionDep, now: NowDep
) -> Response:
    """Take a pending change back."""
    code: list[str] = []

    def action(_: Form) -> Any:
        change = entry_changes.get_change(
            session=session, actor=principal.actor, change_id=change_id
        )
        code.append(change.entry.resource.code)
        return entry_changes.withdraw_change(
            session=session, actor=principal.actor, now=now, change_id=change_id
        )

    def done(_: Any) -> Response:
        flash(request, "变更申请已撤回，资源库中的内容不变。")
        return redirect(f"/provider/library/{code[0]}/changes")

    def failed(errors: PageErrors, _: Form) -> Response:
        if not code:  # not the provider's, or no such change: the library page says why
            return home_page(request, principal, session, now, errors=errors)
        return change_page(request, principal, session, code[0], errors=errors)

    return await post_form(request, session, action, done=done, failed=failed)
