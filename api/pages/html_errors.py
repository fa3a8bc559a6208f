"""Errors of the web pages answered as pages: the API keeps its one JSON error body, while a
page route (name `page.*`), or a browser asking for an unknown address, gets HTML with the same
status and the same Chinese messages. A visitor who must sign in gets the sign-in form right
there (401), so the address they asked for is where they return."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from sqlalchemy.exc import IntegrityError, OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from api.auth import Principal, authenticate
from api.errors import ServiceError, search_error
from api.pages.common import ErrorView, PageErrors, errors_of, render
from api.pages.validation import message_of
from indexing.errors import IndexingError
from matcher.errors import MatcherError
from registry.errors import RegistryError

logger = logging.getLogger("funeng.api")
Handler = Callable[[Request, Exception], Awaitable[Response]]
PAGE_PREFIX = "page."
TITLES = {
    401: "请先登录",
    403: "无权访问",
    404: "页面不存在",
    409: "状态已变化",
    422: "输入有误",
    503: "服务暂不可用",
}


def is_page_request(request: Request) -> bool:
    """True for a page route, or for a browser asking for an address no route serves."""
    route = request.scope.get("route")
    if route is not None:
        return str(getattr(route, "name", "")).startswith(PAGE_PREFIX)
    path = request.url.path
    return not path.startswith(("/api/", "/static/", "/docs", "/openapi")) and (
        "text/html" in request.headers.get("accept", "")
    )


def _principal(request: Request) -> Principal | None:
    """Who is visiting, for the page header (never fails: an error page must render)."""
    try:
        with request.app.state.sessions() as session:
            return authenticate(
                request=request, session=session, settings=request.app.state.settings,
                now=_now(request),
            )  # fmt: skip
    except Exception:
        return None


def _now(request: Request) -> Any:
    from api.deps import current_time

    # The clock the routes see (tests move it with a dependency override).
    return request.app.dependency_overrides.get(current_time, current_time)()


def _errors(exc: Exception) -> PageErrors:
    if isinstance(exc, RequestValidationError):
        items = [
            ErrorView(message_of(e), field=".".join(str(p) for p in e.get("loc", ())))
            for e in exc.errors()
        ]
        return PageErrors(422, items)
    if isinstance(exc, StarletteHTTPException):
        message = "您访问的页面不存在或已移除" if exc.status_code == 404 else str(exc.detail)
        return PageErrors(exc.status_code, [ErrorView(message)])
    if isinstance(exc, ServiceError | RegistryError):
        return errors_of(exc)
    if isinstance(exc, IndexingError | MatcherError):
        return errors_of(search_error(exc))
    if isinstance(exc, OperationalError):
        return PageErrors(503, [ErrorView("数据库暂时不可用，请稍后重试")])
    if isinstance(exc, IntegrityError):
        return PageErrors(409, [ErrorView("数据已被他人同时修改，请刷新后重试")])
    return PageErrors(500, [ErrorView("服务器内部错误，已记录，请稍后重试")])


def page_error(request: Request, exc: Exception) -> Response:
    """The HTML answer to an error of a page."""
    errors = _errors(exc)
    if errors.status >= 500:
        logger.error("error on page %s %s", request.method, request.url.path, exc_info=exc)
    return errors_page(request, errors)


def errors_page(request: Request, errors: PageErrors) -> Response:
    """The error page (or, for 401, the sign-in form) for errors a page caught itself."""
    principal = _principal(request)
    if errors.status == 401:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return render(
            request,
            "login.html",
            {"next": target if request.method == "GET" else "/", "error": None, "asked": True},
            principal=None,
            status_code=401,
        )
    return render(
        request,
        "error.html",
        {"status": errors.status, "title": TITLES.get(errors.status, "出错了"), "errors": errors},
        principal=principal,
        status_code=errors.status,
    )


def _page_or(json_handler: Handler) -> Handler:
    async def handle(request: Request, exc: Exception) -> Response:
        if is_page_request(request):
            return page_error(request, exc)
        return await json_handler(request, exc)

    return handle


def install_page_errors(app: FastAPI) -> None:
    """Wrap every JSON error handler so that page requests get pages."""
    for key, json_handler in list(app.exception_handlers.items()):
        app.add_exception_handler(key, _page_or(json_handler))  # type: ignore[arg-type]
