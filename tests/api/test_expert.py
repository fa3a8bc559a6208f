"""Expert routes: assigned applications only (Art.22), the expert's own scores (Art.14),
evidence files, and declared conflicts of interest that then block assignment."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from registry.enums import PanelDecision
from tests.api.conftest import Tokens, error_types
from tests.api.world import ApiWorld, report, to_expert_review

EXPERT = "/api/v1/expert"
SCORE = {
    "advancement": 90,
    "maturity": 80,
    "application_effect": 85,
    "promotion_value": 75,
    "comment": "技术先进",
}
ON_PANEL = "expert-technical"


@pytest.fixture
def assigned(world: ApiWorld, sessions: sessionmaker[Session]) -> ApiWorld:
    """A's application in expert review with its panel of three; `expert-free` is on none."""
    to_expert_review(sessions, world)
    return world


def test_an_expert_sees_only_assigned_applications(
    client: TestClient, assigned: ApiWorld, as_user: Tokens
) -> None:
    mine = client.get(f"{EXPERT}/applications", headers=as_user(ON_PANEL)).json()
    assert [(a["id"], a["status"]) for a in mine] == [(assigned.application_a, "expert_review")]
    assert mine[0]["current_due_at"] == "2025-11-13T23:59:59+08:00"
    assert client.get(f"{EXPERT}/applications", headers=as_user("expert-free")).json() == []


def test_an_unassigned_expert_is_refused(
    client: TestClient, assigned: ApiWorld, as_user: Tokens
) -> None:
    url = f"{EXPERT}/applications/{assigned.application_a}"
    response = client.get(url, headers=as_user("expert-free"))
    assert response.status_code == 403
    (item,) = response.json()["detail"]
    assert (item["type"], item["ctx"]["article"]) == ("expert_not_assigned", "Art.22")
    score = client.put(f"{url}/score", json=SCORE, headers=as_user("expert-free"))
    assert score.status_code == 403


def test_the_file_shows_the_own_score_only(
    client: TestClient, assigned: ApiWorld, as_user: Tokens
) -> None:
    url = f"{EXPERT}/applications/{assigned.application_a}"
    before = client.get(url, headers=as_user(ON_PANEL)).json()
    assert before["my_score"] is None and before["panel_closed"] is False
    assert len(before["evidence"]) == 2 and "panel" not in before
    client.put(f"{url}/score", json=SCORE, headers=as_user("expert-financial"))
    mine = client.get(url, headers=as_user(ON_PANEL)).json()
    assert mine["my_score"] is None  # the financial expert's score stays theirs
    theirs = client.get(url, headers=as_user("expert-financial")).json()
    assert theirs["my_score"]["total"] == 82.5


def test_score_and_revise_until_the_report(
    client: TestClient, assigned: ApiWorld, as_user: Tokens, sessions: sessionmaker[Session]
) -> None:
    url = f"{EXPERT}/applications/{assigned.application_a}/score"
    first = client.put(url, json=SCORE, headers=as_user(ON_PANEL))
    assert first.status_code == 200 and first.json()["total"] == 82.5
    revised = client.put(url, json=SCORE | {"maturity": 100}, headers=as_user(ON_PANEL))
    assert revised.json()["maturity"] == 100 and revised.json()["total"] == 87.5
    for expert in ("expert-industry_management", "expert-financial"):
        assert client.put(url, json=SCORE, headers=as_user(expert)).status_code == 200
    with sessions() as session:
        report(session, assigned, assigned.application_a, PanelDecision.PROPOSE)
    closed = client.put(url, json=SCORE, headers=as_user(ON_PANEL))
    assert closed.status_code == 409
    assert error_types(closed.json()) == ["transition_not_allowed"]  # proposed now


@pytest.mark.parametrize("change", [{"advancement": 101}, {"maturity": -1}, {"comment": 3}])
def test_scores_are_validated(
    client: TestClient, assigned: ApiWorld, as_user: Tokens, change: dict[str, object]
) -> None:
    response = client.put(
        f"{EXPERT}/applications/{assigned.application_a}/score",
        json=SCORE | change,
        headers=as_user(ON_PANEL),
    )
    assert response.status_code == 422
    assert error_types(response.json())


def test_evidence_of_an_assigned_application(
    client: TestClient, assigned: ApiWorld, as_user: Tokens
) -> None:
    url = f"{EXPERT}/applications/{assigned.application_a}"
    evidence = client.get(url, headers=as_user(ON_PANEL)).json()["evidence"]
    audit = next(e for e in evidence if e["kind"] == "财务审计报告")
    file_url = f"{url}/evidence/{audit['id']}/file"
    assert client.get(file_url, headers=as_user("expert-financial")).status_code == 200
    assert client.get(file_url, headers=as_user("expert-free")).status_code == 403


def test_a_declared_conflict_blocks_assignment(
    client: TestClient, world: ApiWorld, as_user: Tokens, sessions: sessionmaker[Session]
) -> None:
    declared = client.post(
        f"{EXPERT}/conflicts",
        json={"organisation_id": world.base.organisation_id, "reason": "曾为该单位顾问"},
        headers=as_user("expert-free"),
    )
    assert declared.status_code == 201, declared.text
    to_expert_review(sessions, world, panel=False)
    free = as_user("expert-free")
    expert_id = client.get("/api/v1/auth/me", headers=free).json()["expert_id"]
    response = client.post(
        f"/api/v1/province/applications/{world.application_a}/panel/experts",
        json={"expert_ids": [expert_id]},
        headers=as_user("staff"),
    )
    assert response.status_code == 422
    (item,) = response.json()["detail"]
    assert item["type"] == "art22.conflict_of_interest" and "曾为该单位顾问" in item["msg"]
    assert item["loc"] == ["expert_ids", 0]


def test_conflicts_need_a_known_organisation(
    client: TestClient, world: ApiWorld, as_user: Tokens
) -> None:
    response = client.post(
        f"{EXPERT}/conflicts",
        json={"organisation_id": 999999, "reason": "x"},
        headers=as_user("expert-free"),
    )
    assert response.status_code == 404
    assert error_types(response.json()) == ["organisation_not_found"]


def test_a_conflict_is_declared_once(client: TestClient, world: ApiWorld, as_user: Tokens) -> None:
    body = {"organisation_id": world.organisation_b, "reason": "亲属任职"}
    assert (
        client.post(f"{EXPERT}/conflicts", json=body, headers=as_user(ON_PANEL)).status_code == 201
    )
    again = client.post(f"{EXPERT}/conflicts", json=body, headers=as_user(ON_PANEL))
    assert again.status_code == 409
    assert error_types(again.json()) == ["integrity_conflict"]
