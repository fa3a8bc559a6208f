"""Bearer tokens (signed, expiring, revoked with the password or the account) and the pages'
cookie session (HttpOnly, SameSite=Lax, Secure; login, expiry, logout, safe redirects)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import SecretStr
from sqlalchemy.orm import Session, sessionmaker

from api.app import create_app
from api.auth import fingerprint, safe_next
from api.settings import Settings
from registry.models.accounts import User
from registry.services.accounts import find_user
from tests.api.conftest import BASE_URL, Clock, Tokens, error_types
from tests.api.world import ApiWorld
from tests.db.factories import FAST_HASHER, PASSWORD


def token_for(client: TestClient, username: str, password: str = PASSWORD) -> str:
    response = client.post("/api/v1/auth/token", data={"username": username, "password": password})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["token_type"] == "bearer"
    return str(body["access_token"])


def me(client: TestClient, token: str) -> dict[str, object]:
    response = client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"})
    return {"status": response.status_code, **response.json()}


def test_token_for_valid_credentials_speaks_for_the_user(
    client: TestClient, world: ApiWorld
) -> None:
    token = token_for(client, "gz-reviewer")
    found = me(client, token)
    assert found["status"] == 200
    assert found["username"] == "gz-reviewer"
    assert found["role"] == "municipal_reviewer" and found["city"] == "广州市"
    assert found["via"] == "bearer"


@pytest.mark.parametrize(
    ("username", "password"),
    [("staff", "wrong-password"), ("nobody", PASSWORD), ("staff", "")],
)
def test_bad_credentials_get_one_vague_401(
    client: TestClient, world: ApiWorld, username: str, password: str
) -> None:
    response = client.post("/api/v1/auth/token", data={"username": username, "password": password})
    if not password:
        assert response.status_code == 422  # the form requires a password
        return
    assert response.status_code == 401
    assert error_types(response.json()) == ["invalid_credentials"]
    assert response.headers["www-authenticate"] == "Bearer"


def test_token_expires_with_the_clock(
    client: TestClient, world: ApiWorld, clock: Clock, settings: Settings
) -> None:
    token = token_for(client, "staff")
    clock.now += timedelta(minutes=settings.auth.token_ttl_minutes - 1)
    assert me(client, token)["status"] == 200
    clock.now += timedelta(minutes=2)
    expired = me(client, token)
    assert expired["status"] == 401
    assert expired["detail"][0]["type"] == "token_expired"  # type: ignore[index]


def test_tampered_token_is_invalid(client: TestClient, world: ApiWorld) -> None:
    token = token_for(client, "staff")
    forged = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    assert me(client, forged)["detail"][0]["type"] == "token_invalid"  # type: ignore[index]
    assert me(client, "not-a-token")["detail"][0]["type"] == "token_invalid"  # type: ignore[index]


def test_token_signed_with_another_secret_is_invalid(
    client: TestClient, world: ApiWorld, settings: Settings, as_user: Tokens
) -> None:
    other = settings.model_copy(update={"secret_key": SecretStr("another-secret-" * 4)})
    foreign = Tokens(other, as_user.sessions, as_user.clock)("staff")
    response = client.get("/api/v1/auth/me", headers=foreign)
    assert error_types(response.json()) == ["token_invalid"]
    assert client.get("/api/v1/auth/me", headers=as_user("staff")).status_code == 200


def test_changing_the_password_or_deactivating_revokes_tokens(
    client: TestClient, world: ApiWorld, sessions: sessionmaker[Session]
) -> None:
    first = token_for(client, "staff")
    second = token_for(client, "gz-reviewer")
    with sessions() as session:
        staff = find_user(session=session, username="staff")
        reviewer = find_user(session=session, username="gz-reviewer")
        assert staff is not None and reviewer is not None
        old = fingerprint(staff)
        staff.password_hash = FAST_HASHER.hash("a-new-password-1")
        reviewer.is_active = False
        session.commit()
        assert fingerprint(staff) != old
    for token in (first, second):
        assert me(client, token)["detail"][0]["type"] == "token_revoked"  # type: ignore[index]
    assert token_for(client, "staff", "a-new-password-1")


@pytest.mark.parametrize("header", ["Basic c3RhZmY6eA==", "Bearer", "Bearer   "])
def test_malformed_authorization_header_is_401(
    client: TestClient, world: ApiWorld, header: str
) -> None:
    response = client.get("/api/v1/auth/me", headers={"Authorization": header})
    assert response.status_code == 401
    assert error_types(response.json()) == ["authorization_header_invalid"]


def test_anonymous_caller_of_a_signed_in_route_is_401(client: TestClient) -> None:
    response = client.get("/api/v1/auth/me")
    assert response.status_code == 401
    assert error_types(response.json()) == ["not_authenticated"]


def page_login(
    client: TestClient, username: str, password: str = PASSWORD, next_url: str | None = None
) -> object:
    token = client.get("/api/v1/auth/csrf").json()["csrf_token"]
    form = {"username": username, "password": password, "csrf_token": token}
    if next_url is not None:
        form["next"] = next_url
    return client.post("/login", data=form, follow_redirects=False)


def test_page_login_sets_a_hardened_session_cookie(client: TestClient, world: ApiWorld) -> None:
    response = page_login(client, "staff", next_url="/province/queue?x=1")
    assert response.status_code == 303  # type: ignore[attr-defined]
    assert response.headers["location"] == "/province/queue?x=1"  # type: ignore[attr-defined]
    cookie = response.headers["set-cookie"].lower()  # type: ignore[attr-defined]
    assert cookie.startswith("funeng_session=")
    assert "httponly" in cookie and "samesite=lax" in cookie and "secure" in cookie
    found = client.get("/api/v1/auth/me").json()
    assert (found["username"], found["via"]) == ("staff", "session")


def test_page_login_rotates_the_csrf_token(client: TestClient, world: ApiWorld) -> None:
    before = client.get("/api/v1/auth/csrf").json()["csrf_token"]
    client.post(
        "/login",
        data={"username": "staff", "password": PASSWORD, "csrf_token": before},
        follow_redirects=False,
    )
    after = client.get("/api/v1/auth/csrf").json()["csrf_token"]
    assert after != before


def test_failed_page_login_goes_back_to_the_login_page(client: TestClient, world: ApiWorld) -> None:
    response = page_login(client, "staff", "wrong-password", next_url="/mine")
    assert response.status_code == 303  # type: ignore[attr-defined]
    location = response.headers["location"]  # type: ignore[attr-defined]
    assert location == "/login?error=invalid_credentials&next=%2Fmine"
    assert client.get("/api/v1/auth/me").status_code == 401


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example", "/\\evil.example", "javascript:x"]
)
def test_login_never_redirects_off_site(client: TestClient, world: ApiWorld, target: str) -> None:
    response = page_login(client, "staff", next_url=target)
    assert response.headers["location"] == "/"  # type: ignore[attr-defined]
    assert safe_next("/ok/path?q=1") == "/ok/path?q=1"


def test_session_expires_with_the_clock(
    client: TestClient, world: ApiWorld, clock: Clock, settings: Settings
) -> None:
    page_login(client, "staff")
    clock.now += timedelta(minutes=settings.auth.session_ttl_minutes + 1)
    assert client.get("/api/v1/auth/me").status_code == 401


def test_session_dies_with_the_password(
    client: TestClient, world: ApiWorld, sessions: sessionmaker[Session]
) -> None:
    page_login(client, "staff")
    with sessions() as session:
        user = session.query(User).filter_by(username="staff").one()
        user.password_hash = FAST_HASHER.hash("another-password")
        session.commit()
    assert client.get("/api/v1/auth/me").status_code == 401


def test_logout_clears_the_session(client: TestClient, world: ApiWorld) -> None:
    page_login(client, "staff")
    token = client.get("/api/v1/auth/csrf").json()["csrf_token"]
    response = client.post(
        "/logout", data={"csrf_token": token, "next": "/bye"}, follow_redirects=False
    )
    assert response.status_code == 303 and response.headers["location"] == "/bye"
    assert "funeng_session=null" in response.headers["set-cookie"]
    assert client.get("/api/v1/auth/me").status_code == 401


def test_cookie_is_not_secure_in_development_only(settings: Settings) -> None:
    from api.auth import cookie_secure

    assert cookie_secure(settings) is True  # environment "test"
    dev = settings.model_copy(update={"environment": "development"})
    assert cookie_secure(dev) is False
    forced = dev.model_copy(update={"auth": dev.auth.model_copy(update={"cookie_secure": True})})
    assert cookie_secure(forced) is True


def test_development_login_works_over_plain_http(
    settings: Settings, world: ApiWorld, clock: Clock
) -> None:
    from api.deps import current_time, get_password_hasher

    dev = settings.model_copy(update={"environment": "development"})
    app: FastAPI = create_app(dev)
    app.dependency_overrides[current_time] = lambda: clock.now
    app.dependency_overrides[get_password_hasher] = lambda: FAST_HASHER
    with TestClient(app, base_url="http://127.0.0.1:8000") as client:
        response = page_login(client, "staff")
        assert "secure" not in response.headers["set-cookie"].lower()  # type: ignore[attr-defined]
        assert client.get("/api/v1/auth/me").json()["username"] == "staff"
    assert BASE_URL.startswith("https://")


def bad_token_request(client: TestClient, username: str = "staff") -> object:
    return client.post("/api/v1/auth/token", data={"username": username, "password": "guess"})


def test_repeated_failures_are_refused_for_a_while(
    client: TestClient, world: ApiWorld, clock: Clock
) -> None:
    for _ in range(5):  # the default: 5 failures of one username in 15 minutes
        assert bad_token_request(client).status_code == 401  # type: ignore[attr-defined]
    refused = bad_token_request(client)
    assert refused.status_code == 429  # type: ignore[attr-defined]
    (item,) = refused.json()["detail"]  # type: ignore[attr-defined]
    assert item["type"] == "too_many_login_attempts"
    assert item["msg"] == "登录失败次数过多，请 15 分钟后再试"
    assert item["ctx"] == {"retry_after_seconds": 900}
    # Even the right password waits: the guesser must not learn it by a 200.
    late = client.post("/api/v1/auth/token", data={"username": "STAFF ", "password": PASSWORD})
    assert late.status_code == 429
    assert client.get("/api/v1/auth/csrf").status_code == 200
    # Other users are not held up.
    token_for(client, "gz-reviewer")
    clock.now += timedelta(minutes=10)
    assert "5 分钟" in bad_token_request(client).json()["detail"][0]["msg"]  # type: ignore[attr-defined]
    clock.now += timedelta(minutes=5)  # the first failure leaves the window
    token_for(client, "staff")
    # A success forgets the username's failures.
    for _ in range(4):
        assert bad_token_request(client).status_code == 401  # type: ignore[attr-defined]
    assert bad_token_request(client).status_code == 401  # type: ignore[attr-defined]
    assert bad_token_request(client).status_code == 429  # type: ignore[attr-defined]


def test_one_address_failing_for_many_users_is_refused(client: TestClient, world: ApiWorld) -> None:
    for n in range(20):  # 4x the per-user limit, every one a different (unknown) username
        assert bad_token_request(client, f"user{n}").status_code == 401  # type: ignore[attr-defined]
    refused = bad_token_request(client, "gz-reviewer")
    assert refused.status_code == 429  # type: ignore[attr-defined]


def test_page_login_too_many_failures_says_so(client: TestClient, world: ApiWorld) -> None:
    for _ in range(5):
        page_login(client, "staff", "wrong-password")
    response = page_login(client, "staff")
    location = response.headers["location"]  # type: ignore[attr-defined]
    assert location.startswith("/login?error=too_many_login_attempts")
    assert client.get("/api/v1/auth/me").status_code == 401
    page = client.get(location)
    assert "登录失败次数过多" in page.text
