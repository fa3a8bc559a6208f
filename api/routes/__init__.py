"""HTTP routes, one module per audience; every router documents the one error body."""

from __future__ import annotations

from fastapi import APIRouter

from api.errors import ERROR_RESPONSES

API_PREFIX = "/api/v1"


def api_router(prefix: str, tag: str) -> APIRouter:
    """A router under `/api/v1{prefix}` whose every route documents the error responses."""
    return APIRouter(prefix=f"{API_PREFIX}{prefix}", tags=[tag], responses=dict(ERROR_RESPONSES))
