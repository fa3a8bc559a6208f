"""CSRF: every HTML-form write and every write riding on the session cookie must carry the
session's token (synchronizer token); bearer-token API calls need none."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.api.conftest import Tokens, error_types
from tests.api.world import ApiWorld
from tests.db.factories import PASSWORD

BATCH = {
    "code": "2026Q2",
    "title": "2026年第二季度",
    "opens_on": "2026-04-01",
    "deadline_on": "2026-05-29",
}


def sign_in(client: TestClient, username: str) -> str:
    """Sign in through the login form; returns the new session's CSRF token."""
    token = client.get("/api/v1/auth/csrf").json()["csrf_token"]
    response = client.post(
        "/login",
        data={"username": username, "password": PASSWORD, "csrf_token": token},
        follow_redirects=False,
    )
    assert response.status_code == 303
    return str(client.get("/api/v1/auth/csrf").json()["csrf_token"])


def test_login_form_without_the_token_is_refused(client: TestClient, world: ApiWorld) -> None:
    client.get("/api/v1/auth/csrf")  # the visitor has a session, but the form lacks the token
    response = client.post(
        "/login", data={"username": "staff", "password": PASSWORD}, follow_redirects=False
    )
    assert response.status_code == 403
    assert error_types(response.json()) == ["csrf_failed"]
    assert client.get("/api/v1/auth/me").status_code == 401


def test_login_form_without_any_session_is_refused(client: TestClient, world: ApiWorld) -> None:
    response = client.post(
        "/login",
        data={"username": "staff", "password": PASSWORD, "csrf_token": "guessed"},
        follow_redirects=False,
    )
    assert response.status_code == 403
    assert error_types(response.json()) == ["csrf_failed"]


def test_cookie_write_without_the_header_is_refused(client: TestClient, world: ApiWorld) -> None:
    sign_in(client, "staff")
    response = client.post("/api/v1/province/batches", json=BATCH)
    assert response.status_code == 403
    assert error_types(response.json()) == ["csrf_failed"]


def test_cookie_write_with_a_wrong_token_is_refused(client: TestClient, world: ApiWorld) -> None:
    sign_in(client, "staff")
    response = client.post(
        "/api/v1/province/batches", json=BATCH, headers={"X-CSRF-Token": "not-the-token"}
    )
    assert response.status_code == 403


def test_cookie_write_with_the_header_passes(client: TestClient, world: ApiWorld) -> None:
    token = sign_in(client, "staff")
    response = client.post("/api/v1/province/batches", json=BATCH, headers={"X-CSRF-Token": token})
    assert response.status_code == 201, response.text


def test_another_sessions_token_does_not_pass(client: TestClient, world: ApiWorld) -> None:
    sign_in(client, "staff")
    with TestClient(client.app, base_url=str(client.base_url)) as other:
        foreign = sign_in(other, "staff")
    response = client.post(
        "/api/v1/province/batches", json=BATCH, headers={"X-CSRF-Token": foreign}
    )
    assert response.status_code == 403


def test_logout_form_needs_the_token(client: TestClient, world: ApiWorld) -> None:
    sign_in(client, "staff")
    response = client.post("/logout", data={}, follow_redirects=False)
    assert response.status_code == 403
    assert client.get("/api/v1/auth/me").status_code == 200


def test_bearer_calls_need_no_token_even_with_a_cookie(
    client: TestClient, world: ApiWorld, as_user: Tokens
) -> None:
    sign_in(client, "gz-reviewer")  # a cookie is present, but the bearer header decides
    response = client.post("/api/v1/province/batches", json=BATCH, headers=as_user("staff"))
    assert response.status_code == 201, response.text


def test_token_endpoint_is_a_form_post_without_csrf(client: TestClient, world: ApiWorld) -> None:
    response = client.post("/api/v1/auth/token", data={"username": "staff", "password": PASSWORD})
    assert response.status_code == 200


def test_multipart_form_carries_the_token_as_a_field(client: TestClient, world: ApiWorld) -> None:
    token = sign_in(client, "provider-1")
    form = {
        "kind": "检验检测报告",
        "title": "检测报告",
        "issued_on": "2025-06-01",
        "resource_id": str(world.base.resource_id),
    }
    files = {"file": ("report.pdf", b"%PDF-1.4 report", "application/pdf")}
    refused = client.post("/api/v1/provider/evidence", data=form, files=files)
    assert refused.status_code == 403
    assert error_types(refused.json()) == ["csrf_failed"]
    accepted = client.post(
        "/api/v1/provider/evidence", data={**form, "csrf_token": token}, files=files
    )
    assert accepted.status_code == 201, accepted.text
