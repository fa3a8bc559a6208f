"""The application factory: `create_app(settings)` wires routes, auth, errors, request ids,
templates and static files. Nothing is read from the environment here, and nothing global is
created: the database engine lives from start-up to shutdown of the app that made it."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import anyio.to_thread
from fastapi import Depends, FastAPI
from fastapi.routing import APIRoute, RouteContext, iter_route_contexts
from fastapi.staticfiles import StaticFiles
from sqlalchemy.engine import make_url
from starlette.middleware.sessions import SessionMiddleware

from api.auth import cookie_secure
from api.deps import guard
from api.errors import install_error_handlers
from api.headers import SecurityHeadersMiddleware
from api.index_runtime import start_index, stop_index
from api.library_browse import LibraryCache
from api.observability import RequestIdMiddleware
from api.pages.html_errors import install_page_errors
from api.permissions import PERMISSIONS, Access, missing_entries
from api.routes import (
    admin,
    auth,
    catalog,
    city,
    complaints,
    entry_changes,
    events,
    expert,
    health,
    lifecycle_city,
    lifecycle_provider,
    lifecycle_province,
    lifecycle_province_removals,
    match,
    objections,
    provider,
    provider_applications,
    province_admin,
    province_decisions,
    province_reviews,
    public,
    relevance,
)
from api.settings import Settings
from api.throttle import LoginThrottle
from api.uploads import BodySizeLimitMiddleware
from api.web import STATIC_DIR, make_templates, page_modules
from registry.db import make_engine, session_factory
from registry.storage import FileStore

logger = logging.getLogger("funeng.api")

ROUTERS = (
    health.router,
    auth.router,
    auth.pages,
    public.router,
    match.router,  # the ranked need search on the live index (`api.index_runtime`)
    provider.router,
    provider_applications.router,
    provider_applications.notifications_router,
    city.router,
    expert.router,
    province_reviews.router,
    province_decisions.router,
    province_admin.router,
    admin.router,
    lifecycle_provider.router,  # after certification: reports, warnings, withdrawals (Art.18-19)
    lifecycle_city.router,
    lifecycle_province.router,
    lifecycle_province_removals.router,
    entry_changes.provider,  # changes of a certified resource's content, decided by the province
    entry_changes.province,
    complaints.public,  # complaints and reports (Art.23): the public files and follows them
    complaints.router,
    objections.router,  # objections from the public during publicity (Art.15)
    events.router,  # matchmaking events and their shortlists (Art.20(2)), organisers
    catalog.router,  # the annual catalog (Art.20(1)), public
    relevance.router,  # the relevance dashboard: judgments, qrels, the latest report
)


def _package_version() -> str:
    try:
        return version("funeng-match")
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "0+unknown"


def _prepare_sqlite_dir(url: str) -> None:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)


def _warn_if_not_migrated(app: FastAPI) -> None:
    from registry.migrate import current_revision, head_revision

    try:
        current, head = current_revision(app.state.engine), head_revision()
    except Exception:  # an unreachable database is reported by /ready, not at start-up
        logger.warning("could not read the schema revision", exc_info=True)
        return
    if current != head:
        logger.warning(
            "database schema at %s, code expects %s: run `funeng registry migrate`", current, head
        )


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Open the database engine (nothing is created or migrated), cap the thread pool, and open
    the live search index in the background (its probe joins `/ready`)."""
    settings: Settings = app.state.settings
    _prepare_sqlite_dir(settings.database_url)
    app.state.engine = make_engine(settings.database_url)
    app.state.sessions = session_factory(app.state.engine)
    anyio.to_thread.current_default_thread_limiter().total_tokens = settings.server.threads
    _warn_if_not_migrated(app)
    start_index(app)
    try:
        yield
    finally:
        stop_index(app)
        app.state.engine.dispose()


def _permission_table(extra: list[dict[str, Access]]) -> dict[str, Access]:
    table = dict(PERMISSIONS)
    for entries in extra:
        clash = sorted(set(entries) & set(table))
        if clash:
            raise RuntimeError(f"permission entries defined twice: {clash}")
        table |= entries
    return table


def api_routes(app: FastAPI) -> list[RouteContext]:
    """Every API route the app serves, included routers flattened (FastAPI keeps them nested)."""
    return [c for c in iter_route_contexts(app.routes) if isinstance(c.original_route, APIRoute)]


def _check_routes(app: FastAPI) -> None:
    names = [str(route.name) for route in api_routes(app)]
    duplicates = sorted({name for name in names if names.count(name) > 1})
    missing = missing_entries(names, app.state.permissions)
    if duplicates or missing:
        raise RuntimeError(f"routes without a unique permission entry: {duplicates + missing}")


def create_app(settings: Settings) -> FastAPI:
    """The service for one deployment's settings."""
    app = FastAPI(
        title="赋能匹配 Funeng Match",
        summary="广东省制造业赋能资源库：认定流程、资源库浏览与需求匹配",
        version=_package_version(),
        lifespan=lifespan,
        docs_url="/docs",
        redoc_url=None,
        dependencies=[Depends(guard)],
    )
    pages = page_modules()
    app.state.settings = settings
    app.state.permissions = _permission_table([dict(p.permissions) for p in pages])
    app.state.index_probe = None
    app.state.index_factory = None  # tests: `api.index_runtime.set_index_factory`
    app.state.index_runtime = None
    app.state.library_cache = LibraryCache()
    app.state.file_store = FileStore(settings.var_dir / "files")
    app.state.login_throttle = LoginThrottle(
        max_failures=settings.auth.login_failures,
        window=timedelta(minutes=settings.auth.login_window_minutes),
    )
    app.state.templates = make_templates()
    install_error_handlers(app)
    install_page_errors(app)  # the same errors, as pages, for the web pages
    for router in (*ROUTERS, *(p.router for p in pages)):
        app.include_router(router)
    if STATIC_DIR.is_dir():  # api/static/ arrives with the web pages
        app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    _check_routes(app)
    # Added innermost first: request ids wrap everything, then security headers, the body
    # limit, and sessions.
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.secret_key.get_secret_value(),
        session_cookie=settings.auth.session_cookie,
        max_age=settings.auth.session_ttl_minutes * 60,
        same_site="lax",
        https_only=cookie_secure(settings),
    )
    app.add_middleware(
        BodySizeLimitMiddleware,
        max_upload_bytes=int(settings.server.max_upload_mb * 1024 * 1024),
        max_other_bytes=settings.server.max_json_kb * 1024,
    )
    app.add_middleware(SecurityHeadersMiddleware)
    app.add_middleware(RequestIdMiddleware)
    return app
