"""申报单位注册 (Art.8): an applicant without an account registers its organisation with its
licence (营业执照 / 法人证书) and the Art.4 declarations; an administrator then issues the
account. The registry checks the USCC, the city and the dates and cites the article."""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from fastapi import APIRouter, Request
from fastapi import UploadFile as FastApiUpload
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from api.auth import Principal
from api.deps import FileStoreDep, NowDep, PrincipalDep, SessionDep, SettingsDep, applicant_actor
from api.errors import ServiceError
from api.pages.common import PageErrors, attempt, render
from api.pages.validation import form_data, parse
from api.permissions import only
from api.schemas.organisations import OrganisationCreate
from api.uploads import read_upload
from registry.enums import Role
from registry.reference import GUANGDONG_CITIES, OUTSIDE_GUANGDONG, OrgType, Scale
from registry.services import organisations

router = APIRouter(include_in_schema=False)
REGISTRANTS = only(Role.PROVIDER, Role.PROVINCIAL_STAFF, Role.ADMIN, anonymous=True)
PERMISSIONS = {"page.register": REGISTRANTS, "page.register_submit": REGISTRANTS}
DECLARATIONS = (
    ("independent_legal_person", "具有独立法人资格，生产经营状况正常（第四条第（一）项）"),
    (
        "facilities_and_team",
        "拥有开展赋能服务所需的场所设施、专业人才团队及技术支撑能力（第四条第（二）项）",
    ),
    ("sound_finance", "财务管理制度健全，会计核算规范（第四条第（三）项）"),
)
REVENUE_YEARS = 3


def _years(now: datetime) -> list[int]:
    """The complete years before this one, newest last (Art.7(2) looks at the last two)."""
    return [now.year - n for n in range(REVENUE_YEARS, 0, -1)]


def _page(
    request: Request,
    principal: Principal | None,
    now: datetime,
    *,
    form: dict[str, Any],
    errors: PageErrors | None = None,
    registered: str | None = None,
) -> HTMLResponse:
    return render(
        request,
        "provider/register.html",
        {
            "form": form,
            "errors": errors,
            "registered": registered,
            "years": _years(now),
            "declarations": DECLARATIONS,
            "options": {
                "org_types": [t.value for t in OrgType],
                "scales": [s.value for s in Scale],
                "cities": [*GUANGDONG_CITIES, OUTSIDE_GUANGDONG],
            },
        },
        principal=principal,
        status_code=errors.status if errors else 200,
    )


@router.get("/register", name="page.register")
def register(request: Request, principal: PrincipalDep, now: NowDep) -> HTMLResponse:
    """The registration form (declarations ticked: the applicant unticks what is not true)."""
    ticked = {name: "true" for name, _ in DECLARATIONS} | {"operating_normally": "true"}
    return _page(request, principal, now, form={"province": "广东省", **ticked})


def _body(data: dict[str, Any], years: list[int]) -> OrganisationCreate:
    revenue = [
        {"year": year, "amount_cny": data[f"revenue_{year}"]}
        for year in years
        if data.get(f"revenue_{year}")
    ]
    flags = {name: data.get(name) == "true" for name, _ in DECLARATIONS}
    fields = {k: v for k, v in data.items() if k in OrganisationCreate.model_fields}
    return parse(
        OrganisationCreate,
        {
            **fields,
            **flags,
            "operating_normally": flags["independent_legal_person"],
            "innovative_sme": data.get("innovative_sme") == "true",
            "abnormal_operation": data.get("abnormal_operation") == "true",
            "revenue": revenue,
        },
    )


@router.post("/register", name="page.register_submit")
async def register_submit(
    request: Request,
    principal: PrincipalDep,
    session: SessionDep,
    store: FileStoreDep,
    settings: SettingsDep,
    now: NowDep,
) -> Response:
    """Register the organisation with its licence file."""
    licence = (await request.form()).get("licence")
    data = await form_data(request)
    limit = int(settings.server.max_upload_mb * 1024 * 1024)
    actor = applicant_actor(principal)

    def run() -> Response:
        kept: dict[str, str] = {}

        def action() -> None:
            body = _body(data, _years(now))
            if not isinstance(licence, UploadFile) or not licence.filename:
                raise ServiceError(422, "licence_missing", "请上传营业执照或法人证书扫描件")
            upload = read_upload(
                cast(FastApiUpload, licence), max_bytes=limit, expected_sha256=None,
                field="licence",
            )  # fmt: skip
            org = organisations.register_organisation(
                session=session, actor=actor, now=now, data=body.to_input(), store=store,
                licence=upload,
            )  # fmt: skip
            kept["name"] = org.name

        errors = attempt(session, action)
        if errors:
            return _page(request, principal, now, form=data, errors=errors)
        return _page(request, principal, now, form={}, registered=kept["name"])

    return await run_in_threadpool(run)
