"""Municipal reviewer routes: the own city's queue with due dates and overdue flags, the file
and its evidence, the Art.13 opinion — and every refusal (other city, wrong state, lost race,
no reasons)."""

from __future__ import annotations

import hashlib

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from registry.storage import FileStore
from tests.api.conftest import Clock, Tokens, error_types
from tests.api.world import ApiWorld, to_municipal_review
from tests.db.factories import at

CITY = "/api/v1/city"


@pytest.fixture
def submitted(world: ApiWorld, sessions: sessionmaker[Session]) -> ApiWorld:
    """Both applications with their cities (A: 广州, B: 深圳)."""
    to_municipal_review(sessions, world, world.application_a)
    to_municipal_review(sessions, world, world.application_b)
    return world


def test_the_queue_holds_the_own_city_only(
    client: TestClient, submitted: ApiWorld, as_user: Tokens
) -> None:
    gz = client.get(f"{CITY}/queue", headers=as_user("gz-reviewer")).json()
    assert [item["id"] for item in gz] == [submitted.application_a]
    assert gz[0]["current_due_at"] == "2025-11-17T23:59:59+08:00" and not gz[0]["overdue"]
    assert sorted(gz[0]["allowed_actions"]) == ["recommend", "reject", "return_for_completion"]
    sz = client.get(f"{CITY}/queue", headers=as_user("sz-reviewer")).json()
    assert [item["id"] for item in sz] == [submitted.application_b]


def test_drafts_never_reach_the_city(client: TestClient, world: ApiWorld, as_user: Tokens) -> None:
    assert client.get(f"{CITY}/applications", headers=as_user("gz-reviewer")).json() == []
    draft = client.get(f"{CITY}/applications/{world.application_a}", headers=as_user("gz-reviewer"))
    assert draft.status_code == 404
    assert error_types(draft.json()) == ["application_not_submitted"]


def test_overdue_flags_follow_the_clock(
    client: TestClient, submitted: ApiWorld, as_user: Tokens, clock: Clock
) -> None:
    clock.now = at(2025, 11, 18, 9, 0)  # the day after the 10th working day
    queue = client.get(f"{CITY}/queue", headers=as_user("gz-reviewer")).json()
    assert queue[0]["overdue"] is True
    only = client.get(
        f"{CITY}/queue", params={"overdue_only": True}, headers=as_user("gz-reviewer")
    ).json()
    assert [item["id"] for item in only] == [submitted.application_a]
    (late,) = client.get(f"{CITY}/overdue", headers=as_user("gz-reviewer")).json()
    assert (late["application_id"], late["article"], late["overdue_days"]) == (
        submitted.application_a,
        "Art.13",
        0,
    )
    clock.now = at(2025, 11, 10)
    assert client.get(f"{CITY}/overdue", headers=as_user("gz-reviewer")).json() == []


def test_the_file_has_resource_applicant_and_evidence(
    client: TestClient, submitted: ApiWorld, as_user: Tokens
) -> None:
    response = client.get(
        f"{CITY}/applications/{submitted.application_a}", headers=as_user("gz-reviewer")
    )
    assert response.status_code == 200
    body = response.json()
    assert body["resource"]["code"] == "AI-001" and len(body["resource"]["cases"]) == 3
    assert body["organisation"]["uscc"]
    assert sorted(e["kind"] for e in body["evidence"]) == ["发明专利", "财务审计报告"]
    assert body["municipal_reviews"] == []
    assert "panel" not in body and "my_score" not in body


def test_another_citys_application_is_refused(
    client: TestClient, submitted: ApiWorld, as_user: Tokens
) -> None:
    response = client.get(
        f"{CITY}/applications/{submitted.application_b}", headers=as_user("gz-reviewer")
    )
    assert response.status_code == 403
    (item,) = response.json()["detail"]
    assert (item["type"], item["ctx"]["article"]) == ("wrong_city", "Art.13")


def test_download_evidence_with_its_checksum(
    client: TestClient, submitted: ApiWorld, as_user: Tokens
) -> None:
    body = client.get(
        f"{CITY}/applications/{submitted.application_a}", headers=as_user("gz-reviewer")
    ).json()
    patent = next(e for e in body["evidence"] if e["kind"] == "发明专利")
    url = f"{CITY}/applications/{submitted.application_a}/evidence/{patent['id']}/file"
    response = client.get(url, headers=as_user("gz-reviewer"))
    assert response.status_code == 200
    assert hashlib.sha256(response.content).hexdigest() == patent["file"]["sha256"]
    assert response.headers["x-checksum-sha256"] == patent["file"]["sha256"]
    assert response.headers["content-disposition"] == "attachment; filename*=UTF-8''patent.pdf"
    assert response.headers["x-content-type-options"] == "nosniff"
    other_city = client.get(url, headers=as_user("sz-reviewer"))
    assert other_city.status_code == 403


def test_evidence_of_another_application_is_not_found(
    client: TestClient, submitted: ApiWorld, as_user: Tokens
) -> None:
    theirs = client.get(
        f"{CITY}/applications/{submitted.application_b}", headers=as_user("sz-reviewer")
    ).json()["evidence"][0]["id"]
    response = client.get(
        f"{CITY}/applications/{submitted.application_a}/evidence/{theirs}/file",
        headers=as_user("gz-reviewer"),
    )
    assert response.status_code == 404 and error_types(response.json()) == ["evidence_not_found"]


def test_a_corrupted_file_is_not_served(
    client: TestClient, submitted: ApiWorld, as_user: Tokens, store: FileStore
) -> None:
    body = client.get(
        f"{CITY}/applications/{submitted.application_b}", headers=as_user("sz-reviewer")
    ).json()
    audit = next(e for e in body["evidence"] if e["kind"] == "财务审计报告")
    digest = audit["file"]["sha256"]
    path = store.root / digest[:2] / digest[2:]
    original = path.read_bytes()
    path.write_bytes(b"tampered")
    try:
        url = f"{CITY}/applications/{submitted.application_b}/evidence/{audit['id']}/file"
        response = client.get(url, headers=as_user("sz-reviewer"))
    finally:
        path.write_bytes(original)
    assert response.status_code == 503
    assert error_types(response.json()) == ["file_unavailable"]


@pytest.mark.parametrize(
    ("decision", "status", "history"),
    [
        ("recommend", "expert_review", ["recommend", "forward_to_province"]),
        ("return", "returned", ["return_for_completion"]),
        ("reject", "rejected", ["reject"]),
    ],
)
def test_the_citys_opinion_moves_the_application(
    client: TestClient,
    submitted: ApiWorld,
    as_user: Tokens,
    decision: str,
    status: str,
    history: list[str],
) -> None:
    response = client.post(
        f"{CITY}/applications/{submitted.application_a}/decision",
        json={"decision": decision, "reasons": "意见与理由", "expected_version": 3},
        headers=as_user("gz-reviewer"),
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["status"] == status
    assert [h["event"] for h in body["history"]][2:] == history
    (review,) = body["municipal_reviews"]
    assert (review["decision"], review["reasons"], review["city"]) == (
        decision,
        "意见与理由",
        "广州市",
    )


def test_opinions_need_reasons(client: TestClient, submitted: ApiWorld, as_user: Tokens) -> None:
    url = f"{CITY}/applications/{submitted.application_a}/decision"
    blank = client.post(
        url, json={"decision": "reject", "reasons": "   "}, headers=as_user("gz-reviewer")
    )
    assert blank.status_code == 422
    assert blank.json()["detail"][0]["type"] == "reasons_required"
    missing = client.post(url, json={"decision": "reject"}, headers=as_user("gz-reviewer"))
    assert missing.status_code == 422 and error_types(missing.json()) == ["missing"]
    unknown = client.post(
        url, json={"decision": "maybe", "reasons": "x"}, headers=as_user("gz-reviewer")
    )
    assert unknown.status_code == 422 and error_types(unknown.json()) == ["enum"]


def test_another_city_may_not_decide(
    client: TestClient, submitted: ApiWorld, as_user: Tokens
) -> None:
    response = client.post(
        f"{CITY}/applications/{submitted.application_a}/decision",
        json={"decision": "recommend", "reasons": "同意"},
        headers=as_user("sz-reviewer"),
    )
    assert response.status_code == 403 and error_types(response.json()) == ["wrong_city"]


def test_a_decided_application_cannot_be_decided_again(
    client: TestClient, submitted: ApiWorld, as_user: Tokens
) -> None:
    url = f"{CITY}/applications/{submitted.application_a}/decision"
    first = client.post(
        url, json={"decision": "reject", "reasons": "不符合"}, headers=as_user("gz-reviewer")
    )
    assert first.status_code == 200
    second = client.post(
        url, json={"decision": "recommend", "reasons": "同意"}, headers=as_user("gz-reviewer")
    )
    assert second.status_code == 409
    assert error_types(second.json()) == ["transition_not_allowed"]


def test_a_stale_version_loses_the_race(
    client: TestClient, submitted: ApiWorld, as_user: Tokens
) -> None:
    response = client.post(
        f"{CITY}/applications/{submitted.application_a}/decision",
        json={"decision": "recommend", "reasons": "同意", "expected_version": 1},
        headers=as_user("gz-reviewer"),
    )
    assert response.status_code == 409
    assert error_types(response.json()) == ["application_changed"]
