"""Provincial staff, the review side: every application with filters, the whole file, the
Art.7(1) waiver, the expert pool with conflicts, panel assignment and the panel report."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from tests.api.conftest import Tokens, error_types
from tests.api.world import ApiWorld, to_expert_review, to_municipal_review

PROVINCE = "/api/v1/province"
SCORE = {"advancement": 90, "maturity": 80, "application_effect": 85, "promotion_value": 75}


def expert_ids(client: TestClient, as_user: Tokens) -> dict[str, int]:
    """Expert ids by category name, and `free` for the expert outside the panel."""
    pool = client.get(f"{PROVINCE}/experts", headers=as_user("staff")).json()
    ids = {e["name"].removeprefix("expert-"): e["id"] for e in pool}
    return ids


def test_applications_of_every_city_with_filters_and_paging(
    client: TestClient, world: ApiWorld, as_user: Tokens, sessions: sessionmaker[Session]
) -> None:
    to_municipal_review(sessions, world, world.application_b)
    staff = as_user("staff")
    everything = client.get(f"{PROVINCE}/applications", headers=staff).json()
    assert everything["total"] == 2
    assert {i["city"] for i in everything["items"]} == {"广州市", "深圳市"}
    by_city = client.get(f"{PROVINCE}/applications", params={"city": "深圳市"}, headers=staff)
    assert [i["id"] for i in by_city.json()["items"]] == [world.application_b]
    by_status = client.get(
        f"{PROVINCE}/applications", params={"status": "draft"}, headers=staff
    ).json()
    assert [i["id"] for i in by_status["items"]] == [world.application_a]
    page = client.get(
        f"{PROVINCE}/applications", params={"limit": 1, "offset": 1}, headers=staff
    ).json()
    assert (len(page["items"]), page["total"]) == (1, 2)
    batch = client.get(f"{PROVINCE}/applications", params={"batch": "2026Q1"}, headers=staff)
    assert batch.json()["total"] == 0


def test_the_whole_file(
    client: TestClient, world: ApiWorld, as_user: Tokens, sessions: sessionmaker[Session]
) -> None:
    to_expert_review(sessions, world)
    body = client.get(
        f"{PROVINCE}/applications/{world.application_a}", headers=as_user("staff")
    ).json()
    assert body["status"] == "expert_review"
    assert [r["decision"] for r in body["municipal_reviews"]] == ["recommend"]
    assert len(body["panel"]["assignments"]) == 3 and body["panel"]["report"] is None
    assert body["objections"] == [] and body["years_waiver_reason"] is None
    assert sorted(body["allowed_actions"]) == ["propose", "reject", "void"]


def test_years_waiver_before_submission_only(
    client: TestClient, world: ApiWorld, as_user: Tokens, sessions: sessionmaker[Session]
) -> None:
    url = f"{PROVINCE}/applications/{world.application_a}/years-waiver"
    ok = client.post(url, json={"reason": "颠覆性技术，经专家论证"}, headers=as_user("staff"))
    assert ok.status_code == 200 and ok.json()["years_waiver_reason"] == "颠覆性技术，经专家论证"
    to_municipal_review(sessions, world, world.application_a)
    late = client.post(url, json={"reason": "再次放宽"}, headers=as_user("staff"))
    assert late.status_code == 409
    assert late.json()["detail"][0]["type"] == "waiver_too_late"
    assert late.json()["detail"][0]["ctx"]["article"] == "Art.7(1)"


def test_the_pool_names_each_experts_conflicts(
    client: TestClient, world: ApiWorld, as_user: Tokens, sessions: sessionmaker[Session]
) -> None:
    client.post(
        "/api/v1/expert/conflicts",
        json={"organisation_id": world.base.organisation_id, "reason": "近三年合作"},
        headers=as_user("expert-free"),
    )
    pool = client.get(
        f"{PROVINCE}/experts",
        params={"application_id": world.application_a, "category": "technical"},
        headers=as_user("staff"),
    ).json()
    conflicts = {e["name"]: e["conflicts"] for e in pool}
    assert conflicts == {"expert-free": ["专家已申报利益冲突：近三年合作"], "expert-technical": []}


def test_assign_the_panel(
    client: TestClient, world: ApiWorld, as_user: Tokens, sessions: sessionmaker[Session]
) -> None:
    to_expert_review(sessions, world, panel=False)
    ids = expert_ids(client, as_user)
    url = f"{PROVINCE}/applications/{world.application_a}/panel/experts"
    response = client.post(
        url, json={"expert_ids": [ids["technical"], ids["financial"]]}, headers=as_user("staff")
    )
    assert response.status_code == 200, response.text
    assert [a["category"] for a in response.json()["assignments"]] == ["technical", "financial"]
    more = client.post(
        url,
        json={"expert_ids": [ids["technical"], ids["industry_management"]]},
        headers=as_user("staff"),
    )
    assert len(more.json()["assignments"]) == 3  # an expert already on it is not added twice


def test_assignment_refusals(
    client: TestClient, world: ApiWorld, as_user: Tokens, sessions: sessionmaker[Session]
) -> None:
    ids = expert_ids(client, as_user)
    url = f"{PROVINCE}/applications/{world.application_a}/panel/experts"
    too_early = client.post(url, json={"expert_ids": [ids["technical"]]}, headers=as_user("staff"))
    assert too_early.status_code == 409
    to_expert_review(sessions, world, panel=False)
    unknown = client.post(url, json={"expert_ids": [999999]}, headers=as_user("staff"))
    assert unknown.status_code == 404 and error_types(unknown.json()) == ["expert_not_found"]
    empty = client.post(url, json={"expert_ids": []}, headers=as_user("staff"))
    assert empty.status_code == 422


def test_the_panel_report_needs_every_category_and_score(
    client: TestClient, world: ApiWorld, as_user: Tokens, sessions: sessionmaker[Session]
) -> None:
    to_expert_review(sessions, world)
    url = f"{PROVINCE}/applications/{world.application_a}/panel/report"
    body = {"decision": "propose", "summary": "同意拟认定"}
    incomplete = client.post(url, json=body, headers=as_user("staff"))
    assert incomplete.status_code == 422
    detail = incomplete.json()["detail"]
    assert {item["type"] for item in detail} == {"art14.score_missing"}
    assert len(detail) == 3 and all(item["ctx"]["article"] == "Art.14" for item in detail)
    for name in ("technical", "industry_management", "financial"):
        client.put(
            f"/api/v1/expert/applications/{world.application_a}/score",
            json=SCORE,
            headers=as_user(f"expert-{name}"),
        )
    done = client.post(url, json=body, headers=as_user("staff"))
    assert done.status_code == 200, done.text
    assert done.json()["report"]["decision"] == "propose"
    assert done.json()["report"]["mean_score"] == 82.5
    state = client.get(f"{PROVINCE}/applications/{world.application_a}", headers=as_user("staff"))
    assert state.json()["status"] == "proposed"


@pytest.mark.parametrize("decision", ["reject"])
def test_the_panel_may_reject(
    client: TestClient,
    world: ApiWorld,
    as_user: Tokens,
    sessions: sessionmaker[Session],
    decision: str,
) -> None:
    to_expert_review(sessions, world, scored=True)
    response = client.post(
        f"{PROVINCE}/applications/{world.application_a}/panel/report",
        json={"decision": decision, "summary": "应用成效不足"},
        headers=as_user("staff"),
    )
    assert response.status_code == 200
    notes = client.get("/api/v1/provider/notifications", headers=as_user("provider-1")).json()
    assert notes[0]["kind"] == "rejected" and "应用成效不足" in notes[0]["message"]
