"""Authentication in one place: bearer tokens for the API, the cookie session of the web pages,
and CSRF protection of every form or cookie-authenticated write.

- Bearer tokens are signed with `itsdangerous` (the settings secret, a salt of their own) and
  carry the user id, an expiry and a fingerprint of the password hash: changing the password or
  deactivating the account revokes every token at once; no token table is needed.
- The pages' session is Starlette's signed cookie (HttpOnly, SameSite=Lax, Secure outside
  development) holding the same three facts plus a synchronizer CSRF token.
- CSRF: a write that arrives with ambient credentials (the session cookie) or as a form must
  carry the session's token in the `X-CSRF-Token` header or the `csrf_token` form field.
  Bearer-token calls need none: a browser never adds that header by itself.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

from argon2 import PasswordHasher
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy.orm import Session
from starlette.requests import Request

from api.errors import ServiceError
from api.settings import Settings
from registry.actor import Actor
from registry.models.accounts import User
from registry.services import accounts

TOKEN_SALT = "funeng.api.bearer.v1"
CSRF_HEADER = "X-CSRF-Token"
CSRF_FIELD = "csrf_token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


@dataclass(frozen=True, slots=True)
class Principal:
    """A signed-in user as the API sees it: the registry actor plus how they proved it."""

    actor: Actor
    username: str
    display_name: str
    via: Literal["bearer", "session"]


@dataclass(frozen=True, slots=True)
class IssuedToken:
    """A bearer token and when it stops being accepted."""

    token: str
    expires_at: datetime


def fingerprint(user: User) -> str:
    """A short digest of the password hash: credentials signed with it die with the password."""
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:20]


def cookie_secure(settings: Settings) -> bool:
    """Whether the session cookie is marked Secure (explicit setting, else all but development)."""
    if settings.auth.cookie_secure is not None:
        return settings.auth.cookie_secure
    return settings.environment != "development"


def _serializer(settings: Settings) -> URLSafeSerializer:
    return URLSafeSerializer(settings.secret_key.get_secret_value(), salt=TOKEN_SALT)


def issue_token(*, settings: Settings, user: User, now: datetime) -> IssuedToken:
    """A signed bearer token for `user`, valid for the configured time from `now`."""
    expires_at = now + timedelta(minutes=settings.auth.token_ttl_minutes)
    claims = {"sub": user.id, "exp": int(expires_at.timestamp()), "fp": fingerprint(user)}
    return IssuedToken(token=str(_serializer(settings).dumps(claims)), expires_at=expires_at)


def _unauthenticated(code: str, message: str) -> ServiceError:
    return ServiceError(401, code, message)


def _active_user(session: Session, user_id: Any, fp: Any) -> User | None:
    if not isinstance(user_id, int):
        return None
    user = session.get(User, user_id)
    if user is None or not user.is_active or not isinstance(fp, str):
        return None
    return user if hmac.compare_digest(fingerprint(user), fp) else None


def _principal(user: User, via: Literal["bearer", "session"]) -> Principal:
    return Principal(
        actor=Actor.of(user), username=user.username, display_name=user.display_name, via=via
    )


def user_from_token(*, session: Session, settings: Settings, token: str, now: datetime) -> User:
    """The active user a bearer token speaks for; 401 with the reason otherwise."""
    try:
        claims = _serializer(settings).loads(token)
    except BadSignature:
        raise _unauthenticated("token_invalid", "访问令牌无效，请重新获取") from None
    if not isinstance(claims, dict) or not isinstance(claims.get("exp"), int):
        raise _unauthenticated("token_invalid", "访问令牌无效，请重新获取")
    if claims["exp"] <= now.timestamp():
        raise _unauthenticated("token_expired", "访问令牌已过期，请重新登录获取")
    user = _active_user(session, claims.get("sub"), claims.get("fp"))
    if user is None:
        raise _unauthenticated("token_revoked", "访问令牌已失效（账号停用或密码已更改）")
    return user


def authenticate(
    *, request: Request, session: Session, settings: Settings, now: datetime
) -> Principal | None:
    """Who is calling: the bearer token if one is sent, else the page session, else nobody."""
    header = request.headers.get("authorization")
    if header is not None:
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise _unauthenticated(
                "authorization_header_invalid", "Authorization 头应为 Bearer 令牌"
            )
        user = user_from_token(session=session, settings=settings, token=token.strip(), now=now)
        return _principal(user, "bearer")
    cookie_session = request.scope.get("session")
    if not cookie_session or "uid" not in cookie_session:
        return None
    expires = cookie_session.get("exp")
    member = _active_user(session, cookie_session.get("uid"), cookie_session.get("fp"))
    if member is None or not isinstance(expires, int) or expires <= now.timestamp():
        end_session(request)  # stale or revoked: the visitor is simply signed out
        return None
    return _principal(member, "session")


def check_password(
    *, session: Session, username: str, password: str, hasher: PasswordHasher
) -> User:
    """The active user with these credentials; one vague 401 for every failure."""
    user = accounts.authenticate(
        session=session, username=username, password=password, hasher=hasher
    )
    if user is None:
        raise _unauthenticated("invalid_credentials", "用户名或密码错误")
    return user


def start_session(*, request: Request, settings: Settings, user: User, now: datetime) -> None:
    """Sign the page visitor in: a fresh session (new CSRF token) bound to the user."""
    expires_at = now + timedelta(minutes=settings.auth.session_ttl_minutes)
    request.session.clear()
    request.session.update(
        uid=user.id,
        fp=fingerprint(user),
        exp=int(expires_at.timestamp()),
        csrf=secrets.token_urlsafe(32),
    )


def end_session(request: Request) -> None:
    """Sign the page visitor out (the cookie is cleared in the response)."""
    if "session" in request.scope:
        request.session.clear()


def csrf_token(request: Request) -> str:
    """The session's CSRF token, created on first use (templates put it in every form)."""
    token = request.session.get("csrf")
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return token


def needs_csrf(request: Request, *, session_cookie: str) -> bool:
    """True for a write that carries ambient credentials or comes from an HTML form."""
    if request.method in SAFE_METHODS or request.headers.get("authorization") is not None:
        return False
    content_type = request.headers.get("content-type", "").lower()
    return session_cookie in request.cookies or content_type.startswith(FORM_TYPES)


async def verify_csrf(request: Request) -> None:
    """403 csrf_failed unless the request carries the session's CSRF token."""
    expected = request.scope.get("session", {}).get("csrf")
    supplied = request.headers.get(CSRF_HEADER)
    if supplied is None and request.headers.get("content-type", "").lower().startswith(FORM_TYPES):
        value = (await request.form()).get(CSRF_FIELD)
        supplied = value if isinstance(value, str) else None
    if not (isinstance(expected, str) and supplied and hmac.compare_digest(expected, supplied)):
        raise ServiceError(
            403, "csrf_failed", "页面已过期或请求来源不可信（CSRF 校验失败），请刷新页面后重试"
        )


def safe_next(target: str | None, default: str = "/") -> str:
    """A local path to redirect to after a form: never another site (open-redirect guard)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    return target
