"""Provider routes, part 2: starting, submitting (refused with every finding at once, nothing
changed), status with deadlines, answering a return for completion, notifications."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from registry.enums import MunicipalDecision
from registry.services import municipal, submissions
from tests.api.conftest import Tokens, error_types
from tests.api.world import SUBMITTED_AT, ApiWorld, new_resource, to_municipal_review
from tests.db.factories import at, row_counts

APPS = "/api/v1/provider/applications"


def test_list_shows_own_applications_with_their_state(
    client: TestClient, world: ApiWorld, as_user: Tokens
) -> None:
    items = client.get(APPS, headers=as_user("provider-1")).json()
    assert [(i["id"], i["status"], i["allowed_actions"]) for i in items] == [
        (world.application_a, "draft", ["submit"])
    ]
    drafts = client.get(APPS, params={"status": "certified"}, headers=as_user("provider-1"))
    assert drafts.json() == []


def test_start_an_application(
    client: TestClient, world: ApiWorld, as_user: Tokens, sessions: sessionmaker[Session]
) -> None:
    resource_id = new_resource(sessions, world, "AI-201", evidence=False)
    body = {"resource_id": resource_id, "batch_code": "2025Q4"}
    created = client.post(APPS, json=body, headers=as_user("provider-1"))
    assert created.status_code == 201, created.text
    assert created.json()["status"] == "draft" and created.json()["route"] == "municipal"
    again = client.post(APPS, json=body, headers=as_user("provider-1"))
    assert again.status_code == 409 and error_types(again.json()) == ["application_exists"]


def test_start_refusals(client: TestClient, world: ApiWorld, as_user: Tokens) -> None:
    unknown = client.post(
        APPS,
        json={"resource_id": world.base.resource_id, "batch_code": "2030Q1"},
        headers=as_user("provider-1"),
    )
    assert unknown.status_code == 404
    assert unknown.json()["detail"][0]["type"] == "batch_not_found"
    assert unknown.json()["detail"][0]["ctx"]["article"] == "Art.10"
    foreign = client.post(
        APPS,
        json={"resource_id": world.resource_b, "batch_code": "2025Q4"},
        headers=as_user("provider-1"),
    )
    assert foreign.status_code == 403


def test_read_an_application(client: TestClient, world: ApiWorld, as_user: Tokens) -> None:
    own = client.get(f"{APPS}/{world.application_a}", headers=as_user("provider-1"))
    assert own.status_code == 200
    assert own.json()["history"] == [] and own.json()["findings"] == []
    other = client.get(f"{APPS}/{world.application_b}", headers=as_user("provider-1"))
    assert other.status_code == 403 and error_types(other.json()) == ["not_own_organisation"]
    missing = client.get(f"{APPS}/999999", headers=as_user("provider-1"))
    assert missing.status_code == 404


def test_submit_sends_the_application_to_the_city(
    client: TestClient, world: ApiWorld, as_user: Tokens
) -> None:
    response = client.post(
        f"{APPS}/{world.application_a}/submit",
        json={"commitment_signed": True, "expected_version": 1},
        headers=as_user("provider-1"),
    )
    assert response.status_code == 200, response.text
    application = response.json()["application"]
    assert application["status"] == "municipal_review"
    assert application["municipal_due_at"] == "2025-11-17T23:59:59+08:00"
    assert application["current_due_at"] == application["municipal_due_at"]
    assert not application["overdue"]
    assert [h["event"] for h in application["history"]] == ["submit", "forward_to_city"]
    assert [f["severity"] for f in response.json()["findings"]] == [
        f["severity"] for f in application["findings"]
    ]


def test_a_refused_submission_lists_every_finding_and_changes_nothing(
    client: TestClient, world: ApiWorld, as_user: Tokens, sessions: sessionmaker[Session]
) -> None:
    resource_id = new_resource(
        sessions, world, "AI-202", cases=2, evidence=False
    )  # too few cases, no evidence
    with sessions() as session:
        app_id = submissions.start_application(
            session=session,
            actor=world.provider_a,
            now=at(2025, 10, 22),
            resource_id=resource_id,
            batch_code="2025Q4",
        ).id
        session.commit()
        before = row_counts(session)
    response = client.post(
        f"{APPS}/{app_id}/submit", json={"commitment_signed": False}, headers=as_user("provider-1")
    )
    assert response.status_code == 422
    detail = response.json()["detail"]
    codes = {item["type"] for item in detail}
    assert {"art9.cases_too_few", "art9.commitment_missing"} <= codes
    assert len(detail) >= 3
    assert all(item["ctx"]["article"].startswith("Art.") for item in detail)
    assert all(item["ctx"]["article_zh"].startswith("第") for item in detail)
    with sessions() as session:
        assert row_counts(session) == before
    state = client.get(f"{APPS}/{app_id}", headers=as_user("provider-1")).json()
    assert state["status"] == "draft"


def test_submit_with_a_stale_version_is_a_conflict(
    client: TestClient, world: ApiWorld, as_user: Tokens
) -> None:
    response = client.post(
        f"{APPS}/{world.application_a}/submit",
        json={"commitment_signed": True, "expected_version": 7},
        headers=as_user("provider-1"),
    )
    assert response.status_code == 409
    assert error_types(response.json()) == ["application_changed"]


def test_submitting_twice_is_not_allowed(
    client: TestClient, world: ApiWorld, as_user: Tokens, sessions: sessionmaker[Session]
) -> None:
    to_municipal_review(sessions, world, world.application_a)
    response = client.post(
        f"{APPS}/{world.application_a}/submit",
        json={"commitment_signed": True},
        headers=as_user("provider-1"),
    )
    assert response.status_code == 409
    assert error_types(response.json()) == ["transition_not_allowed"]


def test_answer_a_return_for_completion(
    client: TestClient, world: ApiWorld, as_user: Tokens, sessions: sessionmaker[Session]
) -> None:
    to_municipal_review(sessions, world, world.application_a)
    with sessions() as session:
        municipal.municipal_decide(
            session=session,
            actor=world.base.reviewer,
            now=at(2025, 11, 5),
            application_id=world.application_a,
            decision=MunicipalDecision.RETURN,
            reasons="请补充第三方检测报告",
        )
        session.commit()
    returned = client.get(f"{APPS}/{world.application_a}", headers=as_user("provider-1")).json()
    assert returned["status"] == "returned" and returned["allowed_actions"] == ["resubmit"]
    assert returned["history"][-1]["note"] == "请补充第三方检测报告"
    notes = client.get("/api/v1/provider/notifications", headers=as_user("provider-1")).json()
    assert notes[0]["kind"] == "returned" and "请补充第三方检测报告" in notes[0]["message"]
    response = client.post(
        f"{APPS}/{world.application_a}/resubmit",
        json={"expected_version": returned["version"]},
        headers=as_user("provider-1"),
    )
    assert response.status_code == 200, response.text
    application = response.json()["application"]
    assert application["status"] == "municipal_review"
    assert application["submitted_at"] == "2025-11-03T09:30:00+08:00"  # the first date stays
    assert SUBMITTED_AT.isoformat() == application["submitted_at"]


def test_resubmitting_a_draft_is_not_allowed(
    client: TestClient, world: ApiWorld, as_user: Tokens
) -> None:
    response = client.post(
        f"{APPS}/{world.application_a}/resubmit", json={}, headers=as_user("provider-1")
    )
    assert response.status_code == 409


def test_notifications_are_the_organisations_own(
    client: TestClient, world: ApiWorld, as_user: Tokens, sessions: sessionmaker[Session]
) -> None:
    to_municipal_review(sessions, world, world.application_a)
    with sessions() as session:
        municipal.municipal_decide(
            session=session,
            actor=world.base.reviewer,
            now=at(2025, 11, 5),
            application_id=world.application_a,
            decision=MunicipalDecision.REJECT,
            reasons="不符合申报方向",
        )
        session.commit()
    mine = client.get("/api/v1/provider/notifications", headers=as_user("provider-1")).json()
    assert [n["kind"] for n in mine] == ["rejected"]
    unread = client.get(
        "/api/v1/provider/notifications",
        params={"unread_only": True},
        headers=as_user("provider-1"),
    )
    assert len(unread.json()) == 1
    theirs = client.get("/api/v1/provider/notifications", headers=as_user("provider-2")).json()
    assert theirs == []
