"""The app itself: health and readiness, request ids in responses and logs, the permission
table covering every route, templates and static files, unknown paths and methods."""

from __future__ import annotations

import io
import json
import logging
import os

import pytest
from fastapi import APIRouter, FastAPI
from fastapi.testclient import TestClient

from api import web
from api.app import api_routes, create_app
from api.observability import JsonFormatter, RequestIdFilter, accept_request_id
from api.readiness import Check, set_index_probe
from api.settings import Settings
from api.web import PageModule
from tests.api.conftest import BASE_URL, error_types


def test_health_touches_nothing(client: TestClient) -> None:
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_ready_reports_database_and_index_not_configured(client: TestClient) -> None:
    response = client.get("/ready")
    assert response.status_code == 200
    checks = response.json()["checks"]
    assert checks["database"]["status"] == "ok"
    assert checks["index"]["status"] == "not_configured"


def test_ready_is_503_with_the_error_body_while_the_index_loads(
    app: FastAPI, client: TestClient
) -> None:
    set_index_probe(app, lambda: Check("loading", "正在加载快照"))
    response = client.get("/ready")
    assert response.status_code == 503
    assert error_types(response.json()) == ["not_ready"]
    ctx = response.json()["detail"][0]["ctx"]["checks"]
    assert ctx["index"] == {"status": "loading", "detail": "正在加载快照"}
    set_index_probe(app, lambda: Check("ok"))
    assert client.get("/ready").status_code == 200


def test_ready_survives_a_broken_probe(app: FastAPI, client: TestClient) -> None:
    def broken() -> Check:
        raise RuntimeError("index exploded")

    set_index_probe(app, broken)
    response = client.get("/ready")
    assert response.status_code == 503
    assert response.json()["detail"][0]["ctx"]["checks"]["index"]["status"] == "error"


def test_ready_is_503_when_the_database_is_unreachable(tmp_path: object) -> None:
    settings = Settings(
        environment="test",
        database_url="postgresql+psycopg://nobody@127.0.0.1:1/none",
        secret_key="x" * 40,
    )
    with TestClient(create_app(settings), base_url=BASE_URL) as client:
        response = client.get("/ready")
    assert response.status_code == 503
    checks = response.json()["detail"][0]["ctx"]["checks"]
    assert checks["database"]["status"] == "error"


def test_request_id_is_echoed_or_generated(client: TestClient) -> None:
    given = client.get("/health", headers={"X-Request-ID": "trace-42.a"})
    assert given.headers["x-request-id"] == "trace-42.a"
    made = client.get("/health")
    assert len(made.headers["x-request-id"]) == 32
    hostile = client.get("/health", headers={"X-Request-ID": "bad id\nInjected: yes"})
    assert hostile.headers["x-request-id"] != "bad id\nInjected: yes"
    assert accept_request_id("x" * 129) != "x" * 129


def test_access_log_record_carries_the_request_id(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="funeng.api.access"):
        client.get("/api/v1/batches", headers={"X-Request-ID": "req-7"})
    (record,) = [r for r in caplog.records if r.name == "funeng.api.access"]
    assert record.__dict__["request_id"] == "req-7"
    assert record.__dict__["status"] == 200
    assert record.__dict__["path"] == "/api/v1/batches"


def test_records_written_during_a_request_carry_its_id(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    from api.permissions import PUBLIC

    pages = APIRouter()

    @pages.get("/logs", name="pages.logs")
    def logs() -> dict[str, str]:  # a sync route: runs in a worker thread
        logging.getLogger("funeng.api.pages").warning("inside the request")
        return {}

    monkeypatch.setattr(
        "api.app.page_modules", lambda: [PageModule("logs", pages, {"pages.logs": PUBLIC})]
    )
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("funeng")
    logger.addHandler(handler)
    previous = logger.level
    logger.setLevel(logging.INFO)
    try:
        with TestClient(create_app(settings), base_url=BASE_URL) as client:
            client.get("/logs", headers={"X-Request-ID": "req-99"})
            client.get("/nowhere", headers={"X-Request-ID": "req-100"})
    finally:
        logger.removeHandler(handler)
        logger.setLevel(previous)
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    inside = [line for line in lines if line["logger"] == "funeng.api.pages"]
    assert [(line["msg"], line["request_id"]) for line in inside] == [
        ("inside the request", "req-99")
    ]
    access = [line for line in lines if line["logger"] == "funeng.api.access"]
    assert [(line["request_id"], line["status"]) for line in access] == [
        ("req-99", 200),
        ("req-100", 404),
    ]


def test_every_route_has_a_permission_entry(app: FastAPI) -> None:
    names = {str(route.name) for route in api_routes(app)}
    assert len(names) == len(api_routes(app)) > 50
    assert names == set(app.state.permissions)


def test_a_route_without_a_permission_entry_refuses_to_start(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    forgotten = APIRouter()

    @forgotten.get("/forgotten", name="pages.forgotten")
    def page() -> dict[str, str]:
        return {}

    monkeypatch.setattr("api.app.page_modules", lambda: [PageModule("forgotten", forgotten, {})])
    with pytest.raises(RuntimeError, match=r"pages\.forgotten"):
        create_app(settings)


def test_page_modules_bring_their_permissions(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    from api.permissions import PUBLIC

    pages = APIRouter()

    @pages.get("/hello", name="pages.hello")
    def hello() -> dict[str, str]:
        return {"hello": "世界"}

    monkeypatch.setattr(
        "api.app.page_modules", lambda: [PageModule("hello", pages, {"pages.hello": PUBLIC})]
    )
    with TestClient(create_app(settings), base_url=BASE_URL) as client:
        assert client.get("/hello").json() == {"hello": "世界"}


def test_templates_offer_csrf_helpers(app: FastAPI) -> None:
    env = app.state.templates.env
    assert {"csrf_token", "csrf_input"} <= set(env.globals)
    assert web.TEMPLATES_DIR.name == "templates" and web.STATIC_DIR.name == "static"


def test_unknown_paths_methods_and_static_files_use_the_error_body(client: TestClient) -> None:
    assert error_types(client.get("/nowhere").json()) == ["not_found"]
    assert error_types(client.get("/static/none.css").json()) == ["not_found"]
    response = client.delete("/health")
    assert response.status_code == 405
    assert error_types(response.json()) == ["method_not_allowed"]


def test_oversized_json_body_is_refused_with_the_error_body(client: TestClient) -> None:
    response = client.post(
        "/api/v1/province/batches",
        content=b"{" + b" " * (1024 * 1024 + 10) + b"}",
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 413
    assert error_types(response.json()) == ["request_too_large"]


def test_streamed_oversized_body_is_refused_with_the_error_body(client: TestClient) -> None:
    def chunks() -> object:
        for _ in range(40):
            yield b" " * 65536

    response = client.post(
        "/api/v1/auth/token",
        content=chunks(),  # type: ignore[arg-type]
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 413
    assert error_types(response.json()) == ["request_too_large"]


def test_security_headers_on_every_response(client: TestClient) -> None:
    for response in (client.get("/health"), client.get("/nowhere"), client.get("/docs")):
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["x-frame-options"] == "DENY"
        assert response.headers["referrer-policy"] == "same-origin"


def test_structured_logging_is_configured_once(capsys: pytest.CaptureFixture[str]) -> None:
    from api.observability import configure_logging, request_id_var

    loggers = [logging.getLogger(name) for name in ("funeng", "uvicorn.error")]
    saved = [(lg.handlers[:], lg.level, lg.propagate) for lg in loggers]
    try:
        configure_logging(level="info")
        configure_logging(level="info")
        assert [len(lg.handlers) for lg in loggers] == [1, 1] and not loggers[0].propagate
        token = request_id_var.set("req-5")
        logging.getLogger("funeng.registry.x").info("hello %s", "世界", extra={"n": 1})
        request_id_var.reset(token)
    finally:
        for lg, (handlers, level, propagate) in zip(loggers, saved, strict=True):
            lg.handlers, lg.level, lg.propagate = handlers, level, propagate
    (line,) = capsys.readouterr().err.strip().splitlines()
    record = json.loads(line)
    assert (record["msg"], record["request_id"], record["n"]) == ("hello 世界", "req-5", 1)
    assert record["logger"] == "funeng.registry.x" and record["level"] == "INFO"


def test_funeng_serve_runs_one_uvicorn_worker(
    monkeypatch: pytest.MonkeyPatch, settings: Settings
) -> None:
    import uvicorn
    from typer.testing import CliRunner

    from api.cli import app as cli

    seen: dict[str, object] = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: seen.update(app=app, **kw))
    monkeypatch.setattr("api.observability.configure_logging", lambda **kw: seen.update(log=kw))
    monkeypatch.setenv("FUNENG_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("FUNENG_SERVER__LOG_JSON", "false")
    monkeypatch.delenv("OMP_NUM_THREADS", raising=False)
    result = CliRunner().invoke(cli, ["serve", "--host", "0.0.0.0", "--port", "9100"])
    assert result.exit_code == 0, result.output
    assert isinstance(seen["app"], FastAPI)
    assert (seen["host"], seen["port"], seen["workers"]) == ("0.0.0.0", 9100, 1)
    assert seen["access_log"] is False and seen["log_config"] is None
    assert seen["log"] == {"level": "INFO", "json_lines": False}
    assert os.environ["OMP_NUM_THREADS"] == "1"


def test_dense_storage_setting_reaches_the_index(monkeypatch: pytest.MonkeyPatch) -> None:
    from pydantic import ValidationError

    from api.index_runtime import index_options

    monkeypatch.delenv("FUNENG_INDEX__DENSE_STORAGE", raising=False)
    assert index_options(Settings()).dense_storage == "float16"  # the deployment's default
    monkeypatch.setenv("FUNENG_INDEX__DENSE_STORAGE", "float32")
    assert index_options(Settings()).dense_storage == "float32"
    monkeypatch.setenv("FUNENG_INDEX__DENSE_STORAGE", "int8")
    with pytest.raises(ValidationError):
        Settings()
