"""资源目录: the annual catalog 《广东省制造业赋能资源目录（YYYY年）》 as a public page (Art.20(1)),
one table per Art.5 direction with the published 序号, filtered by direction, city, industry,
form, text and priority; the download is the published workbook itself."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from api.deps import PrincipalDep, SessionDep
from api.pages.common import render
from api.permissions import PUBLIC
from api.routes.catalog import CatalogQuery, catalog_of, catalog_query
from api.schemas.catalog import CatalogRead
from registry.reference import GUANGDONG_CITIES, INDUSTRIES, Direction, Form

router = APIRouter(include_in_schema=False)
PERMISSIONS = {"page.catalog": PUBLIC}
DIRECTIONS = [d.value for d in Direction]
CHOICES: dict[str, list[str] | list[tuple[str, str]]] = {
    "directions": DIRECTIONS,
    "forms": [f.value for f in Form],
    "cities": list(GUANGDONG_CITIES),
    "industries": list(INDUSTRIES.items()),
}


def _link(query: CatalogQuery, **changes: object) -> str:
    """The page's address with the query's filters, some of them changed (None: dropped)."""
    params: dict[str, object] = {
        "direction": query.direction, "city": query.city, "industry": query.industry,
        "form": query.form, "q": query.text,
        "priority_only": "true" if query.priority_only else None,
    }  # fmt: skip
    params.update(changes)
    return "/catalog?" + urlencode([(k, v) for k, v in params.items() if v])


@router.get("/catalog", name="page.catalog")
def catalog_page(
    request: Request,
    principal: PrincipalDep,
    session: SessionDep,
    query: Annotated[CatalogQuery, Depends(catalog_query)],
) -> HTMLResponse:
    """The catalog of this year as of today, filtered as asked."""
    found, rows = catalog_of(session, query)
    view = CatalogRead.of(found, rows)
    sheets = [(d.direction, d, [r for r in view.rows if r.sheet == d.direction])
              for d in view.directions]  # fmt: skip
    return render(request, "catalog/catalog.html", {
        "catalog": view, "sheets": [s for s in sheets if s[2]], "query": query,
        "choices": CHOICES, "direction_links": {d: _link(query, direction=d)
                                                for d in DIRECTIONS},
    }, principal=principal)  # fmt: skip
