"""Provincial staff, the administration: batches, supervision records, bans, priority, overdue
steps, the audit log; and administrators' accounts."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from tests.api.conftest import Clock, Tokens, error_types
from tests.api.world import ApiWorld, to_expert_review, to_library, to_municipal_review
from tests.db.factories import at

PROVINCE = "/api/v1/province"
BATCH = {
    "code": "2026Q1",
    "title": "2026年第一季度",
    "opens_on": "2026-01-05",
    "deadline_on": "2026-03-13",
}


def test_open_a_batch(client: TestClient, world: ApiWorld, as_user: Tokens) -> None:
    created = client.post(f"{PROVINCE}/batches", json=BATCH, headers=as_user("staff"))
    assert created.status_code == 201 and created.json()["accepting"] is False
    again = client.post(f"{PROVINCE}/batches", json=BATCH, headers=as_user("staff"))
    assert again.status_code == 409 and error_types(again.json()) == ["batch_exists"]
    backwards = client.post(
        f"{PROVINCE}/batches",
        json=BATCH | {"code": "2026Q2", "deadline_on": "2025-12-31"},
        headers=as_user("staff"),
    )
    assert backwards.status_code == 422
    assert backwards.json()["detail"][0]["type"] == "batch_dates_order"
    badcode = client.post(
        f"{PROVINCE}/batches", json=BATCH | {"code": "Q1-2026"}, headers=as_user("staff")
    )
    assert badcode.status_code == 422 and error_types(badcode.json()) == ["string_pattern_mismatch"]
    codes = [b["code"] for b in client.get("/api/v1/batches").json()]
    assert codes == ["2026Q1", "2025Q4"]


def test_supervision_records_and_bans_show_on_the_organisation(
    client: TestClient, world: ApiWorld, as_user: Tokens, clock: Clock
) -> None:
    org = f"{PROVINCE}/organisations/{world.organisation_b}"
    accident = client.post(
        f"{org}/accidents",
        json={
            "occurred_on": "2025-09-01",
            "kind": "安全生产",
            "severity": "重大",
            "description": "车间火灾",
        },
        headers=as_user("staff"),
    )
    assert accident.status_code == 201, accident.text
    violation = client.post(
        f"{org}/violations",
        json={"occurred_on": "2025-08-01", "major": True, "description": "环评违法"},
        headers=as_user("staff"),
    )
    assert violation.status_code == 201
    clock.now = at(2025, 11, 12)
    ban = client.post(
        f"{org}/bans",
        json={"reason": "发生重大安全事故", "article": "Art.19(2)"},
        headers=as_user("staff"),
    )
    assert ban.status_code == 201
    assert (ban.json()["starts_on"], ban.json()["ends_on"]) == ("2025-11-12", "2028-11-12")
    body = client.get(org, headers=as_user("staff")).json()
    assert [a["severity"] for a in body["accidents"]] == ["重大"]
    assert [v["major"] for v in body["violations"]] == [True]
    assert [b["article"] for b in body["bans"]] == ["Art.19(2)"]
    assert body["contact_email"] and body["revenues"]


def test_supervision_refusals(client: TestClient, world: ApiWorld, as_user: Tokens) -> None:
    org = f"{PROVINCE}/organisations/{world.organisation_b}"
    bad_article = client.post(
        f"{org}/bans", json={"reason": "x", "article": "Art.4"}, headers=as_user("staff")
    )
    assert bad_article.status_code == 422
    assert error_types(bad_article.json()) == ["ban_article_invalid"]
    unknown = client.post(
        f"{PROVINCE}/organisations/999999/bans",
        json={"reason": "x", "article": "Art.21"},
        headers=as_user("staff"),
    )
    assert unknown.status_code == 404
    bad_kind = client.post(
        f"{org}/accidents",
        json={"occurred_on": "2025-09-01", "kind": "交通", "severity": "一般", "description": "x"},
        headers=as_user("staff"),
    )
    assert bad_kind.status_code == 422
    assert (
        client.get(f"{PROVINCE}/organisations/999999", headers=as_user("staff")).status_code == 404
    )


def test_priority_in_promotion(
    client: TestClient, world: ApiWorld, as_user: Tokens, sessions: sessionmaker[Session]
) -> None:
    to_library(sessions, world)
    url = f"{PROVINCE}/library/AI-001/priority"
    response = client.put(url, json={"priority": True}, headers=as_user("staff"))
    assert response.status_code == 200 and response.json()["priority"] is True
    assert client.get("/api/v1/library/resources").json()["items"][0]["priority"] is True
    client.put(url, json={"priority": False}, headers=as_user("staff"))
    assert client.get("/api/v1/library/resources").json()["items"][0]["priority"] is False
    missing = client.put(
        f"{PROVINCE}/library/AI-002/priority", json={"priority": True}, headers=as_user("staff")
    )
    assert missing.status_code == 404


def test_overdue_steps_of_every_city(
    client: TestClient,
    world: ApiWorld,
    as_user: Tokens,
    sessions: sessionmaker[Session],
    clock: Clock,
) -> None:
    to_municipal_review(sessions, world, world.application_b)
    to_expert_review(sessions, world)
    clock.now = at(2025, 11, 14, 9)  # the expert step (due 11-13) is late, the city's is not
    overdue = client.get(f"{PROVINCE}/overdue", headers=as_user("staff")).json()
    assert [(o["application_id"], o["article"]) for o in overdue] == [
        (world.application_a, "Art.14")
    ]
    clock.now = at(2025, 11, 19, 9)  # now the 深圳 step (due 11-17) is late too
    overdue = client.get(f"{PROVINCE}/overdue", headers=as_user("staff")).json()
    assert [o["article"] for o in overdue] == ["Art.14", "Art.13"]
    assert overdue[0]["overdue_days"] == 5


def test_audit_log_query(
    client: TestClient, world: ApiWorld, as_user: Tokens, sessions: sessionmaker[Session]
) -> None:
    to_municipal_review(sessions, world, world.application_a)
    staff = as_user("staff")
    everything = client.get(f"{PROVINCE}/audit", headers=staff).json()
    assert everything["total"] > 20
    transitions = client.get(
        f"{PROVINCE}/audit",
        params={
            "object_type": "application",
            "object_id": str(world.application_a),
            "action": "application.",
        },
        headers=staff,
    ).json()
    actions = [row["action"] for row in transitions["items"]]
    assert actions == ["application.forward_to_city", "application.submit", "application.create"]
    submit = transitions["items"][1]
    assert submit["before"]["status"] == "draft" and submit["after"]["status"] == "submitted"
    assert submit["at"] == "2025-11-03T09:30:00+08:00"
    exact = client.get(f"{PROVINCE}/audit", params={"action": "application"}, headers=staff)
    assert exact.json()["total"] == 0  # no trailing dot: an exact action name
    window = client.get(
        f"{PROVINCE}/audit",
        params={"since": "2025-11-03T00:00:00", "until": "2025-11-03T23:59:59", "limit": 1},
        headers=staff,
    ).json()
    assert window["total"] == 2 and len(window["items"]) == 1
    backwards = client.get(
        f"{PROVINCE}/audit",
        params={"since": "2025-11-04T00:00:00+08:00", "until": "2025-11-03T00:00:00+08:00"},
        headers=staff,
    )
    assert backwards.status_code == 422
    assert error_types(backwards.json()) == ["audit_range_invalid"]
    assert client.get(f"{PROVINCE}/audit", headers=as_user("admin")).status_code == 200


USER = {
    "username": "fs-reviewer",
    "password": "a-long-password",
    "display_name": "佛山初审",
    "role": "municipal_reviewer",
    "city": "佛山市",
}


def test_administrators_create_and_list_accounts(
    client: TestClient, world: ApiWorld, as_user: Tokens
) -> None:
    created = client.post("/api/v1/admin/users", json=USER, headers=as_user("admin"))
    assert created.status_code == 201, created.text
    assert created.json()["city"] == "佛山市" and "password" not in created.text
    listed = client.get("/api/v1/admin/users", headers=as_user("admin"))
    assert "fs-reviewer" in [u["username"] for u in listed.json()]
    assert "password_hash" not in listed.text and "$argon2" not in listed.text
    token = client.post(
        "/api/v1/auth/token", data={"username": "fs-reviewer", "password": "a-long-password"}
    )
    assert token.status_code == 200


def test_account_refusals(client: TestClient, world: ApiWorld, as_user: Tokens) -> None:
    admin = as_user("admin")
    unknown_city = client.post("/api/v1/admin/users", json=USER | {"city": "纽约"}, headers=admin)
    assert unknown_city.status_code == 422
    assert error_types(unknown_city.json()) == ["art8.city_unknown"]
    taken = client.post("/api/v1/admin/users", json=USER | {"username": "staff"}, headers=admin)
    assert taken.status_code == 409 and error_types(taken.json()) == ["username_taken"]
    provider = client.post(
        "/api/v1/admin/users",
        json=USER | {"role": "provider", "city": None, "username": "p-nine"},
        headers=admin,
    )
    assert provider.status_code == 422
    assert error_types(provider.json()) == ["organisation_required"]
    expert = client.post(
        "/api/v1/admin/users",
        json={
            **USER,
            "role": "expert",
            "city": None,
            "username": "e-nine",
            "expert": {"category": "financial", "affiliation": "某会计师事务所"},
        },
        headers=admin,
    )
    assert expert.status_code == 201
    short = client.post(
        "/api/v1/admin/users",
        json=USER | {"password": "short", "username": "x-nine"},
        headers=admin,
    )
    assert short.status_code == 422
