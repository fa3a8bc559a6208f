"""The write paths again, end to end through the API, on SQLite and on PostgreSQL: an applicant
registers, gets an account, applies, is returned and resubmits, is recommended, scored,
publicised, objected to and certified into the library; staff records, bans, waivers, voiding,
Art.17 direct entry; and two reviewers deciding the same application at once."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from registry.enums import Role
from registry.models import ApplicationHistory, AuditEntry
from tests.api.conftest import Clock, Tokens
from tests.api.world import ApiWorld, to_municipal_review
from tests.db.factories import add_user, at, uscc

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True),
]
V1 = "/api/v1"
ORG = {
    "uscc": uscc(41),
    "name": "广州全流程科技有限公司",
    "org_type": "企业",
    "scale": "中型",
    "city": "广州市",
    "address": "广州市黄埔区",
    "guangdong_operations": "总部在广州",
    "established_on": "2015-01-01",
    "business_since": "2015-06-01",
    "employees": 150,
    "contact_name": "王工",
    "contact_phone": "020-1",
    "contact_email": "w@example.cn",
    "revenue": [{"year": 2023, "amount_cny": 30000000}, {"year": 2024, "amount_cny": 36000000}],
}
RESOURCE = {
    "code": "FL-001",
    "title": "产线数字孪生平台",
    "directions": ["人工智能应用", "制造生产"],
    "form": "集成服务方案",
    "industries": ["C34", "C35"],
    "summary": "数字孪生",
    "advantages": "实时仿真",
    "indicators": "延迟 50ms",
    "scenarios": "装备制造",
}
SCORE = {"advancement": 88, "maturity": 84, "application_effect": 86, "promotion_value": 90}


def case(i: int) -> dict[str, str]:
    return {
        "title": f"某装备厂数字孪生{i}",
        "client": f"佛山某装备公司{i}",
        "client_city": "佛山市",
        "client_industry": "C35",
        "started_on": "2024-01-10",
        "completed_on": "2024-07-10",
        "implementation": "建设孪生产线",
        "results": "停机减少 30%",
        "feedback": "很好",
        "feedback_on": "2025-03-01",
    }


def ok(response: object, status: int = 200) -> dict[str, object]:
    code = response.status_code  # type: ignore[attr-defined]
    assert code == status, response.text  # type: ignore[attr-defined]
    body: dict[str, object] = response.json()  # type: ignore[attr-defined]
    return body


def applicant_with_account(client: TestClient, as_user: Tokens) -> Callable[[], dict[str, str]]:
    """Register anonymously, get the account from an administrator, sign in; then a fresh
    token whenever asked (days pass in these tests, tokens expire)."""
    csrf = {"X-CSRF-Token": client.get(f"{V1}/auth/csrf").json()["csrf_token"]}
    org = ok(
        client.post(
            f"{V1}/provider/registrations",
            data={"data": json.dumps(ORG)},
            files={"licence": ("执照.pdf", b"%PDF licence", "application/pdf")},
            headers=csrf,
        ),
        201,
    )
    ok(
        client.post(
            f"{V1}/admin/users",
            headers=as_user("admin"),
            json={
                "username": "flow-provider",
                "password": "flow-password-1",
                "display_name": "王工",
                "role": "provider",
                "organisation_id": org["id"],
            },
        ),
        201,
    )
    token = ok(
        client.post(
            f"{V1}/auth/token", data={"username": "flow-provider", "password": "flow-password-1"}
        )
    )
    assert (
        client.get(
            f"{V1}/auth/me", headers={"Authorization": f"Bearer {token['access_token']}"}
        ).status_code
        == 200
    )
    return lambda: as_user("flow-provider")


def prepare_application(client: TestClient, me: Callable[[], dict[str, str]]) -> int:
    """A resource with three cases and its evidence, and a draft application for it."""
    resource = ok(client.post(f"{V1}/provider/resources", json=RESOURCE, headers=me()), 201)
    for i in (1, 2, 3):
        ok(
            client.post(
                f"{V1}/provider/resources/{resource['id']}/cases", json=case(i), headers=me()
            ),
            201,
        )
    ok(
        client.post(
            f"{V1}/provider/evidence",
            headers=me(),
            files={"file": ("p.pdf", b"%PDF p", "application/pdf")},
            data={
                "kind": "发明专利",
                "title": "数字孪生建模方法",
                "issued_on": "2023-03-01",
                "number": "ZL2023",
                "resource_id": str(resource["id"]),
            },
        ),
        201,
    )
    ok(
        client.post(
            f"{V1}/provider/evidence",
            headers=me(),
            files={"file": ("a.pdf", b"%PDF a", "application/pdf")},
            data={"kind": "财务审计报告", "title": "2024 年度审计报告", "issued_on": "2025-04-10"},
        ),
        201,
    )
    draft = ok(
        client.post(
            f"{V1}/provider/applications",
            headers=me(),
            json={"resource_id": resource["id"], "batch_code": "2025Q4"},
        ),
        201,
    )
    return int(str(draft["id"]))


def test_the_certification_pipeline_through_the_api(
    client: TestClient, world: ApiWorld, as_user: Tokens, clock: Clock
) -> None:
    me = applicant_with_account(client, as_user)
    app_id = prepare_application(client, me)
    url = f"{V1}/provider/applications/{app_id}"
    ok(client.post(f"{url}/submit", json={"commitment_signed": True}, headers=me()))
    city = f"{V1}/city/applications/{app_id}"
    clock.now = at(2025, 11, 5)
    ok(
        client.post(
            f"{city}/decision",
            json={"decision": "return", "reasons": "补充案例说明"},
            headers=as_user("gz-reviewer"),
        )
    )
    returned = ok(client.get(url, headers=me()))
    assert returned["status"] == "returned"
    clock.now = at(2025, 11, 6)
    ok(client.post(f"{url}/resubmit", json={"expected_version": returned["version"]}, headers=me()))
    clock.now = at(2025, 11, 7)
    ok(
        client.post(
            f"{city}/decision",
            json={"decision": "recommend", "reasons": "同意推荐"},
            headers=as_user("gz-reviewer"),
        )
    )
    pool = ok(client.get(f"{V1}/province/experts", headers=as_user("staff")))  # type: ignore[assignment]
    panel = [e["id"] for e in pool if e["name"] != "expert-free"]  # type: ignore[attr-defined]
    province = f"{V1}/province/applications/{app_id}"
    ok(
        client.post(
            f"{province}/panel/experts", json={"expert_ids": panel}, headers=as_user("staff")
        )
    )
    for name in ("technical", "industry_management", "financial"):
        ok(
            client.put(
                f"{V1}/expert/applications/{app_id}/score",
                json=SCORE,
                headers=as_user(f"expert-{name}"),
            )
        )
    clock.now = at(2025, 11, 12)
    report = ok(
        client.post(
            f"{province}/panel/report",
            headers=as_user("staff"),
            json={"decision": "propose", "summary": "同意拟认定"},
        )
    )
    assert report["report"]["mean_score"] == 87.0  # type: ignore[index]
    clock.now = at(2025, 11, 13)
    ok(client.post(f"{province}/publicity", json={}, headers=as_user("staff")))
    assert [i["application_id"] for i in ok(client.get(f"{V1}/publicity"))["items"]] == [app_id]  # type: ignore[union-attr]
    objection = ok(
        client.post(
            f"{province}/objections",
            headers=as_user("staff"),
            json={"raised_by": "匿名", "content": "案例存疑"},
        ),
        201,
    )
    ok(
        client.post(
            f"{V1}/province/objections/{objection['id']}/decision",
            headers=as_user("staff"),
            json={"upheld": False, "reason": "经核实案例真实"},
        )
    )
    clock.now = at(2025, 11, 21, 10)
    entry = ok(client.post(f"{province}/certification", json={}, headers=as_user("staff")))
    assert entry["resource_code"] == "FL-001"
    ok(
        client.put(
            f"{V1}/province/library/FL-001/priority",
            json={"priority": True},
            headers=as_user("staff"),
        )
    )
    detail = ok(client.get(f"{V1}/library/resources/FL-001"))
    assert detail["priority"] is True and len(detail["cases"]) == 3  # type: ignore[arg-type]
    final = ok(client.get(url, headers=me()))
    assert final["status"] == "certified"
    events = [h["event"] for h in final["history"]]  # type: ignore[attr-defined]
    assert events == [
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


def test_staff_records_through_the_api(
    client: TestClient, world: ApiWorld, as_user: Tokens, clock: Clock
) -> None:
    ok(
        client.post(
            f"{V1}/province/batches",
            headers=as_user("staff"),
            json={
                "code": "2026Q1",
                "title": "一季度",
                "opens_on": "2026-01-05",
                "deadline_on": "2026-03-13",
            },
        ),
        201,
    )
    org = f"{V1}/province/organisations/{world.organisation_b}"
    ok(
        client.post(
            f"{org}/accidents",
            headers=as_user("staff"),
            json={
                "occurred_on": "2025-01-01",
                "kind": "产品质量",
                "severity": "一般",
                "description": "批次召回",
            },
        ),
        201,
    )
    ok(
        client.post(
            f"{org}/violations",
            headers=as_user("staff"),
            json={"occurred_on": "2025-02-01", "major": False, "description": "逾期年报"},
        ),
        201,
    )
    ok(
        client.post(
            f"{org}/bans",
            headers=as_user("staff"),
            json={"reason": "虚假材料", "article": "Art.21"},
        ),
        201,
    )
    waived = ok(
        client.post(
            f"{V1}/province/applications/{world.application_a}/years-waiver",
            json={"reason": "颠覆性技术"},
            headers=as_user("staff"),
        )
    )
    assert waived["years_waiver_reason"] == "颠覆性技术"
    ok(
        client.post(
            f"{V1}/expert/conflicts",
            headers=as_user("expert-free"),
            json={"organisation_id": world.organisation_b, "reason": "曾任顾问"},
        ),
        201,
    )
    ok(
        client.post(
            f"{V1}/admin/users",
            headers=as_user("admin"),
            json={
                "username": "zh-reviewer",
                "password": "zh-password-1",
                "display_name": "珠海初审",
                "role": "municipal_reviewer",
                "city": "珠海市",
            },
        ),
        201,
    )
    clock.now = at(2025, 11, 4)
    ok(
        client.post(
            f"{V1}/provider/applications/{world.application_a}/submit",
            json={"commitment_signed": True},
            headers=as_user("provider-1"),
        )
    )
    voided = ok(
        client.post(
            f"{V1}/province/applications/{world.application_a}/void",
            json={"reason": "伪造检测报告"},
            headers=as_user("staff"),
        )
    )
    assert voided["status"] == "voided"
    audit = ok(
        client.get(
            f"{V1}/province/audit", params={"action": "organisation."}, headers=as_user("staff")
        )
    )
    actions = sorted(row["action"] for row in audit["items"])  # type: ignore[union-attr]
    assert actions.count("organisation.ban") == 2  # the manual ban and the Art.21 one


def test_direct_entry_through_the_api(
    client: TestClient, world: ApiWorld, as_user: Tokens, clock: Clock
) -> None:
    me = applicant_with_account(client, as_user)
    resource = ok(
        client.post(f"{V1}/provider/resources", headers=me(), json=RESOURCE | {"code": "PF-9"}), 201
    )
    for i in (1, 2, 3):
        ok(
            client.post(
                f"{V1}/provider/resources/{resource['id']}/cases", json=case(i), headers=me()
            ),
            201,
        )
    ok(
        client.post(
            f"{V1}/provider/evidence",
            headers=me(),
            files={"file": ("q.pdf", b"%PDF q", "application/pdf")},
            data={
                "kind": "发明专利",
                "title": "方法",
                "issued_on": "2023-03-01",
                "resource_id": str(resource["id"]),
            },
        ),
        201,
    )
    ok(
        client.post(
            f"{V1}/provider/evidence",
            headers=me(),
            files={"file": ("b.pdf", b"%PDF b", "application/pdf")},
            data={"kind": "财务审计报告", "title": "审计报告", "issued_on": "2025-04-10"},
        ),
        201,
    )
    draft = ok(
        client.post(
            f"{V1}/provider/applications",
            headers=me(),
            json={
                "resource_id": resource["id"],
                "batch_code": "2025Q4",
                "route": "direct_entry",
                "direct_entry": {
                    "platform": "广东省工程技术研究中心",
                    "document": "粤科函〔2024〕8号",
                    "certified_on": "2024-05-01",
                    "valid_until": "2027-04-30",
                },
            },
        ),
        201,
    )
    ok(
        client.post(
            f"{V1}/provider/applications/{draft['id']}/submit",
            json={"commitment_signed": True},
            headers=me(),
        )
    )
    clock.now = at(2025, 11, 6)
    entry = ok(
        client.post(
            f"{V1}/province/applications/{draft['id']}/direct-entry/verification",
            json={},
            headers=as_user("staff"),
        )
    )
    assert entry["status"] == "certified"
    assert ok(client.get(f"{V1}/library/resources/PF-9"))["title"] == "产线数字孪生平台"


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


def test_two_reviewers_deciding_at_once_make_one_change(
    client: TestClient,
    world: ApiWorld,
    as_user: Tokens,
    sessions: sessionmaker[Session],
) -> None:
    to_municipal_review(sessions, world, world.application_a)
    with sessions() as session:
        add_user(session, at(2025, 10, 20), "gz-reviewer-2", Role.MUNICIPAL_REVIEWER, city="广州市")
        session.commit()
    url = f"{V1}/city/applications/{world.application_a}/decision"
    bodies = [("gz-reviewer", "recommend"), ("gz-reviewer-2", "reject")]
    headers = {user: as_user(user) for user, _ in bodies}

    def decide(user: str, decision: str) -> Callable[[], int]:
        return lambda: (
            client.post(
                url,
                headers=headers[user],
                json={"decision": decision, "reasons": "意见", "expected_version": 3},
            ).status_code
        )

    assert race([decide(user, decision) for user, decision in bodies]) == [200, 409]
    with sessions() as session:
        decisions = session.scalar(
            select(func.count())
            .select_from(ApplicationHistory)
            .where(
                ApplicationHistory.application_id == world.application_a,
                ApplicationHistory.event.in_(["recommend", "reject"]),
            )
        )
        audits = session.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .where(
                AuditEntry.object_id == str(world.application_a),
                AuditEntry.action.in_(["application.recommend", "application.reject"]),
            )
        )
    assert (decisions, audits) == (1, 1)
