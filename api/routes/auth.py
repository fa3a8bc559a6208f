"""Signing in: bearer tokens for API clients (OAuth2 password flow), and the pages' cookie
session (`POST /login`, `POST /logout`: HTML form posts answered with redirects)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from urllib.parse import urlencode

from argon2 import PasswordHasher
from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse
from fastapi.security import OAuth2PasswordRequestForm
from sqlalchemy.orm import Session

from api.auth import (
    CSRF_FIELD,
    CSRF_HEADER,
    check_password,
    csrf_token,
    end_session,
    issue_token,
    safe_next,
    start_session,
)
from api.deps import HasherDep, NowDep, SessionDep, SettingsDep, SignedInDep, ThrottleDep
from api.errors import ERROR_RESPONSES, ErrorBody, ServiceError
from api.routes import SECURED, api_router
from api.schemas.auth import CsrfRead, MeRead, TokenRead
from api.throttle import LoginThrottle
from registry.models.accounts import User

router = api_router("/auth", "登录与令牌", secured=False)
pages = APIRouter(responses=dict(ERROR_RESPONSES))
THROTTLED: dict[int | str, dict[str, Any]] = {
    429: {"model": ErrorBody, "description": "登录失败次数过多，稍后再试"}
}


def _checked(
    *,
    request: Request,
    session: Session,
    throttle: LoginThrottle,
    hasher: PasswordHasher,
    username: str,
    password: str,
    now: datetime,
) -> User:
    """The user with these credentials, unless this username or address failed too often."""
    address = request.client.host if request.client else None
    throttle.check(username=username, address=address, now=now)
    try:
        user = check_password(session=session, username=username, password=password, hasher=hasher)
    except ServiceError:
        throttle.failed(username=username, address=address, now=now)
        raise
    throttle.succeeded(username=username)
    return user


@router.post(
    "/token", name="auth.token", summary="获取访问令牌（用户名 + 密码）", responses=THROTTLED
)
def token(
    request: Request,
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
    session: SessionDep,
    settings: SettingsDep,
    hasher: HasherDep,
    throttle: ThrottleDep,
    now: NowDep,
) -> TokenRead:
    """A signed bearer token carrying the user id; it expires and dies with the password.
    Too many failures for a username (or from an address) answer 429 for a while."""
    user = _checked(
        request=request,
        session=session,
        throttle=throttle,
        hasher=hasher,
        username=form.username,
        password=form.password,
        now=now,
    )
    issued = issue_token(settings=settings, user=user, now=now)
    session.commit()  # an outdated password hash was upgraded while checking it
    return TokenRead(
        access_token=issued.token,
        expires_in=settings.auth.token_ttl_minutes * 60,
        expires_at=issued.expires_at,
    )


@router.get("/me", name="auth.me", summary="当前用户", dependencies=SECURED)
def me(principal: SignedInDep) -> MeRead:
    """Who the credentials speak for, with their role's scope."""
    actor = principal.actor
    assert actor.user_id is not None  # a principal is always a stored user
    return MeRead(
        user_id=actor.user_id,
        username=principal.username,
        display_name=principal.display_name,
        role=actor.role.value,
        city=actor.city,
        organisation_id=actor.organisation_id,
        expert_id=actor.expert_id,
        via=principal.via,
    )


@router.get("/csrf", name="auth.csrf", summary="页面会话的 CSRF 令牌")
def csrf(request: Request) -> CsrfRead:
    """The token page scripts send in the `X-CSRF-Token` header on writes."""
    return CsrfRead(csrf_token=csrf_token(request), header=CSRF_HEADER, form_field=CSRF_FIELD)


@pages.post("/login", name="session.login", include_in_schema=False)
def login(
    request: Request,
    username: Annotated[str, Form(max_length=64)],
    password: Annotated[str, Form(max_length=256)],
    session: SessionDep,
    settings: SettingsDep,
    hasher: HasherDep,
    throttle: ThrottleDep,
    now: NowDep,
    next: Annotated[str | None, Form()] = None,
) -> RedirectResponse:
    """The login form: on success a fresh session and a redirect to `next`; else back to the
    login page with `error=invalid_credentials` (or `too_many_login_attempts`)."""
    target = safe_next(next)
    try:
        user = _checked(
            request=request,
            session=session,
            throttle=throttle,
            hasher=hasher,
            username=username,
            password=password,
            now=now,
        )
    except ServiceError as error:
        query = urlencode({"error": error.code, "next": target})
        return RedirectResponse(f"{settings.auth.login_page}?{query}", status_code=303)
    start_session(request=request, settings=settings, user=user, now=now)
    session.commit()
    return RedirectResponse(target, status_code=303)


@pages.post("/logout", name="session.logout", include_in_schema=False)
def logout(
    request: Request,
    next: Annotated[str | None, Form()] = None,
) -> RedirectResponse:
    """The logout form: the session is cleared and the visitor sent to `next` (or home)."""
    end_session(request)
    return RedirectResponse(safe_next(next), status_code=303)
