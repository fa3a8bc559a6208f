"""Typed dependencies of the routes: settings, the request's database session, the clock, the
file store, and who is calling (checked against `api.permissions` for every route).

One request, one transaction: the route calls registry services with `session`, `actor` and
`now`, builds its response, then commits; any exception rolls the session back before it is
closed (a constraint refusing the commit becomes a 409 in `api.errors`).
Tests move time with ``app.dependency_overrides[current_time] = lambda: moment``.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import datetime
from typing import Annotated
from zoneinfo import ZoneInfo

from argon2 import PasswordHasher
from fastapi import Depends, Request
from sqlalchemy.orm import Session, sessionmaker

from api.auth import Principal, authenticate, needs_csrf, verify_csrf
from api.errors import ServiceError
from api.permissions import Access, check_access
from api.settings import Settings
from api.throttle import LoginThrottle
from registry.actor import Actor
from registry.enums import Role
from registry.services import accounts
from registry.storage import FileStore

SHANGHAI = ZoneInfo("Asia/Shanghai")
logger = logging.getLogger("funeng.api")


def current_time() -> datetime:
    """Now, in Asia/Shanghai (the one place the API reads the clock)."""
    return datetime.now(SHANGHAI)


def get_settings(request: Request) -> Settings:
    """The settings the app was created with."""
    settings: Settings = request.app.state.settings
    return settings


def get_session(request: Request) -> Iterator[Session]:
    """A session for this request; rolled back on any error, always closed."""
    sessions: sessionmaker[Session] = request.app.state.sessions
    session = sessions()
    try:
        yield session
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def get_file_store(request: Request) -> FileStore:
    """Where licences and evidence files are kept (`var_dir/files`)."""
    store: FileStore = request.app.state.file_store
    return store


def get_login_throttle(request: Request) -> LoginThrottle:
    """The counter of failed sign-ins of this server."""
    throttle: LoginThrottle = request.app.state.login_throttle
    return throttle


def get_password_hasher() -> PasswordHasher:
    """The argon2 hasher for sign-in (tests swap in a cheap one)."""
    return accounts.DEFAULT_HASHER


NowDep = Annotated[datetime, Depends(current_time)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
SessionDep = Annotated[Session, Depends(get_session)]
FileStoreDep = Annotated[FileStore, Depends(get_file_store)]
HasherDep = Annotated[PasswordHasher, Depends(get_password_hasher)]
ThrottleDep = Annotated[LoginThrottle, Depends(get_login_throttle)]


def route_access(request: Request) -> Access:
    """The permission entry of the matched route; a route without one is refused."""
    route = request.scope.get("route")
    name = getattr(route, "name", None)
    table: dict[str, Access] = request.app.state.permissions
    access = table.get(name or "")
    if access is None:
        logger.error("route %r has no permission entry: refused", name)
        raise ServiceError(403, "route_not_permitted", "该功能尚未开放")
    return access


async def csrf_protect(request: Request, settings: SettingsDep) -> None:
    """Refuse a form or cookie-authenticated write without the session's CSRF token."""
    if route_access(request).csrf and needs_csrf(
        request, session_cookie=settings.auth.session_cookie
    ):
        await verify_csrf(request)


def guard(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    now: NowDep,
    _csrf: Annotated[None, Depends(csrf_protect)],
) -> Principal | None:
    """Authenticate the caller and apply the route's permission entry (runs on every route)."""
    principal = authenticate(request=request, session=session, settings=settings, now=now)
    check_access(route_access(request), principal)
    request.state.user_id = principal.actor.user_id if principal else None
    return principal


PrincipalDep = Annotated[Principal | None, Depends(guard)]


def signed_in_principal(principal: PrincipalDep) -> Principal:
    """The caller, who must be signed in."""
    if principal is None:
        raise ServiceError(401, "not_authenticated", "请先登录")
    return principal


def signed_in_actor(principal: Annotated[Principal, Depends(signed_in_principal)]) -> Actor:
    """The registry actor of the signed-in caller."""
    return principal.actor


def applicant_actor(principal: PrincipalDep) -> Actor:
    """The caller, or an applicant without an account yet (registering its organisation)."""
    return principal.actor if principal else Actor(user_id=None, role=Role.PROVIDER)


SignedInDep = Annotated[Principal, Depends(signed_in_principal)]
ActorDep = Annotated[Actor, Depends(signed_in_actor)]
ApplicantDep = Annotated[Actor, Depends(applicant_actor)]
