"""More write paths on SQLite and PostgreSQL: staff records, bans, waivers and voiding, Art.17
direct entry, and two reviewers deciding the same application at once."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from registry.enums import Role
from registry.models import ApplicationHistory, AuditEntry
from registry.seed_schema import Route
from tests.api.conftest import Clock, Tokens
from tests.api.flow import APPLICANT, Flow
from tests.api.world import ApiWorld, to_municipal_review
from tests.db.factories import add_user, at

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True),
]
PLATFORM = {
    "platform": "广东省工程技术研究中心",
    "document": "粤科函〔2024〕8号",
    "certified_on": "2024-05-01",
    "valid_until": "2027-04-30",
}


@pytest.fixture
def flow(client: TestClient, as_user: Tokens, clock: Clock, world: ApiWorld) -> Flow:
    return Flow(client, as_user, clock)


ACCIDENT = {
    "occurred_on": "2025-01-01",
    "kind": "产品质量",
    "severity": "一般",
    "description": "批次召回",
}
VIOLATION = {"occurred_on": "2025-02-01", "major": False, "description": "逾期年报"}
BATCH = {"code": "2026Q1", "title": "一季度", "opens_on": "2026-01-05", "deadline_on": "2026-03-13"}
ACCOUNT = {
    "username": "zh-reviewer",
    "password": "zh-password-1",
    "display_name": "珠海初审",
    "role": "municipal_reviewer",
    "city": "珠海市",
}


def test_staff_records_through_the_api(flow: Flow, world: ApiWorld) -> None:
    flow.call("POST", "/province/batches", "staff", 201, json=BATCH)
    org = f"/province/organisations/{world.organisation_b}"
    flow.call("POST", f"{org}/accidents", "staff", 201, json=ACCIDENT)
    flow.call("POST", f"{org}/violations", "staff", 201, json=VIOLATION)
    flow.call("POST", f"{org}/bans", "staff", 201, json={"reason": "虚假材料", "article": "Art.21"})
    recorded = flow.call("GET", org, "staff")
    assert [len(recorded[k]) for k in ("accidents", "violations", "bans")] == [1, 1, 1]
    flow.call(
        "POST",
        "/expert/conflicts",
        "expert-free",
        201,
        json={"organisation_id": world.organisation_b, "reason": "曾任顾问"},
    )
    flow.call("POST", "/admin/users", "admin", 201, json=ACCOUNT)


def test_waiver_and_voiding_through_the_api(flow: Flow, world: ApiWorld) -> None:
    province = f"/province/applications/{world.application_a}"
    waived = flow.call("POST", f"{province}/years-waiver", "staff", json={"reason": "颠覆性技术"})
    assert waived["years_waiver_reason"] == "颠覆性技术"
    flow.at(at(2025, 11, 4)).call(
        "POST",
        f"/provider/applications/{world.application_a}/submit",
        "provider-1",
        json={"commitment_signed": True},
    )
    voided = flow.call("POST", f"{province}/void", "staff", json={"reason": "伪造检测报告"})
    assert voided["status"] == "voided"
    audit = flow.call("GET", "/province/audit", "staff", params={"action": "organisation."})
    assert [row["action"] for row in audit["items"]] == [
        "organisation.ban",
        "organisation.register",
        "organisation.register",
    ]


def test_direct_entry_through_the_api(flow: Flow) -> None:
    flow.applicant()
    app_id = flow.application(flow.resource("PF-9"), Route.DIRECT_ENTRY, direct_entry=PLATFORM)
    submitted = flow.call(
        "POST",
        f"/provider/applications/{app_id}/submit",
        APPLICANT,
        json={"commitment_signed": True},
    )
    assert submitted["application"]["status"] == "submitted"
    entry = flow.at(at(2025, 11, 6)).call(
        "POST", f"/province/applications/{app_id}/direct-entry/verification", "staff", json={}
    )
    assert entry["status"] == "certified"
    assert flow.call("GET", "/library/resources/PF-9", None)["title"] == "产线数字孪生平台"
    refused = flow.application(flow.resource("PF-10"), Route.DIRECT_ENTRY, direct_entry=PLATFORM)
    flow.call(
        "POST",
        f"/provider/applications/{refused}/submit",
        APPLICANT,
        json={"commitment_signed": True},
    )
    rejected = flow.call(
        "POST",
        f"/province/applications/{refused}/rejection",
        "staff",
        json={"reason": "认定文件与平台名称不符"},
    )
    assert rejected["status"] == "rejected"


def race(calls: list[Callable[[], int]]) -> list[int]:
    """Run the calls at the same moment from separate threads; their status codes."""
    barrier = threading.Barrier(len(calls))
    results: list[int] = [0] * len(calls)

    def run(index: int) -> None:
        barrier.wait()
        results[index] = calls[index]()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return sorted(results)


def counts(sessions: sessionmaker[Session], app_id: int) -> tuple[int, int]:
    """History and audit rows of the city's decisions on the application."""
    with sessions() as session:
        history = session.scalar(
            select(func.count())
            .select_from(ApplicationHistory)
            .where(
                ApplicationHistory.application_id == app_id,
                ApplicationHistory.event.in_(["recommend", "reject"]),
            )
        )
        audit = session.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .where(
                AuditEntry.object_id == str(app_id),
                AuditEntry.action.in_(["application.recommend", "application.reject"]),
            )
        )
    return history or 0, audit or 0


def test_two_reviewers_deciding_at_once_make_one_change(
    client: TestClient, world: ApiWorld, as_user: Tokens, sessions: sessionmaker[Session]
) -> None:
    to_municipal_review(sessions, world, world.application_a)
    with sessions() as session:
        add_user(session, at(2025, 10, 20), "gz-reviewer-2", Role.MUNICIPAL_REVIEWER, city="广州市")
        session.commit()
    url = f"/api/v1/city/applications/{world.application_a}/decision"
    headers = {user: as_user(user) for user in ("gz-reviewer", "gz-reviewer-2")}

    def decide(user: str, decision: str) -> Callable[[], int]:
        body = {"decision": decision, "reasons": "意见", "expected_version": 3}
        return lambda: client.post(url, headers=headers[user], json=body).status_code

    statuses = race([decide("gz-reviewer", "recommend"), decide("gz-reviewer-2", "reject")])
    assert statuses == [200, 409]
    assert counts(sessions, world.application_a) == (1, 1)
