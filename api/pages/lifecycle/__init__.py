"""Pages of library management after certification (Art.18, 19, 21): the provider portal's
入库后管理, the city's withdrawal queue and the province's 资源库管理 desk. One router and
one permission table for `create_app`, gathered from the modules of this package."""

from __future__ import annotations

from fastapi import APIRouter

from api.pages.lifecycle import (
    changes,
    changes_province,
    city,
    provider,
    province,
    province_actions,
)
from api.permissions import Access

router = APIRouter(include_in_schema=False)
PERMISSIONS: dict[str, Access] = {}
for _module in (provider, changes, city, province, province_actions, changes_province):
    router.include_router(_module.router)
    PERMISSIONS |= _module.PERMISSIONS
