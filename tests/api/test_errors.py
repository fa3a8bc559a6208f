"""The one error body: every kind of failure leaves in FastAPI's 422 shape; the registry's,
the search index's and the matcher's errors with the status each should have."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any, cast

import pytest
from fastapi import FastAPI, HTTPException
from fastapi.testclient import TestClient
from pydantic import BaseModel

from api.errors import (
    STATUS_BY_SEARCH_ERROR,
    SearchError,
    ServiceError,
    install_error_handlers,
    search_error,
    search_errors,
)
from api.match_view import search
from api.schemas.match import MatchRequest
from indexing import errors as indexing_errors
from matcher import encoders
from matcher import errors as matcher_errors
from matcher.encoders import EncoderUnavailable
from registry import errors
from registry.findings import Finding, Severity

if TYPE_CHECKING:
    from indexing.live import LiveIndex


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


# The search index's and the matcher's errors: each with the status it should have and its own
# stable code (a refused query 422, an index that cannot serve 503, a defect 500).
SEARCH_ERRORS: list[tuple[SearchError, int, str]] = [
    (indexing_errors.IndexNotReady("索引尚未就绪，请稍候或先构建索引"), 503, "index_not_ready"),
    (indexing_errors.NoSnapshot("索引目录中没有完整的快照"), 503, "no_snapshot"),
    (indexing_errors.SnapshotMismatch("快照的模型不同", code="model_id_mismatch"), 503,
     "model_id_mismatch"),
    (indexing_errors.SnapshotCorrupt("快照缺少文件", code="file_missing"), 503, "file_missing"),
    (indexing_errors.IndexingError("预警降权系数必须在 (0, 1] 之间", code="invalid_factors"), 503,
     "invalid_factors"),
    (indexing_errors.InvalidFilter("未知的行业：C99"), 422, "invalid_filter"),
    (matcher_errors.InvalidInput("k 必须为正整数", code="invalid_k"), 422, "invalid_k"),
    (matcher_errors.InvalidInput("未知的融合方法：x", code="invalid_match_config"), 422,
     "invalid_match_config"),
    (matcher_errors.IndexFormatError("向量索引文件无法读取"), 503, "index_format"),
    (matcher_errors.IndexMismatch("索引的模型与当前模型不同"), 503, "index_mismatch"),
    (EncoderUnavailable("模型目录不存在"), 503, "encoder_unavailable"),
    (matcher_errors.MatcherError("请传入文本列表", code="invalid_input"), 500, "invalid_input"),
]  # fmt: skip


def _search_app() -> FastAPI:
    app = _app()

    @app.get("/search/{n}")
    def failing_search(n: int) -> None:
        raise SEARCH_ERRORS[n][0]

    @app.get("/filter")
    def failing_filter() -> None:
        with search_errors(loc=("body", "filters", "industry")):
            raise indexing_errors.InvalidFilter("未知的行业：C99")

    return app


@pytest.mark.parametrize(
    ("n", "status", "code"), [(n, s, c) for n, (_, s, c) in enumerate(SEARCH_ERRORS)]
)
def test_search_errors_leave_with_their_status_in_the_one_shape(
    n: int, status: int, code: str
) -> None:
    client = TestClient(_search_app(), raise_server_exceptions=False)
    response = client.get(f"/search/{n}")
    assert response.status_code == status
    assert response.json() == {
        "detail": [{"type": code, "msg": SEARCH_ERRORS[n][0].message, "loc": []}]
    }


def test_every_search_error_class_has_its_own_status() -> None:
    """A new error class of the index or the matcher needs a decision here, not a fallback."""
    defined = {
        value
        for module, base in (
            (indexing_errors, indexing_errors.IndexingError),
            (matcher_errors, matcher_errors.MatcherError),
            (encoders, matcher_errors.MatcherError),
        )
        for value in vars(module).values()
        if isinstance(value, type) and issubclass(value, base)
    }
    assert defined == set(STATUS_BY_SEARCH_ERROR)
    for cls, status in STATUS_BY_SEARCH_ERROR.items():  # no base shadows a subclass
        assert search_error(cls("m")).status_code == status, cls


def test_search_errors_keep_the_location_and_the_cause() -> None:
    original = indexing_errors.InvalidFilter("未知的行业：C99")
    with pytest.raises(ServiceError) as raised, search_errors(loc=("body", "filters", "industry")):
        raise original
    error = raised.value
    assert (error.status_code, error.code, error.loc) == (
        422, "invalid_filter", ("body", "filters", "industry")
    )  # fmt: skip
    assert error.__cause__ is original
    body = TestClient(_search_app()).get("/filter").json()
    assert body["detail"][0]["loc"] == ["body", "filters", "industry"]


def test_other_errors_pass_through_search_errors() -> None:
    with pytest.raises(ValueError, match="not ours"), search_errors():
        raise ValueError("not ours")


def test_an_index_that_cannot_serve_is_logged_a_loading_one_is_not(
    caplog: pytest.LogCaptureFixture,
) -> None:
    search_error(indexing_errors.IndexNotReady("索引尚未就绪"))
    assert not caplog.records
    search_error(indexing_errors.SnapshotCorrupt("快照缺少文件", code="file_missing"))
    assert [r.levelname for r in caplog.records] == ["ERROR"]


class _FailingIndex:
    """A live index whose every search fails with `error`."""

    def __init__(self, error: Exception) -> None:
        self.error = error

    async def match_async(self, need: str, **options: Any) -> Any:
        raise self.error

    async def match_bundle_async(self, need: str, **options: Any) -> Any:
        raise self.error


@pytest.mark.parametrize("bundle", [False, True])
@pytest.mark.parametrize(
    ("n", "status", "code"), [(0, 503, "index_not_ready"), (6, 422, "invalid_k")]
)
def test_the_need_search_answers_index_errors_as_the_api(
    bundle: bool, n: int, status: int, code: str
) -> None:
    """`api.match_view.search` (the API's `/match` and the search page) raises the mapped
    error, which the page shows as the API answers it."""
    live = cast("LiveIndex", _FailingIndex(SEARCH_ERRORS[n][0]))
    with pytest.raises(ServiceError) as raised:
        asyncio.run(search(live, MatchRequest(need="机器视觉检测", bundle=bundle)))
    assert (raised.value.status_code, raised.value.code) == (status, code)
