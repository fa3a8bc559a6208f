"""The small API world after certification: provider A's AI-001 (广州) and provider B's AI-002
(深圳) certified into the library on 2025-11-21, and a caller that asserts status and the one
error body (type and the article in ctx) on every answer."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from registry.models.complaints import ComplaintSubject
from registry.models.monitoring import WarningReason
from registry.services import complaints, entry_changes, warnings, withdrawals
from registry.services.entry_changes import EntryChangeInput
from tests.api.conftest import Clock, Tokens, error_types
from tests.api.world import ApiWorld, to_library
from tests.db.factories import at

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


def matrix_objects(sessions: sessionmaker[Session], w: ApiWorld, code: str) -> tuple[int, int, int]:
    """For the authorisation matrix: an open warning on provider A's entry `code`, a withdrawal
    request of it waiting for 广州 to forward, and a complaint assigned to 广州's reviewer;
    their ids."""
    now = at(2025, 11, 24, 10)
    with sessions() as s:
        warning = warnings.warn_entry(
            session=s,
            actor=w.base.staff,
            now=now,
            resource_code=code,
            reasons=[WarningReason.POOR_FEEDBACK],
            detail="矩阵",
        )
        request = withdrawals.request_withdrawal(
            session=s, actor=w.provider_a, now=now, resource_code=code, reason="矩阵"
        )
        complaint, _ = complaints.file_complaint(
            session=s,
            now=now,
            data=complaints.ComplaintInput(ComplaintSubject.ENTRY, "t", "c", resource_code=code),
        )
        complaints.assign_complaint(
            session=s,
            actor=w.base.staff,
            now=now,
            complaint_id=complaint.id,
            assignee_user_id=w.base.reviewer.user_id or 0,
        )
        s.commit()
        return warning.id, request.id, complaint.id


def matrix_change(sessions: sessionmaker[Session], w: ApiWorld, code: str) -> int:
    """For the authorisation matrix: provider A's pending change of entry `code`; its id."""
    with sessions() as s:
        change = entry_changes.propose_change(
            session=s,
            actor=w.provider_a,
            now=at(2025, 11, 24, 11),
            resource_code=code,
            data=EntryChangeInput(explanation="矩阵", summary="矩阵变更后的技术简介"),
        )
        s.commit()
        return change.id
