"""HTTP routes, one module per audience; every router documents the one error body."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from fastapi.security import OAuth2PasswordBearer

from api.errors import ERROR_RESPONSES

API_PREFIX = "/api/v1"

# Declares the bearer token in OpenAPI (the "Authorize" button of /docs); `api.deps.guard`
# does the checking, for every route.
bearer_scheme = OAuth2PasswordBearer(
    tokenUrl=f"{API_PREFIX}/auth/token",
    auto_error=False,
    description="用户名 + 密码换取访问令牌，请求头 `Authorization: Bearer <令牌>`",
)
SECURED = [Depends(bearer_scheme)]


def api_router(prefix: str, tag: str, *, secured: bool = True) -> APIRouter:
    """A router under `/api/v1{prefix}` whose every route documents the error responses (and
    the bearer token, unless its routes are public)."""
    return APIRouter(
        prefix=f"{API_PREFIX}{prefix}",
        tags=[tag],
        responses=dict(ERROR_RESPONSES),
        dependencies=SECURED if secured else [],
    )
