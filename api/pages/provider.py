"""申报单位 portal: the organisation, its resources with cases and evidence, its applications
with status and due dates, and the platform's notifications. Forms call the same registry
services as the API; a refusal re-renders the form with every finding and its article."""

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
from api.pages.validation import form_data, lines, parse
from api.permissions import PROVIDER
from api.queries import batches, organisation_resources, preload
from api.routes.provider import own_organisation_id
from api.schemas.applications import ApplicationSummaryRead
from api.schemas.organisations import OrganisationRead
from api.schemas.resources import ResourceCreate, ResourceRead, ResourceUpdate
from registry.reference import INDUSTRIES, Direction, Form
from registry.seed_schema import EvidenceKind
from registry.services import access, notifications, organisations, resources

router = APIRouter(include_in_schema=False)
PERMISSIONS = {
    "page.provider.home": PROVIDER,
    "page.provider.resource_new": PROVIDER,
    "page.provider.resource_create": PROVIDER,
    "page.provider.resource": PROVIDER,
    "page.provider.resource_edit": PROVIDER,
    "page.provider.resource_update": PROVIDER,
}
RESOURCE_LISTS = ("directions", "industries")


def resource_options() -> dict[str, Any]:
    """The choices of the resource form."""
    return {
        "directions": [d.value for d in Direction],
        "forms": [f.value for f in Form],
        "industries": list(INDUSTRIES.items()),
        "evidence_kinds": [k.value for k in EvidenceKind],
    }


def _home(request: Request, principal: Principal, session: Session, now: datetime) -> HTMLResponse:
    actor = principal.actor
    org_id = own_organisation_id(actor)
    org = organisations.get_organisation(session=session, actor=actor, organisation_id=org_id)
    found = access.visible_applications(session=session, actor=actor)
    preload(session, found)
    today = now.date()
    return render(
        request,
        "provider/home.html",
        {
            "org": OrganisationRead.model_validate(org),
            "resources": [ResourceRead.of(r) for r in organisation_resources(session, org_id)],
            "applications": [ApplicationSummaryRead.of(a, role=actor.role, now=now) for a in found],
            "notices": notifications.notifications_for(
                session=session, actor=actor, organisation_id=org_id
            )[:5],
            "batches": [b for b in batches(session) if b.opens_on <= today <= b.deadline_on],
        },
        principal=principal,
    )


@router.get("/provider", name="page.provider.home")
def home(
    request: Request, principal: SignedInDep, session: SessionDep, now: NowDep
) -> HTMLResponse:
    """The provider's overview: organisation, applications, resources, notifications."""
    return _home(request, principal, session, now)


def _resource_form(
    request: Request,
    principal: Principal,
    *,
    values: dict[str, Any],
    action: str,
    errors: PageErrors | None = None,
    resource: ResourceRead | None = None,
) -> HTMLResponse:
    return render(
        request,
        "provider/resource_form.html",
        {
            "form": values,
            "errors": errors,
            "options": resource_options(),
            "action": action,
            "resource": resource,
        },
        principal=principal,
        status_code=errors.status if errors else 200,
    )


@router.get("/provider/resources/new", name="page.provider.resource_new")
def resource_new(request: Request, principal: SignedInDep) -> HTMLResponse:
    """The form of a new resource (Art.9(1) information)."""
    return _resource_form(
        request,
        principal,
        values={"directions": [], "industries": []},
        action="/provider/resources/new",
    )


def _resource_data(data: dict[str, Any]) -> dict[str, Any]:
    return {
        **data,
        "keywords": lines(data.get("keywords")),
        "consortium_uscc": lines(data.get("consortium_uscc")),
    }


@router.post("/provider/resources/new", name="page.provider.resource_create")
async def resource_create(
    request: Request, principal: SignedInDep, session: SessionDep, now: NowDep
) -> Response:
    """Create the resource; its page next."""
    data = await form_data(request, lists=RESOURCE_LISTS)

    def run() -> Response:
        created: dict[str, int] = {}

        def action() -> None:
            body = parse(ResourceCreate, _resource_data(data))
            resource = resources.create_resource(
                session=session,
                actor=principal.actor,
                now=now,
                organisation_id=own_organisation_id(principal.actor),
                data=body.to_input(body.code),
            )
            created["id"] = resource.id

        errors = attempt(session, action)
        if errors:
            return _resource_form(
                request, principal, values=data, action="/provider/resources/new", errors=errors
            )
        flash(request, "资源已保存。请继续添加典型案例（至少 3 个）和佐证材料。")
        return redirect(f"/provider/resources/{created['id']}")

    return await run_in_threadpool(run)


def resource_view(
    request: Request,
    principal: Principal,
    session: Session,
    resource_id: int,
    *,
    errors: PageErrors | None = None,
    form: dict[str, Any] | None = None,
    which: str = "",
) -> HTMLResponse:
    found = resources.get_resource(session=session, actor=principal.actor, resource_id=resource_id)
    return render(
        request,
        "provider/resource.html",
        {
            "resource": ResourceRead.of(found),
            "options": resource_options(),
            "errors": errors,
            "form": form or {},
            "which": which,
            "industries": INDUSTRIES,
        },
        principal=principal,
        status_code=errors.status if errors else 200,
    )


@router.get("/provider/resources/{resource_id}", name="page.provider.resource")
def resource_page(
    resource_id: int, request: Request, principal: SignedInDep, session: SessionDep
) -> HTMLResponse:
    """A resource with its cases, evidence, and the forms to add them."""
    return resource_view(request, principal, session, resource_id)


@router.get("/provider/resources/{resource_id}/edit", name="page.provider.resource_edit")
def resource_edit(
    resource_id: int, request: Request, principal: SignedInDep, session: SessionDep
) -> HTMLResponse:
    """The resource form, filled in (while no review is under way)."""
    found = ResourceRead.of(
        resources.get_resource(session=session, actor=principal.actor, resource_id=resource_id)
    )
    values = found.model_dump(mode="json")
    values["keywords"] = "、".join(found.keywords)
    return _resource_form(
        request,
        principal,
        values=values,
        action=f"/provider/resources/{resource_id}/edit",
        resource=found,
    )


@router.post("/provider/resources/{resource_id}/edit", name="page.provider.resource_update")
async def resource_update(
    resource_id: int, request: Request, principal: SignedInDep, session: SessionDep, now: NowDep
) -> Response:
    """Replace the resource's information."""
    data = await form_data(request, lists=RESOURCE_LISTS)

    def run() -> Response:
        def action() -> None:
            body = parse(ResourceUpdate, _resource_data(data))
            resources.update_resource(
                session=session,
                actor=principal.actor,
                now=now,
                resource_id=resource_id,
                data=body.to_input(),
            )

        errors = attempt(session, action)
        if errors:
            return _resource_form(
                request,
                principal,
                values=data,
                action=f"/provider/resources/{resource_id}/edit",
                errors=errors,
            )
        flash(request, "资源信息已更新。")
        return redirect(f"/provider/resources/{resource_id}")

    return await run_in_threadpool(run)
