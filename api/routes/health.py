"""Liveness (`/health`: the process answers) and readiness (`/ready`: the database answers and
the search index, once plugged in, is loaded)."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Request
from pydantic import BaseModel

from api.errors import ERROR_RESPONSES, ServiceError
from api.readiness import Check, database_check, index_check

router = APIRouter(tags=["运行状态"], responses=dict(ERROR_RESPONSES))


class CheckRead(BaseModel):
    """One dependency's state."""

    status: Literal["ok", "not_configured", "loading", "error"]
    detail: str = ""


class HealthRead(BaseModel):
    """The process is alive."""

    status: Literal["ok"] = "ok"


class ReadinessRead(BaseModel):
    """Every dependency the service needs, and whether it can take traffic."""

    status: Literal["ready"] = "ready"
    checks: dict[str, CheckRead]


@router.get("/health", name="health", summary="存活检查")
def health() -> HealthRead:
    """The process is up (touches nothing else)."""
    return HealthRead()


@router.get("/ready", name="ready", summary="就绪检查")
def ready(request: Request) -> ReadinessRead:
    """200 when the database answers and the index is loaded or not configured; else 503."""
    checks: dict[str, Check] = {
        "database": database_check(request.app.state.engine),
        "index": index_check(getattr(request.app.state, "index_probe", None)),
    }
    report = {name: CheckRead(status=c.status, detail=c.detail) for name, c in checks.items()}
    blocking = [name for name, check in checks.items() if check.blocking]
    if blocking:
        raise ServiceError(
            503,
            "not_ready",
            f"服务尚未就绪：{'、'.join(blocking)}",
            checks={name: check.model_dump() for name, check in report.items()},
        )
    return ReadinessRead(checks=report)
