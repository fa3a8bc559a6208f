"""The write paths again, end to end through the API, on SQLite and on PostgreSQL: an applicant
registers and gets an account, applies, is returned and resubmits, is recommended, scored,
publicised, objected to and certified into the library, where staff mark it for priority."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import Clock, Tokens
from tests.api.flow import APPLICANT, RESOURCE, Flow
from tests.api.world import ApiWorld
from tests.db.factories import at

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True),
]
SCORE = {"advancement": 88, "maturity": 84, "application_effect": 86, "promotion_value": 90}
PANEL = ("technical", "industry_management", "financial")


@pytest.fixture
def flow(client: TestClient, as_user: Tokens, clock: Clock, world: ApiWorld) -> Flow:
    return Flow(client, as_user, clock)


def apply(flow: Flow) -> int:
    """Register, get the account, prepare a resource and submit its application."""
    flow.applicant()
    app_id = flow.application(flow.resource("FL-001"))
    flow.call(
        "POST",
        f"/provider/applications/{app_id}/submit",
        APPLICANT,
        json={"commitment_signed": True},
    )
    return app_id


def city_returns_then_recommends(flow: Flow, app_id: int) -> None:
    """The city returns it for completion, the provider resubmits, the city recommends."""
    decision = f"/city/applications/{app_id}/decision"
    flow.at(at(2025, 11, 5)).call(
        "POST", decision, "gz-reviewer", json={"decision": "return", "reasons": "补充案例说明"}
    )
    returned = flow.call("GET", f"/provider/applications/{app_id}", APPLICANT)
    assert returned["status"] == "returned"
    resource = f"/provider/resources/{returned['resource_id']}"
    edited = RESOURCE | {"summary": "数字孪生：补充了实施说明"}
    assert flow.call("PUT", resource, APPLICANT, json=edited)["summary"] == edited["summary"]
    flow.at(at(2025, 11, 6)).call(
        "POST",
        f"/provider/applications/{app_id}/resubmit",
        APPLICANT,
        json={"expected_version": returned["version"]},
    )
    flow.at(at(2025, 11, 7)).call(
        "POST", decision, "gz-reviewer", json={"decision": "recommend", "reasons": "同意推荐"}
    )


def experts_propose(flow: Flow, app_id: int) -> None:
    """Staff assign a panel of the three categories; they score; the panel proposes."""
    pool = flow.call("GET", "/province/experts", "staff")
    panel = [e["id"] for e in pool if e["name"] != "expert-free"]
    province = f"/province/applications/{app_id}"
    flow.call("POST", f"{province}/panel/experts", "staff", json={"expert_ids": panel})
    for name in PANEL:
        flow.call("PUT", f"/expert/applications/{app_id}/score", f"expert-{name}", json=SCORE)
    report = flow.at(at(2025, 11, 12)).call(
        "POST", f"{province}/panel/report", "staff", json={"decision": "propose", "summary": "同意"}
    )
    assert report["report"]["mean_score"] == 87.0


def publicity_and_certification(flow: Flow, app_id: int) -> None:
    """Publicity, an objection found unfounded, certification after the 5 working days."""
    province = f"/province/applications/{app_id}"
    flow.at(at(2025, 11, 13)).call("POST", f"{province}/publicity", "staff", json={})
    listed = flow.call("GET", "/publicity", None)["items"]
    assert [i["application_id"] for i in listed] == [app_id]
    objection = flow.call(
        "POST",
        f"{province}/objections",
        "staff",
        201,
        json={"raised_by": "匿名", "content": "案例存疑"},
    )
    flow.call(
        "POST",
        f"/province/objections/{objection['id']}/decision",
        "staff",
        json={"upheld": False, "reason": "经核实案例真实"},
    )
    entry = flow.at(at(2025, 11, 21, 10)).call(
        "POST", f"{province}/certification", "staff", json={}
    )
    assert entry["resource_code"] == "FL-001"


def test_the_certification_pipeline_through_the_api(flow: Flow) -> None:
    app_id = apply(flow)
    city_returns_then_recommends(flow, app_id)
    experts_propose(flow, app_id)
    publicity_and_certification(flow, app_id)
    flow.call("PUT", "/province/library/FL-001/priority", "staff", json={"priority": True})
    detail = flow.call("GET", "/library/resources/FL-001", None)
    assert detail["priority"] is True and len(detail["cases"]) == 3
    final = flow.call("GET", f"/provider/applications/{app_id}", APPLICANT)
    assert final["status"] == "certified"
    assert [h["event"] for h in final["history"]] == [
        "submit",
        "forward_to_city",
        "return_for_completion",
        "resubmit",
        "forward_to_city",
        "recommend",
        "forward_to_province",
        "propose",
        "start_publicity",
        "certify",
    ]
    notices = flow.call("GET", "/provider/notifications", APPLICANT)
    assert [n["kind"] for n in notices] == ["certified", "status_changed", "returned"]
