"""The one error body of the service and the mapping of domain errors to HTTP.

Every error, whatever raised it, leaves as FastAPI's 422 shape:
``{"detail": [{"type": code, "msg": text, "loc": [...], "ctx": {...}}]}``. `type` is a stable
English code, `msg` is Chinese, `ctx.article` cites the Measures where a rule is the reason.

The domain errors mapped here: the registry's (`STATUS_BY_REGISTRY_ERROR`), and the search
index's and matcher's (`STATUS_BY_SEARCH_ERROR`, `search_error`).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy.exc import IntegrityError, OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

from indexing import errors as indexing_errors
from matcher import errors as matcher_errors
from matcher.encoders import EncoderUnavailable
from registry import errors as registry_errors
from registry.findings import Finding, article_zh

logger = logging.getLogger("funeng.api")


class ErrorItem(BaseModel):
    """One problem: a stable code, a Chinese message, where it is, and context."""

    type: str = Field(examples=["art9.cases_too_few"])
    msg: str = Field(examples=["典型案例不足：第九条第（二）项要求至少 3 个，实际 2 个"])
    loc: list[str | int] = Field(default_factory=list, examples=[["body", "cases"]])
    ctx: dict[str, Any] | None = Field(
        default=None, examples=[{"article": "Art.9(2)", "article_zh": "第九条第（二）项"}]
    )


class ErrorBody(BaseModel):
    """The error body of every non-2xx response."""

    detail: list[ErrorItem]


class ServiceError(Exception):
    """An error raised by the API layer itself (authentication, index not ready, …)."""

    def __init__(
        self,
        status_code: int,
        code: str,
        message: str,
        *,
        loc: Sequence[str | int] = (),
        **ctx: Any,
    ) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.code = code
        self.message = message
        self.loc = tuple(loc)
        self.ctx = ctx or None


STATUS_BY_REGISTRY_ERROR: dict[type[registry_errors.RegistryError], int] = {
    registry_errors.NotFound: 404,
    registry_errors.PermissionDenied: 403,
    registry_errors.Conflict: 409,
    registry_errors.TransitionNotAllowed: 409,
    registry_errors.RuleViolation: 422,
    registry_errors.InvalidInput: 422,
    registry_errors.CalendarNotCovered: 422,
}

SearchError = indexing_errors.IndexingError | matcher_errors.MatcherError
# First match wins: subclasses before their bases. A query the index refuses is the caller's
# (422); an index that cannot serve is the service's, for a while (503: not loaded yet, no
# snapshot, one built for another model or corrupt, the model missing); any other matcher
# error is a defect (500).
STATUS_BY_SEARCH_ERROR: dict[type[SearchError], int] = {
    indexing_errors.InvalidFilter: 422,
    indexing_errors.IndexNotReady: 503,
    indexing_errors.NoSnapshot: 503,
    indexing_errors.SnapshotMismatch: 503,
    indexing_errors.SnapshotCorrupt: 503,
    indexing_errors.IndexingError: 503,  # the index's settings (ranking factors, snapshots kept)
    matcher_errors.InvalidInput: 422,
    matcher_errors.IndexFormatError: 503,
    matcher_errors.IndexMismatch: 503,
    EncoderUnavailable: 503,
    matcher_errors.MatcherError: 500,
}

# Shown in OpenAPI on every route: the one error shape.
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorBody, "description": description}
    for status, description in (
        (401, "未登录或凭证无效"),
        (403, "角色或范围不允许此操作"),
        (404, "对象不存在"),
        (409, "状态冲突：对象已被他人更改，或当前状态不允许此操作"),
        (422, "输入不符合要求或不符合《管理办法》规定（附条款）"),
        (503, "服务尚未就绪（索引或数据库不可用）"),
    )
}


# Routes that take a request body may also be refused for its size.
UPLOAD_ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    **ERROR_RESPONSES,
    413: {"model": ErrorBody, "description": "上传文件或请求体超过大小上限"},
}


def _article_ctx(article: str | None) -> dict[str, Any] | None:
    return {"article": article, "article_zh": article_zh(article)} if article else None


def finding_item(finding: Finding, loc_prefix: tuple[str | int, ...] = ()) -> ErrorItem:
    """An error item for one finding of the rule checks."""
    return ErrorItem(
        type=finding.code,
        msg=finding.message,
        loc=[*loc_prefix, *finding.loc],
        ctx=_article_ctx(finding.article),
    )


def registry_error_body(error: registry_errors.RegistryError) -> ErrorBody:
    """All findings of a rule violation as items, or the one error as a single item."""
    blocking = [f for f in error.findings if f.blocking] or list(error.findings)
    if blocking:
        return ErrorBody(detail=[finding_item(f) for f in blocking])
    return ErrorBody(
        detail=[
            ErrorItem(
                type=error.code,
                msg=error.message,
                loc=list(error.loc),
                ctx=_article_ctx(error.article),
            )
        ]
    )


def search_error(error: SearchError, *, loc: Sequence[str | int] = ()) -> ServiceError:
    """The API's error for an error of the search index or the matcher, with its own code and
    message; `loc` says which part of the request it concerns."""
    status = next(s for cls, s in STATUS_BY_SEARCH_ERROR.items() if isinstance(error, cls))
    if status >= 500 and not isinstance(error, indexing_errors.IndexNotReady):
        logger.error("search failed: %s", error, exc_info=error)
    return ServiceError(status, error.code, error.message, loc=loc)


@contextmanager
def search_errors(*, loc: Sequence[str | int] = ()) -> Iterator[None]:
    """Errors of the search index or the matcher raised inside leave as `search_error`s (for
    code whose callers handle the API's errors, as the need-search page does)."""
    try:
        yield
    except (indexing_errors.IndexingError, matcher_errors.MatcherError) as error:
        raise search_error(error, loc=loc) from error


def _json(status_code: int, body: ErrorBody, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(
        status_code=status_code, content=body.model_dump(exclude_none=True), headers=headers
    )


async def _on_registry_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, registry_errors.RegistryError)
    status = next(
        (code for cls, code in STATUS_BY_REGISTRY_ERROR.items() if isinstance(exc, cls)), 400
    )
    return _json(status, registry_error_body(exc))


async def _on_service_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ServiceError)
    item = ErrorItem(type=exc.code, msg=exc.message, loc=list(exc.loc), ctx=exc.ctx)
    headers = {"WWW-Authenticate": "Bearer"} if exc.status_code == 401 else None
    return _json(exc.status_code, ErrorBody(detail=[item]), headers)


async def _on_search_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, indexing_errors.IndexingError | matcher_errors.MatcherError)
    return await _on_service_error(request, search_error(exc))


async def _on_validation_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    items = [
        ErrorItem(
            type=str(err.get("type", "validation_error")),
            msg=_validation_message(err),
            loc=list(err.get("loc", ())),
        )
        for err in exc.errors()
    ]
    return _json(422, ErrorBody(detail=items))


def _validation_message(err: dict[str, Any]) -> str:
    field = ".".join(str(part) for part in err.get("loc", ()) if part != "body")
    return f"字段 {field or '（请求体）'} 不合法：{err.get('msg', '')}"


_HTTP_CODES = {
    401: "not_authenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "request_too_large",
}


async def _on_http_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    code = _HTTP_CODES.get(exc.status_code, f"http_{exc.status_code}")
    message = exc.detail if isinstance(exc.detail, str) else "请求无法处理"
    if exc.status_code == 404 and message == "Not Found":
        message = "请求的地址不存在"
    return _json(
        exc.status_code,
        ErrorBody(detail=[ErrorItem(type=code, msg=message)]),
        dict(exc.headers) if exc.headers else None,
    )


async def _on_integrity_error(request: Request, exc: Exception) -> JSONResponse:
    # A unique or foreign-key constraint refused the write, typically a concurrent duplicate.
    logger.warning("integrity error on %s %s: %s", request.method, request.url.path, exc)
    item = ErrorItem(
        type="integrity_conflict", msg="数据与已有记录冲突（可能已被他人同时提交），请刷新后重试"
    )
    return _json(409, ErrorBody(detail=[item]))


async def _on_database_down(request: Request, exc: Exception) -> JSONResponse:
    logger.error("database unavailable on %s %s: %s", request.method, request.url.path, exc)
    item = ErrorItem(type="database_unavailable", msg="数据库暂时不可用，请稍后重试")
    return _json(503, ErrorBody(detail=[item]))


async def _on_unexpected(request: Request, exc: Exception) -> JSONResponse:
    logger.exception("unhandled error on %s %s", request.method, request.url.path)
    item = ErrorItem(type="internal_error", msg="服务器内部错误，已记录，请稍后重试")
    return _json(500, ErrorBody(detail=[item]))


def install_error_handlers(app: FastAPI) -> None:
    """Route every error through the one body."""
    app.add_exception_handler(registry_errors.RegistryError, _on_registry_error)
    app.add_exception_handler(ServiceError, _on_service_error)
    app.add_exception_handler(indexing_errors.IndexingError, _on_search_error)
    app.add_exception_handler(matcher_errors.MatcherError, _on_search_error)
    app.add_exception_handler(RequestValidationError, _on_validation_error)
    app.add_exception_handler(StarletteHTTPException, _on_http_error)
    app.add_exception_handler(IntegrityError, _on_integrity_error)
    app.add_exception_handler(OperationalError, _on_database_down)
    app.add_exception_handler(Exception, _on_unexpected)
