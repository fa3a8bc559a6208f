"""Provincial staff, the decisions: publicity, objections (recorded, decided), certification
into the library, Art.17 direct entry and its refusal, voiding for false material."""

from __future__ import annotations

from datetime import date

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from registry.enums import PanelDecision
from tests.api.conftest import Clock, Tokens, error_types
from tests.api.world import (
    ApiWorld,
    new_resource,
    report,
    to_expert_review,
    to_municipal_review,
    to_publicity,
)
from tests.db.factories import at

PROVINCE = "/api/v1/province"
OBJECTION = {"raised_by": "某竞争企业", "content": "案例客户与申报单位存在关联关系"}


def app_url(world: ApiWorld, suffix: str = "") -> str:
    return f"{PROVINCE}/applications/{world.application_a}{suffix}"


def test_start_publicity_with_its_deadline(
    client: TestClient,
    world: ApiWorld,
    as_user: Tokens,
    sessions: sessionmaker[Session],
    clock: Clock,
) -> None:
    to_expert_review(sessions, world, scored=True)
    with sessions() as session:
        report(session, world, world.application_a, PanelDecision.PROPOSE)
    clock.now = at(2025, 11, 13)
    response = client.post(app_url(world, "/publicity"), json={}, headers=as_user("staff"))
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "publicity"
    assert response.json()["publicity_due_at"] == "2025-11-20T23:59:59+08:00"
    again = client.post(app_url(world, "/publicity"), json={}, headers=as_user("staff"))
    assert again.status_code == 409


def test_objections_are_recorded_listed_and_decided(
    client: TestClient,
    world: ApiWorld,
    as_user: Tokens,
    sessions: sessionmaker[Session],
    clock: Clock,
) -> None:
    to_publicity(sessions, world)
    clock.now = at(2025, 11, 17)
    raised = client.post(app_url(world, "/objections"), json=OBJECTION, headers=as_user("staff"))
    assert raised.status_code == 201, raised.text
    objection = raised.json()
    assert objection["decision"] is None
    listed = client.get(app_url(world, "/objections"), headers=as_user("staff")).json()
    assert [o["id"] for o in listed] == [objection["id"]]
    clock.now = at(2025, 11, 21, 10)
    pending = client.post(app_url(world, "/certification"), json={}, headers=as_user("staff"))
    assert pending.status_code == 409
    assert pending.json()["detail"][0]["type"] == "art15.objection_pending"
    decided = client.post(
        f"{PROVINCE}/objections/{objection['id']}/decision",
        json={"upheld": False, "reason": "经核查关联关系不成立"},
        headers=as_user("staff"),
    )
    assert decided.status_code == 200 and decided.json()["decision"] == "unfounded"
    twice = client.post(
        f"{PROVINCE}/objections/{objection['id']}/decision",
        json={"upheld": True, "reason": "再议"},
        headers=as_user("staff"),
    )
    assert twice.status_code == 409 and error_types(twice.json()) == ["objection_decided"]
    certified = client.post(app_url(world, "/certification"), json={}, headers=as_user("staff"))
    assert certified.status_code == 200, certified.text


def test_an_upheld_objection_rejects_the_application(
    client: TestClient,
    world: ApiWorld,
    as_user: Tokens,
    sessions: sessionmaker[Session],
    clock: Clock,
) -> None:
    to_publicity(sessions, world)
    clock.now = at(2025, 11, 17)
    objection = client.post(
        app_url(world, "/objections"), json=OBJECTION, headers=as_user("staff")
    ).json()
    response = client.post(
        f"{PROVINCE}/objections/{objection['id']}/decision",
        json={"upheld": True, "reason": "关联关系属实"},
        headers=as_user("staff"),
    )
    assert response.status_code == 200 and response.json()["decision"] == "upheld"
    state = client.get(app_url(world), headers=as_user("staff")).json()
    assert state["status"] == "rejected"


def test_objection_refusals(
    client: TestClient,
    world: ApiWorld,
    as_user: Tokens,
    sessions: sessionmaker[Session],
    clock: Clock,
) -> None:
    not_yet = client.post(app_url(world, "/objections"), json=OBJECTION, headers=as_user("staff"))
    assert not_yet.status_code == 409
    to_publicity(sessions, world)
    clock.now = at(2025, 11, 21, 9)
    late = client.post(app_url(world, "/objections"), json=OBJECTION, headers=as_user("staff"))
    assert late.status_code == 409
    assert late.json()["detail"][0]["type"] == "art15.publicity_over"
    blank = client.post(
        app_url(world, "/objections"),
        json={"raised_by": "", "content": "x"},
        headers=as_user("staff"),
    )
    assert blank.status_code == 422
    unknown = client.post(
        f"{PROVINCE}/objections/999999/decision",
        json={"upheld": True, "reason": "x"},
        headers=as_user("staff"),
    )
    assert unknown.status_code == 404


def test_certify_after_publicity_enters_the_library(
    client: TestClient,
    world: ApiWorld,
    as_user: Tokens,
    sessions: sessionmaker[Session],
    clock: Clock,
) -> None:
    to_publicity(sessions, world)
    clock.now = at(2025, 11, 20, 18)
    early = client.post(app_url(world, "/certification"), json={}, headers=as_user("staff"))
    assert early.status_code == 409
    (item,) = early.json()["detail"]
    assert (item["type"], item["ctx"]["article"]) == ("art15.publicity_not_over", "Art.15")
    assert client.get("/api/v1/library/resources").json()["total"] == 0
    clock.now = at(2025, 11, 21, 10)
    response = client.post(app_url(world, "/certification"), json={}, headers=as_user("staff"))
    assert response.status_code == 200, response.text
    assert response.json()["resource_code"] == "AI-001" and response.json()["status"] == "certified"
    assert client.get("/api/v1/library/resources").json()["total"] == 1
    notes = client.get("/api/v1/provider/notifications", headers=as_user("provider-1")).json()
    assert notes[0]["kind"] == "certified"


def direct_entry_application(
    client: TestClient,
    world: ApiWorld,
    as_user: Tokens,
    sessions: sessionmaker[Session],
    valid_until: str,
) -> int:
    """Provider A applies for Art.17 direct entry through the API and submits."""
    resource_id = new_resource(sessions, world, "PF-001")
    started = client.post(
        "/api/v1/provider/applications",
        json={
            "resource_id": resource_id,
            "batch_code": "2025Q4",
            "route": "direct_entry",
            "direct_entry": {
                "platform": "广东省制造业创新中心",
                "document": "粤工信创新函〔2024〕12号",
                "certified_on": "2024-06-01",
                "valid_until": valid_until,
            },
        },
        headers=as_user("provider-1"),
    )
    assert started.status_code == 201, started.text
    app_id = int(started.json()["id"])
    submitted = client.post(
        f"/api/v1/provider/applications/{app_id}/submit",
        json={"commitment_signed": True},
        headers=as_user("provider-1"),
    )
    assert submitted.status_code == 200, submitted.text
    assert submitted.json()["application"]["status"] == "submitted"
    return app_id


def test_direct_entry_is_verified_into_the_library(
    client: TestClient,
    world: ApiWorld,
    as_user: Tokens,
    sessions: sessionmaker[Session],
    clock: Clock,
) -> None:
    app_id = direct_entry_application(client, world, as_user, sessions, "2027-05-31")
    detail = client.get(f"{PROVINCE}/applications/{app_id}", headers=as_user("staff")).json()
    assert detail["platform_document"] == "粤工信创新函〔2024〕12号"
    assert sorted(detail["allowed_actions"]) == ["reject", "verify_platform", "void"]
    clock.now = at(2025, 11, 5)
    response = client.post(
        f"{PROVINCE}/applications/{app_id}/direct-entry/verification",
        json={},
        headers=as_user("staff"),
    )
    assert response.status_code == 200, response.text
    assert response.json()["resource_code"] == "PF-001"
    codes = [i["code"] for i in client.get("/api/v1/library/resources").json()["items"]]
    assert codes == ["PF-001"]


def test_an_expired_platform_cannot_enter_and_may_be_refused(
    client: TestClient,
    world: ApiWorld,
    as_user: Tokens,
    sessions: sessionmaker[Session],
    clock: Clock,
) -> None:
    app_id = direct_entry_application(client, world, as_user, sessions, "2025-11-04")
    clock.now = at(2025, 11, 5)
    url = f"{PROVINCE}/applications/{app_id}"
    expired = client.post(f"{url}/direct-entry/verification", json={}, headers=as_user("staff"))
    assert expired.status_code == 422
    assert expired.json()["detail"][0]["type"] == "art17.certification_expired"
    refused = client.post(
        f"{url}/rejection", json={"reason": "认定文件已过有效期"}, headers=as_user("staff")
    )
    assert refused.status_code == 200 and refused.json()["status"] == "rejected"
    no_reason = client.post(f"{url}/rejection", json={"reason": ""}, headers=as_user("staff"))
    assert no_reason.status_code == 422


def test_the_province_cannot_reject_what_the_city_holds(
    client: TestClient, world: ApiWorld, as_user: Tokens, sessions: sessionmaker[Session]
) -> None:
    to_municipal_review(sessions, world, world.application_a)
    response = client.post(
        app_url(world, "/rejection"), json={"reason": "x"}, headers=as_user("staff")
    )
    assert response.status_code == 403  # in municipal review only the city may reject
    (item,) = response.json()["detail"]
    assert (item["type"], item["ctx"]["article"]) == ("role_not_allowed", "Art.13")


def test_void_for_false_material_bans_the_applicant(
    client: TestClient,
    world: ApiWorld,
    as_user: Tokens,
    sessions: sessionmaker[Session],
    clock: Clock,
) -> None:
    to_municipal_review(sessions, world, world.application_a)
    clock.now = at(2025, 11, 10)
    response = client.post(
        app_url(world, "/void"), json={"reason": "检测报告系伪造"}, headers=as_user("staff")
    )
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "voided"
    org = client.get(
        f"{PROVINCE}/organisations/{world.base.organisation_id}", headers=as_user("staff")
    ).json()
    (ban,) = org["bans"]
    assert (ban["article"], ban["starts_on"]) == ("Art.21", "2025-11-10")
    assert date.fromisoformat(ban["ends_on"]).year == 2028
    again = client.post(app_url(world, "/void"), json={"reason": "x"}, headers=as_user("staff"))
    assert again.status_code == 409
