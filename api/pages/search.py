"""需求匹配, the home page: a manufacturer describes a need, filters, and reads ranked
resources with the matched terms highlighted, why each one matched, and its evidence case;
"暂无合适资源" with advice when nothing fits; a bundle when the need has several aspects.

`GET /?need=…` (example needs, shareable links) and the form's `POST /` (CSRF-protected, no
length limit of an address) run the same search on the live index.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from pydantic import ValidationError

from api.deps import PrincipalDep
from api.errors import ServiceError
from api.index_runtime import IndexRuntime
from api.match_view import search
from api.pages.common import PageErrors, errors_of, render
from api.pages.validation import form_data
from api.permissions import PUBLIC
from api.schemas.match import MatchFilters, MatchRequest, MatchResultRead
from registry.errors import RegistryError
from registry.reference import GUANGDONG_CITIES, INDUSTRIES, Direction, Form, OrgType

router = APIRouter(include_in_schema=False)
PERMISSIONS = {"page.home": PUBLIC, "page.search": PUBLIC}
FACET_NAMES = ("direction", "form", "industry", "city", "provider_type")
EXAMPLES = (
    ("注塑件外观检测", "我们是东莞的注塑厂，想用机器视觉做外观缺陷检测，替代人工目检"),
    ("车间MES", "五金冲压厂想上线MES，实现生产排程、模具管理和质量追溯"),
    ("跨境电商出海", "外贸小家电企业想做跨境电商独立站，从代工转向自有品牌出海"),
    ("能耗与碳排放", "陶瓷企业希望降低窑炉能耗，并核算碳排放以满足出口客户要求"),
    ("组合需求", "想用机器视觉做缺陷检测，同时上线MES，并通过跨境电商拓展海外市场"),
)


def filter_options() -> dict[str, list[tuple[str, str]]]:
    """The choices of each filter: (value, label)."""
    return {
        "direction": [(d.value, d.value) for d in Direction],
        "form": [(f.value, f.value) for f in Form],
        "industry": [(code, f"{code} {name}") for code, name in INDUSTRIES.items()],
        "city": [(c, c) for c in GUANGDONG_CITIES],
        "provider_type": [(t.value, t.value) for t in OrgType],
    }


def _request(data: dict[str, Any]) -> MatchRequest:
    filters = {name: data[name] for name in FACET_NAMES if data.get(name)}
    return MatchRequest(
        need=data.get("need", ""),
        filters=MatchFilters.model_validate(filters),
        k=int(data.get("k") or 10),
        bundle=data.get("bundle") in ("1", "on", "true", True),
    )


async def _answer(
    request: Request, principal: PrincipalDep, data: dict[str, Any] | None
) -> HTMLResponse:
    result: MatchResultRead | None = None
    errors: PageErrors | None = None
    notice: str | None = None
    if data is not None:
        try:
            runtime: IndexRuntime | None = request.app.state.index_runtime
            if runtime is None:
                raise ServiceError(503, "index_not_configured", "需求匹配暂未开放，请先浏览资源库")
            result = await search(runtime.require(), _request(data))
        except (ValidationError, ServiceError, RegistryError) as error:
            errors = errors_of(error)
            if errors.status == 503:  # the index is loading: say so, keep the form
                notice, errors = errors.items[0].message, None
    return render(
        request,
        "search.html",
        {
            "form": data or {},
            "result": result,
            "errors": errors,
            "notice": notice,
            "options": filter_options(),
            "examples": EXAMPLES,
        },
        principal=principal,
        status_code=errors.status if errors else 200,
    )


@router.get("/", name="page.home")
async def home(
    request: Request,
    principal: PrincipalDep,
    need: Annotated[str | None, Query(max_length=2000)] = None,
    direction: str | None = None,
    form: str | None = None,
    industry: str | None = None,
    city: str | None = None,
    provider_type: str | None = None,
    bundle: str | None = None,
) -> HTMLResponse:
    """The need search; with `need` in the address, its results."""
    given = {
        "need": need, "direction": direction, "form": form, "industry": industry, "city": city,
        "provider_type": provider_type, "bundle": bundle,
    }  # fmt: skip
    data = {k: v for k, v in given.items() if v} if need else None
    return await _answer(request, principal, data)


@router.post("/", name="page.search")
async def search_form(request: Request, principal: PrincipalDep) -> HTMLResponse:
    """The need form, posted."""
    return await _answer(request, principal, await form_data(request))
