"""The small API world after certification: provider A's AI-001 (广州) and provider B's AI-002
(深圳) certified into the library on 2025-11-21, and a caller that asserts status and the one
error body (type and the article in ctx) on every answer."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from tests.api.conftest import Clock, Tokens, error_types
from tests.api.world import ApiWorld, to_library

V1 = "/api/v1"
CODE_A, CODE_B = "AI-001", "AI-002"
REPORT = {
    "year": 2025,
    "promotion": "参加三场供需对接会，新增签约客户 6 家",
    "application_data": "全年检测工件 1200 万件，平均检出率 99.4%",
    "technical_updates": "发布 3.0 版本，新增小样本缺陷建模",
    "enterprises_served": 18,
    "feedback": "客户满意度 4.6/5",
}
WARNING = {"reasons": ["poor_feedback"], "detail": "2025 年度多家服务企业反映交付延误"}


def certified(sessions: sessionmaker[Session], world: ApiWorld) -> None:
    """AI-001 (provider A, 广州) and AI-002 (provider B, 深圳) in the library."""
    to_library(sessions, world)
    to_library(sessions, world, world.application_b)


@dataclass
class Api:
    """Calls as a named user (None: anonymous, no cookie) asserting the answer's status."""

    client: TestClient
    tokens: Tokens
    clock: Clock

    def call(
        self, method: str, path: str, user: str | None, status: int = 200, **kwargs: Any
    ) -> Any:
        """The JSON body of the answer, which must have `status`."""
        headers = self.tokens(user) if user else {}
        response = self.client.request(method, f"{V1}{path}", headers=headers, **kwargs)
        assert response.status_code == status, (method, path, response.text)
        return response.json()

    def refused(
        self,
        method: str,
        path: str,
        user: str | None,
        status: int,
        code: str,
        article: str | None = None,
        **kwargs: Any,
    ) -> dict[str, Any]:
        """Assert a refusal with the one error body, its `type` and (if given) the article."""
        body = self.call(method, path, user, status, **kwargs)
        assert code in error_types(body), body
        item = next(i for i in body["detail"] if i["type"] == code)
        if article is not None:
            assert item["ctx"]["article"] == article, item
            assert item["ctx"]["article_zh"].startswith("第"), item
        return dict(item)
