"""资源库: browse the certified library with facets and pagination, and a resource's page with
all its cases (public information only, as the API serves it)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from api.deps import PrincipalDep, SessionDep
from api.library_browse import FACETS, Browse, Facet, LibraryCache, browse, facet_label
from api.pages.common import render
from api.permissions import PUBLIC
from api.routes.public import library_filters
from api.schemas.library import LibraryResourceDetailRead, LibraryResourceRead
from registry.errors import NotFound

router = APIRouter(include_in_schema=False)
PERMISSIONS = {"page.library": PUBLIC, "page.resource": PUBLIC}
PAGE_SIZE = 12
FACET_LABELS = {
    "direction": "赋能方向",
    "form": "资源形态",
    "industry": "适用行业",
    "city": "所在城市",
    "provider_type": "单位类型",
    "status": "入库状态",
}


def _facets(result_facets: Mapping[Facet, Counter[str]], query: Browse) -> list[dict[str, object]]:
    groups = []
    for facet in FACETS:
        counts = result_facets[facet]
        chosen = query.selected.get(facet, frozenset())
        values = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        groups.append(
            {
                "name": facet,
                "label": FACET_LABELS[facet],
                "values": [
                    {
                        "value": v,
                        "label": facet_label(facet, v),
                        "count": n,
                        "selected": v in chosen,
                    }
                    for v, n in values
                ],
                "open": bool(chosen) or facet in ("direction", "form", "city"),
            }
        )
    return groups


def _page_link(query: Browse, page: int) -> str:
    pairs = [(facet, value) for facet, values in query.selected.items() for value in sorted(values)]
    return "/library?" + urlencode([*pairs, ("sort", query.sort), ("page", page)])


@router.get("/library", name="page.library")
def library(
    request: Request,
    principal: PrincipalDep,
    session: SessionDep,
    query: Annotated[Browse, Depends(library_filters)],
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
) -> HTMLResponse:
    """The certified library, filtered by facets, twelve resources a page."""
    cache: LibraryCache = request.app.state.library_cache
    result = browse(cache.entries(session), query)
    total = len(result.entries)
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(page, pages)
    shown = result.entries[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    chips = [
        {"facet": FACET_LABELS[f], "label": facet_label(f, v)}
        for f, values in query.selected.items()
        for v in sorted(values)
    ]
    return render(
        request,
        "library.html",
        {
            "items": [LibraryResourceRead.of(e) for e in shown],
            "total": total,
            "page": page,
            "pages": pages,
            "facets": _facets(result.facets, query),
            "chips": chips,
            "sort": query.sort,
            "links": {
                "prev": _page_link(query, page - 1) if page > 1 else None,
                "next": _page_link(query, page + 1) if page < pages else None,
                "pages": [(n, _page_link(query, n)) for n in range(1, pages + 1)],
            },
        },
        principal=principal,
    )


@router.get("/library/{code}", name="page.resource")
def resource(
    code: str, request: Request, principal: PrincipalDep, session: SessionDep
) -> HTMLResponse:
    """A resource of the library with everything public about it and all its cases."""
    cache: LibraryCache = request.app.state.library_cache
    found = cache.entry(session, code)
    if found is None:
        raise NotFound(f"资源库中没有该资源：{code}", code="resource_not_in_library")
    return render(
        request,
        "resource.html",
        {"resource": LibraryResourceDetailRead.of(found)},
        principal=principal,
    )
