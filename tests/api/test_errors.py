"""The one error body: every kind of failure leaves in FastAPI's 422 shape."""

from __future__ import annotations

import pytest
from fastapi import FastAPI, HTTPException
from fastapi.testclient import TestClient
from pydantic import BaseModel

from api.errors import ServiceError, install_error_handlers
from registry import errors
from registry.findings import Finding, Severity


class Payload(BaseModel):
    count: int


def _app() -> FastAPI:
    app = FastAPI()
    install_error_handlers(app)

    @app.get("/rule")
    def rule() -> None:
        raise errors.RuleViolation(
            "申报材料不符合要求",
            findings=[
                Finding("art9.cases_too_few", "Art.9(2)", "典型案例不足 3 个", loc=("cases",)),
                Finding("art7.waiver", "Art.7(1)", "已放宽年限", Severity.INFO),
                Finding("art11.late", "Art.11", "逾期提交"),
            ],
        )

    @app.get("/conflict")
    def conflict() -> None:
        raise errors.Conflict("申报已被他人处理", code="application.version_conflict")

    @app.get("/forbidden")
    def forbidden() -> None:
        raise errors.PermissionDenied("只能审核本市的申报", code="scope.city", article="Art.13")

    @app.get("/auth")
    def auth() -> None:
        raise ServiceError(401, "not_authenticated", "请先登录")

    @app.get("/http")
    def http() -> None:
        raise HTTPException(status_code=404, detail="资源不存在")

    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("secret internals")

    @app.post("/validate")
    def validate(payload: Payload) -> Payload:
        return payload

    return app


@pytest.fixture()
def client() -> TestClient:
    return TestClient(_app(), raise_server_exceptions=False)


def test_rule_violation_lists_every_blocking_finding_with_article(client: TestClient) -> None:
    response = client.get("/rule")
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert [item["type"] for item in detail] == ["art9.cases_too_few", "art11.late"]
    assert detail[0]["loc"] == ["cases"]
    assert detail[0]["ctx"] == {"article": "Art.9(2)", "article_zh": "第九条第（二）项"}


@pytest.mark.parametrize(
    ("path", "status", "code"),
    [
        ("/conflict", 409, "application.version_conflict"),
        ("/forbidden", 403, "scope.city"),
        ("/auth", 401, "not_authenticated"),
        ("/http", 404, "not_found"),
        ("/nowhere", 404, "not_found"),
        ("/boom", 500, "internal_error"),
    ],
)
def test_every_error_has_the_one_shape(
    client: TestClient, path: str, status: int, code: str
) -> None:
    response = client.get(path)
    assert response.status_code == status
    body = response.json()
    assert list(body) == ["detail"]
    (item,) = body["detail"]
    assert item["type"] == code
    assert isinstance(item["msg"], str) and item["msg"]
    assert "secret internals" not in response.text


def test_article_context_on_scoped_error(client: TestClient) -> None:
    item = client.get("/forbidden").json()["detail"][0]
    assert item["ctx"]["article_zh"] == "第十三条"


def test_request_validation_uses_the_same_shape(client: TestClient) -> None:
    response = client.post("/validate", json={"count": "many"})
    assert response.status_code == 422
    (item,) = response.json()["detail"]
    assert item["type"] == "int_parsing"
    assert item["loc"] == ["body", "count"]
    assert "count" in item["msg"]


def test_unauthenticated_sets_bearer_challenge(client: TestClient) -> None:
    assert client.get("/auth").headers["www-authenticate"] == "Bearer"
