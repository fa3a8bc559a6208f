"""Public routes: browse the certified library with facets, a resource with its cases, the
batches, and what is in publicity. Anyone may call them; nothing unpublished leaves here.

The ranked need search (`POST /api/v1/match`) belongs in `api/routes/match.py`, added with the
search index by the indexing engine; browsing here reads the database only.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query, Request

from api.deps import SHANGHAI, NowDep, SessionDep
from api.library_browse import FACETS, Browse, Facet, LibraryCache, Sort, browse, facet_label
from api.queries import batches, in_publicity
from api.routes import api_router
from api.schemas.common import Page, Paging, page_of, paging
from api.schemas.library import (
    BatchRead,
    FacetValueRead,
    LibraryPageRead,
    LibraryResourceDetailRead,
    LibraryResourceRead,
    PublicityItemRead,
)
from registry.errors import NotFound

router = api_router("", "公开：资源库", secured=False)

FacetQuery = Annotated[list[str], Query()]


def library_filters(
    direction: FacetQuery = [],  # noqa: B006 (FastAPI copies query defaults)
    form: FacetQuery = [],  # noqa: B006
    industry: FacetQuery = [],  # noqa: B006
    city: FacetQuery = [],  # noqa: B006
    provider_type: FacetQuery = [],  # noqa: B006
    status: FacetQuery = [],  # noqa: B006
    sort: Annotated[Sort, Query(description="priority 优先推广在前 / code / newest")] = "priority",
) -> Browse:
    """Selected facet values (repeat a parameter for alternatives) and the order."""
    given: dict[Facet, list[str]] = {
        "direction": direction,
        "form": form,
        "industry": industry,
        "city": city,
        "provider_type": provider_type,
        "status": status,
    }
    return Browse(selected={f: frozenset(v) for f, v in given.items() if v}, sort=sort)


@router.get("/library/resources", name="library.list", summary="浏览资源库（分面筛选、分页）")
def list_library(
    request: Request,
    session: SessionDep,
    query: Annotated[Browse, Depends(library_filters)],
    page: Annotated[Paging, Depends(paging)],
) -> LibraryPageRead:
    """Certified (and warned) resources matching the filters, with facet counts."""
    cache: LibraryCache = request.app.state.library_cache
    result = browse(cache.entries(session), query)
    items, total = page_of(result.entries, page)
    facets = {
        facet: [
            FacetValueRead(
                value=value,
                label=facet_label(facet, value),
                count=count,
                selected=value in query.selected.get(facet, frozenset()),
            )
            for value, count in sorted(result.facets[facet].items(), key=lambda i: (-i[1], i[0]))
        ]
        for facet in FACETS
    }
    return LibraryPageRead(
        items=[LibraryResourceRead.of(e) for e in items],
        total=total,
        limit=page.limit,
        offset=page.offset,
        facets=dict(facets),
    )


@router.get("/library/resources/{code}", name="library.detail", summary="资源详情（含典型案例）")
def library_detail(code: str, request: Request, session: SessionDep) -> LibraryResourceDetailRead:
    """One resource of the library with its public information and cases."""
    cache: LibraryCache = request.app.state.library_cache
    found = cache.entry(session, code)
    if found is None:
        raise NotFound(f"资源库中没有该资源：{code}", code="resource_not_in_library", loc=("code",))
    return LibraryResourceDetailRead.of(found)


@router.get("/batches", name="batches.list", summary="申报批次")
def list_batches(session: SessionDep, now: NowDep) -> list[BatchRead]:
    """Every quarterly batch, newest first, and whether it accepts applications today."""
    today = now.astimezone(SHANGHAI).date()
    return [
        BatchRead(
            code=b.code,
            title=b.title,
            opens_on=b.opens_on,
            deadline_on=b.deadline_on,
            accepting=b.opens_on <= today <= b.deadline_on,
        )
        for b in batches(session)
    ]


@router.get("/publicity", name="publicity.list", summary="公示名单")
def list_publicity(
    session: SessionDep, page: Annotated[Paging, Depends(paging)]
) -> Page[PublicityItemRead]:
    """Resources proposed for certification and in their 5-working-day publicity (Art.15)."""
    items, total = page_of(in_publicity(session), page)
    return Page[PublicityItemRead](
        items=[
            PublicityItemRead(
                application_id=a.id,
                resource_code=a.resource.code,
                title=a.resource.title,
                directions=[d.value for d in a.resource.direction_values],
                form=a.resource.form.value,
                provider_name=a.resource.organisation.name,
                provider_city=a.resource.organisation.city,
                batch=a.batch.code,
                publicity_started_at=a.publicity_started_at,
                publicity_due_at=a.publicity_due_at,
            )
            for a in items
        ],
        total=total,
        limit=page.limit,
        offset=page.offset,
    )
