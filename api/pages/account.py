"""登录 / 工作台: the sign-in form (it posts to `POST /login`, which starts the cookie session),
and `/workspace`, which sends each role to where it works. Signing out is the header's form
posting to `POST /logout`."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from api.auth import safe_next
from api.deps import PrincipalDep, SignedInDep
from api.pages.common import redirect, render, role_home
from api.permissions import PUBLIC, SIGNED_IN

router = APIRouter(include_in_schema=False)
PERMISSIONS = {"page.login": PUBLIC, "page.workspace": SIGNED_IN}
LOGIN_ERRORS = {
    "invalid_credentials": "用户名或密码错误，请重新输入",
    "too_many_login_attempts": "登录失败次数过多，已暂停该账号登录，请稍后再试",
}


@router.get("/login", name="page.login", response_model=None)
def login(
    request: Request,
    principal: PrincipalDep,
    next: Annotated[str | None, Query(max_length=500)] = None,
    error: Annotated[str | None, Query(max_length=40)] = None,
) -> HTMLResponse | RedirectResponse:
    """The sign-in form; a signed-in visitor goes on to `next` or their workspace."""
    if principal is not None:
        return redirect(safe_next(next, role_home(principal.actor.role)))
    message = LOGIN_ERRORS.get(error or "", "登录失败，请重试") if error else None
    return render(
        request,
        "login.html",
        {"next": safe_next(next, "/workspace"), "error": message, "asked": False},
        principal=None,
        status_code=200,
    )


@router.get("/workspace", name="page.workspace")
def workspace(principal: SignedInDep) -> RedirectResponse:
    """Each role's own workspace (the need search for roles without one yet)."""
    return redirect(role_home(principal.actor.role))
