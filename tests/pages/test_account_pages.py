"""Signing in and out through the pages, each role sent to its workspace, and the pages a
role may not open answered as pages (401 with the sign-in form, 403)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.pages.conftest import csrf_of, sign_in


@pytest.mark.parametrize(
    ("username", "home", "heading"),
    [
        ("fx-mingshi", "/provider", "东莞市明视智能检测科技有限公司"),
        ("dongguan-reviewer", "/review/city", "东莞市 · 地市初审"),
        ("expert-tech-1", "/review/expert", "专家评审"),
        ("province-staff", "/review/province", "省级审核工作台"),
        ("admin", "/review/province/audit", "审计日志"),
    ],
)
def test_each_role_lands_on_its_workspace(
    client: TestClient, username: str, home: str, heading: str
) -> None:
    page = sign_in(client, username)
    assert page.status_code == 200 and page.url.path == home
    assert heading in page.text and "退出" in page.text


def test_wrong_password_returns_to_the_form_with_a_message(client: TestClient) -> None:
    token = csrf_of(client.get("/login"))
    page = client.post(
        "/login", data={"username": "fx-mingshi", "password": "nope", "csrf_token": token}
    )
    assert page.url.path == "/login" and "用户名或密码错误" in page.text


def test_a_signed_in_visitor_skips_the_form(client: TestClient) -> None:
    sign_in(client, "fx-mingshi")
    again = client.get("/login", follow_redirects=False)
    assert again.status_code == 303 and again.headers["location"] == "/provider"


def test_an_anonymous_visitor_gets_the_form_where_they_asked(client: TestClient) -> None:
    page = client.get("/provider/applications/1")
    assert page.status_code == 401 and "该页面需要登录后访问" in page.text
    assert 'name="next" value="/provider/applications/1"' in page.text
    after = sign_in(client, "fx-mingshi", next="/provider/applications/1")
    assert after.url.path == "/provider/applications/1" and after.status_code == 200


@pytest.mark.parametrize(
    ("username", "path"),
    [
        ("fx-mingshi", "/review/city"),
        ("fx-mingshi", "/review/province"),
        ("dongguan-reviewer", "/provider"),
        ("expert-tech-1", "/review/city"),
        ("dongguan-reviewer", "/review/province/audit"),
        ("organiser", "/workspace/../review/expert"),
    ],
)
def test_other_roles_pages_are_refused(client: TestClient, username: str, path: str) -> None:
    sign_in(client, username)
    page = client.get(path)
    assert page.status_code == 403 and "无权访问" in page.text
    assert "返回我的工作台" in page.text


def test_sign_out_ends_the_session(client: TestClient) -> None:
    home = sign_in(client, "fx-mingshi")
    out = client.post("/logout", data={"csrf_token": csrf_of(home), "next": "/"})
    assert out.url.path == "/" and "登录" in out.text
    assert client.get("/provider").status_code == 401


def test_sign_out_needs_the_token(client: TestClient) -> None:
    sign_in(client, "fx-mingshi")
    refused = client.post("/logout", data={"next": "/"})
    assert refused.status_code == 403
    assert client.get("/provider").status_code == 200  # still signed in
