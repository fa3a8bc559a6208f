"""Providers (申报单位): register the organisation, manage resources, cases and evidence.
Providers see and change only their own organisation's data (checked by the registry)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import File, Form, UploadFile

from api.deps import ActorDep, ApplicantDep, FileStoreDep, NowDep, SessionDep, SettingsDep
from api.errors import UPLOAD_ERROR_RESPONSES
from api.queries import organisation_evidence, organisation_resources
from api.routes import api_router
from api.schemas.organisations import OrganisationCreate, OrganisationRead
from api.schemas.resources import (
    CaseCreate,
    CaseRead,
    EvidenceRead,
    ResourceCreate,
    ResourceRead,
    ResourceUpdate,
)
from api.uploads import parse_json_field, read_upload
from registry.actor import Actor
from registry.errors import PermissionDenied
from registry.inputs import EvidenceInput
from registry.seed_schema import EvidenceKind
from registry.services import evidence, organisations, resources

router = api_router("/provider", "申报单位")
Sha256 = Annotated[
    str | None, Form(pattern=r"^[0-9a-fA-F]{64}$", description="可选：文件 SHA-256，服务端核对")
]


def own_organisation_id(actor: Actor) -> int:
    """The provider's organisation (every provider account has one)."""
    if actor.organisation_id is None:
        raise PermissionDenied("当前账号未关联申报单位", code="organisation_required")
    return actor.organisation_id


@router.post(
    "/registrations",
    name="provider.register",
    summary="注册申报单位（第八条，附营业执照或法人证书）",
    status_code=201,
    responses=UPLOAD_ERROR_RESPONSES,
    # Anonymous applicants register too: the bearer token is optional here.
    openapi_extra={"security": [{}, {"OAuth2PasswordBearer": []}]},
)
def register(
    data: Annotated[str, Form(description="OrganisationCreate 的 JSON")],
    licence: Annotated[UploadFile, File(description="营业执照 / 法人证书")],
    actor: ApplicantDep,
    session: SessionDep,
    store: FileStoreDep,
    settings: SettingsDep,
    now: NowDep,
    licence_sha256: Sha256 = None,
) -> OrganisationRead:
    """Register an organisation; an applicant without an account, or staff on its behalf."""
    body = parse_json_field(OrganisationCreate, data, field="data")
    upload = read_upload(
        licence,
        max_bytes=int(settings.server.max_upload_mb * 1024 * 1024),
        expected_sha256=licence_sha256,
        field="licence",
    )
    org = organisations.register_organisation(
        session=session, actor=actor, now=now, data=body.to_input(), store=store, licence=upload
    )
    result = OrganisationRead.model_validate(org)
    session.commit()
    return result


@router.get("/organisation", name="provider.organisation", summary="本单位信息")
def my_organisation(actor: ActorDep, session: SessionDep) -> OrganisationRead:
    """The provider's own organisation."""
    org = organisations.get_organisation(
        session=session, actor=actor, organisation_id=own_organisation_id(actor)
    )
    return OrganisationRead.model_validate(org)


@router.get("/resources", name="provider.resources.list", summary="本单位的赋能资源")
def list_resources(actor: ActorDep, session: SessionDep) -> list[ResourceRead]:
    """Every resource of the provider's organisation with its cases and evidence."""
    return [ResourceRead.of(r) for r in organisation_resources(session, own_organisation_id(actor))]


@router.post(
    "/resources", name="provider.resources.create", summary="新建赋能资源", status_code=201
)
def create_resource(
    body: ResourceCreate, actor: ActorDep, session: SessionDep, now: NowDep
) -> ResourceRead:
    """A new resource of the provider's organisation (Art.9(1) information)."""
    resource = resources.create_resource(
        session=session,
        actor=actor,
        now=now,
        organisation_id=own_organisation_id(actor),
        data=body.to_input(body.code),
    )
    result = ResourceRead.of(resource)
    session.commit()
    return result


@router.get("/resources/{resource_id}", name="provider.resources.get", summary="赋能资源详情")
def get_resource(resource_id: int, actor: ActorDep, session: SessionDep) -> ResourceRead:
    """One of the provider's resources."""
    return ResourceRead.of(
        resources.get_resource(session=session, actor=actor, resource_id=resource_id)
    )


@router.put("/resources/{resource_id}", name="provider.resources.update", summary="修改赋能资源")
def update_resource(
    resource_id: int, body: ResourceUpdate, actor: ActorDep, session: SessionDep, now: NowDep
) -> ResourceRead:
    """Replace a resource's information while no review is under way."""
    resource = resources.update_resource(
        session=session, actor=actor, now=now, resource_id=resource_id, data=body.to_input()
    )
    result = ResourceRead.of(resource)
    session.commit()
    return result


@router.post(
    "/resources/{resource_id}/cases",
    name="provider.cases.create",
    summary="添加典型案例（第九条第（二）项）",
    status_code=201,
)
def add_case(
    resource_id: int, body: CaseCreate, actor: ActorDep, session: SessionDep, now: NowDep
) -> CaseRead:
    """Add an application case to a resource that is not under review."""
    case = resources.add_case(
        session=session, actor=actor, now=now, resource_id=resource_id, data=body.to_input()
    )
    result = CaseRead.model_validate(case)
    session.commit()
    return result


@router.get("/evidence", name="provider.evidence.list", summary="本单位的佐证材料")
def list_evidence(actor: ActorDep, session: SessionDep) -> list[EvidenceRead]:
    """Every evidence document of the provider's organisation (metadata and checksums)."""
    return [EvidenceRead.of(d) for d in organisation_evidence(session, own_organisation_id(actor))]


@router.post(
    "/evidence",
    name="provider.evidence.upload",
    summary="上传佐证材料（第九条；财务材料不填 resource_id）",
    status_code=201,
    responses=UPLOAD_ERROR_RESPONSES,
)
def upload_evidence(
    kind: Annotated[EvidenceKind, Form()],
    title: Annotated[str, Form(min_length=1, max_length=200)],
    issued_on: Annotated[date, Form(description="授权 / 出具 / 发证日期")],
    file: Annotated[UploadFile, File()],
    actor: ActorDep,
    session: SessionDep,
    store: FileStoreDep,
    settings: SettingsDep,
    now: NowDep,
    resource_id: Annotated[int | None, Form()] = None,
    number: Annotated[str | None, Form(max_length=100)] = None,
    expires_on: Annotated[date | None, Form()] = None,
    issuer: Annotated[str | None, Form(max_length=200)] = None,
    sha256: Sha256 = None,
) -> EvidenceRead:
    """An evidence document with its file; the stored SHA-256 is returned for checking."""
    upload = read_upload(
        file,
        max_bytes=int(settings.server.max_upload_mb * 1024 * 1024),
        expected_sha256=sha256,
        field="file",
    )
    document = evidence.add_evidence(
        session=session,
        actor=actor,
        now=now,
        store=store,
        organisation_id=own_organisation_id(actor),
        resource_id=resource_id,
        data=EvidenceInput(
            kind=kind,
            title=title,
            issued_on=issued_on,
            number=number or None,
            expires_on=expires_on,
            issuer=issuer or None,
        ),
        upload=upload,
    )
    result = EvidenceRead.of(document)
    session.commit()
    return result
