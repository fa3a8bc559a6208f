"""Pages of public supervision: complaints and reports (投诉举报, Art.23) filed and followed by
anyone and handled by staff, and the publicity list with objections (异议, Art.15). One router
and one permission table for `create_app`, gathered from the modules of this package."""

from __future__ import annotations

from fastapi import APIRouter

from api.pages.complaints import public, publicity, staff
from api.permissions import Access

router = APIRouter(include_in_schema=False)
PERMISSIONS: dict[str, Access] = {}
for _module in (public, publicity, staff):
    router.include_router(_module.router)
    PERMISSIONS |= _module.PERMISSIONS
