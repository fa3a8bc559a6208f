"""申报单位 portal, the materials of a resource: application cases (Art.9(2)) and evidence
documents with their files (Art.9(3)-(4)); financial documents belong to the organisation."""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from fastapi import APIRouter, Request
from fastapi import UploadFile as FastApiUpload
from fastapi.responses import Response
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from api.auth import Principal
from api.deps import FileStoreDep, NowDep, SessionDep, SettingsDep, SignedInDep
from api.errors import ServiceError
from api.pages.common import attempt, flash, redirect
from api.pages.forms import EvidenceForm
from api.pages.provider import resource_view
from api.pages.validation import form_data, parse
from api.permissions import PROVIDER
from api.routes.provider import own_organisation_id
from api.schemas.resources import CaseCreate
from api.uploads import read_upload
from registry.inputs import EvidenceInput
from registry.services import evidence, resources
from registry.storage import FileStore

router = APIRouter(include_in_schema=False)
PERMISSIONS = {
    "page.provider.case_create": PROVIDER,
    "page.provider.evidence_upload": PROVIDER,
}


@router.post("/provider/resources/{resource_id}/cases", name="page.provider.case_create")
async def case_create(
    resource_id: int, request: Request, principal: SignedInDep, session: SessionDep, now: NowDep
) -> Response:
    """Add an application case (Art.9(2))."""
    data = await form_data(request)

    def run() -> Response:
        def action() -> None:
            body = parse(CaseCreate, data)
            resources.add_case(
                session=session,
                actor=principal.actor,
                now=now,
                resource_id=resource_id,
                data=body.to_input(),
            )

        errors = attempt(session, action)
        if errors:
            return resource_view(
                request, principal, session, resource_id, errors=errors, form=data, which="case"
            )
        flash(request, "典型案例已添加。")
        return redirect(f"/provider/resources/{resource_id}#cases")

    return await run_in_threadpool(run)


@router.post("/provider/resources/{resource_id}/evidence", name="page.provider.evidence_upload")
async def evidence_upload(
    resource_id: int,
    request: Request,
    principal: SignedInDep,
    session: SessionDep,
    store: FileStoreDep,
    settings: SettingsDep,
    now: NowDep,
) -> Response:
    """Upload an evidence document for the resource, or a financial one for the organisation."""
    form = await request.form()
    upload = form.get("file")
    data = await form_data(request)
    limit = int(settings.server.max_upload_mb * 1024 * 1024)

    def run() -> Response:
        errors = attempt(
            session,
            lambda: _add_evidence(principal, session, store, now, resource_id, data, upload, limit),
        )
        if errors:
            return resource_view(
                request, principal, session, resource_id, errors=errors, form=data, which="evidence"
            )
        flash(request, "佐证材料已上传，文件校验码已记录。")
        return redirect(f"/provider/resources/{resource_id}#evidence")

    return await run_in_threadpool(run)


def _add_evidence(
    principal: Principal,
    session: Session,
    store: FileStore,
    now: datetime,
    resource_id: int,
    data: dict[str, Any],
    upload: object,
    limit: int,
) -> None:
    if not isinstance(upload, UploadFile) or not upload.filename:
        raise ServiceError(422, "file_missing", "请选择要上传的文件")
    body = parse(EvidenceForm, data)
    evidence.add_evidence(
        session=session,
        actor=principal.actor,
        now=now,
        store=store,
        organisation_id=own_organisation_id(principal.actor),
        resource_id=None if body.financial else resource_id,
        data=EvidenceInput(
            kind=body.kind,
            title=body.title,
            issued_on=body.issued_on,
            number=body.number,
            expires_on=body.expires_on,
            issuer=body.issuer,
        ),
        upload=read_upload(
            # Starlette's UploadFile (FastAPI's subclasses it); read_upload only reads `.file`.
            cast(FastApiUpload, upload),
            max_bytes=limit,
            expected_sha256=None,
            field="file",
        ),
    )
