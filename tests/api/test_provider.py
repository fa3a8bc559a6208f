"""Provider routes: the organisation, resources, cases and evidence uploads — happy paths and
their errors (registration: `test_registration.py`)."""

from __future__ import annotations

import hashlib

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from tests.api.conftest import Tokens, error_types
from tests.api.world import ApiWorld, to_municipal_review
from tests.db.factories import uscc

RESOURCE = {
    "code": "AI-101",
    "title": "注塑成型工艺参数优化",
    "directions": ["制造生产"],
    "form": "核心技术",
    "industries": ["C29"],
    "summary": "基于数据的注塑参数优化",
    "advantages": "良率提升",
    "indicators": "良率 +3%",
    "scenarios": "注塑车间",
    "keywords": ["注塑成型"],
}
CASE = {
    "title": "某塑胶厂参数优化",
    "client": "佛山某塑胶有限公司",
    "client_city": "佛山市",
    "client_industry": "C29",
    "started_on": "2024-02-01",
    "completed_on": "2024-08-01",
    "implementation": "部署优化系统",
    "results": "良率提升 3%",
    "feedback": "满意",
    "feedback_on": "2025-05-01",
}


def test_the_provider_reads_its_organisation(
    client: TestClient, world: ApiWorld, as_user: Tokens
) -> None:
    body = client.get("/api/v1/provider/organisation", headers=as_user("provider-2")).json()
    assert body["id"] == world.organisation_b and body["city"] == "深圳市"


def test_resources_of_the_own_organisation_only(
    client: TestClient, world: ApiWorld, as_user: Tokens
) -> None:
    mine = client.get("/api/v1/provider/resources", headers=as_user("provider-1")).json()
    assert [r["code"] for r in mine] == ["AI-001"]
    assert len(mine[0]["cases"]) == 3 and mine[0]["evidence"][0]["kind"] == "发明专利"
    other = client.get(
        f"/api/v1/provider/resources/{world.resource_b}", headers=as_user("provider-1")
    )
    assert other.status_code == 403
    assert error_types(other.json()) == ["not_own_organisation"]
    missing = client.get("/api/v1/provider/resources/999999", headers=as_user("provider-1"))
    assert missing.status_code == 404


def test_create_and_update_a_resource(client: TestClient, world: ApiWorld, as_user: Tokens) -> None:
    headers = as_user("provider-1")
    created = client.post("/api/v1/provider/resources", json=RESOURCE, headers=headers)
    assert created.status_code == 201, created.text
    resource_id = created.json()["id"]
    assert created.json()["organisation_id"] == world.base.organisation_id
    again = client.post("/api/v1/provider/resources", json=RESOURCE, headers=headers)
    assert again.status_code == 409 and error_types(again.json()) == ["resource_exists"]
    update = {k: v for k, v in RESOURCE.items() if k != "code"} | {"title": "注塑工艺优化 2.0"}
    updated = client.put(f"/api/v1/provider/resources/{resource_id}", json=update, headers=headers)
    assert updated.status_code == 200 and updated.json()["title"] == "注塑工艺优化 2.0"
    assert updated.json()["code"] == "AI-101"


@pytest.mark.parametrize(
    ("change", "code", "article"),
    [
        ({"industries": ["C99"]}, "art9.industry_invalid", "Art.9(1)"),
        ({"directions": []}, "directions_missing", "Art.9(1)"),
        (
            {"directions": ["综合赋能", "市场销售"], "consortium_uscc": [uscc(77)]},
            "unknown_consortium_member",
            "Art.5",
        ),
    ],
)
def test_resource_refusals_cite_the_article(
    client: TestClient,
    world: ApiWorld,
    as_user: Tokens,
    change: dict[str, object],
    code: str,
    article: str,
) -> None:
    response = client.post(
        "/api/v1/provider/resources", json=RESOURCE | change, headers=as_user("provider-1")
    )
    assert response.status_code == 422
    (item,) = response.json()["detail"]
    assert (item["type"], item["ctx"]["article"]) == (code, article)


def test_a_resource_under_review_is_locked(
    client: TestClient, world: ApiWorld, as_user: Tokens, sessions: sessionmaker[Session]
) -> None:
    to_municipal_review(sessions, world, world.application_a)
    update = {k: v for k, v in RESOURCE.items() if k != "code"}
    url = f"/api/v1/provider/resources/{world.base.resource_id}"
    response = client.put(url, json=update, headers=as_user("provider-1"))
    assert response.status_code == 409 and error_types(response.json()) == ["resource_locked"]
    case = client.post(f"{url}/cases", json=CASE, headers=as_user("provider-1"))
    assert case.status_code == 409


def test_add_cases(client: TestClient, world: ApiWorld, as_user: Tokens) -> None:
    url = f"/api/v1/provider/resources/{world.base.resource_id}/cases"
    added = client.post(url, json=CASE, headers=as_user("provider-1"))
    assert added.status_code == 201 and added.json()["position"] == 3
    backwards = client.post(
        url, json=CASE | {"completed_on": "2023-01-01"}, headers=as_user("provider-1")
    )
    assert backwards.status_code == 422
    assert error_types(backwards.json()) == ["case_dates_order"]
    other = client.post(url, json=CASE, headers=as_user("provider-2"))
    assert other.status_code == 403


EVIDENCE = {"kind": "检验检测报告", "title": "第三方检测报告", "issued_on": "2025-06-01"}


def test_evidence_upload_returns_the_checksum(
    client: TestClient, world: ApiWorld, as_user: Tokens
) -> None:
    content = b"%PDF-1.4 test report"
    digest = hashlib.sha256(content).hexdigest()
    response = client.post(
        "/api/v1/provider/evidence",
        data=EVIDENCE | {"resource_id": str(world.base.resource_id), "sha256": digest.upper()},
        files={"file": ("..\\..\\报告.pdf", content, "application/pdf")},
        headers=as_user("provider-1"),
    )
    assert response.status_code == 201, response.text
    file = response.json()["file"]
    assert file == {
        "filename": "报告.pdf",
        "content_type": "application/pdf",
        "size_bytes": len(content),
        "sha256": digest,
    }
    listed = client.get("/api/v1/provider/evidence", headers=as_user("provider-1")).json()
    assert digest in [d["file"]["sha256"] for d in listed]


def test_financial_documents_belong_to_the_organisation(
    client: TestClient, world: ApiWorld, as_user: Tokens
) -> None:
    audit = {"kind": "财务审计报告", "title": "2024 年度审计报告", "issued_on": "2025-04-01"}
    files = {"file": ("audit.pdf", b"%PDF audit 2024", "application/pdf")}
    ok = client.post(
        "/api/v1/provider/evidence", data=audit, files=files, headers=as_user("provider-1")
    )
    assert ok.status_code == 201 and ok.json()["resource_id"] is None
    wrong = client.post(
        "/api/v1/provider/evidence",
        data=audit | {"resource_id": str(world.base.resource_id)},
        files=files,
        headers=as_user("provider-1"),
    )
    assert wrong.status_code == 422 and error_types(wrong.json()) == ["evidence_owner"]


def test_evidence_for_another_providers_resource_is_refused(
    client: TestClient, world: ApiWorld, as_user: Tokens
) -> None:
    response = client.post(
        "/api/v1/provider/evidence",
        data=EVIDENCE | {"resource_id": str(world.resource_b)},
        files={"file": ("r.pdf", b"x", "application/pdf")},
        headers=as_user("provider-1"),
    )
    assert response.status_code in (403, 422)
    assert error_types(response.json())[0] in ("not_own_organisation", "evidence_owner")


def test_evidence_dates_must_be_in_order(
    client: TestClient, world: ApiWorld, as_user: Tokens
) -> None:
    response = client.post(
        "/api/v1/provider/evidence",
        data={
            "kind": "产品认证",
            "title": "CE",
            "issued_on": "2025-06-01",
            "expires_on": "2025-01-01",
            "resource_id": str(world.base.resource_id),
        },
        files={"file": ("ce.pdf", b"ce", "application/pdf")},
        headers=as_user("provider-1"),
    )
    assert response.status_code == 422
    assert error_types(response.json()) == ["evidence_dates_order"]
