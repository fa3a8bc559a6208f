"""Provider routes, part 1: registering the organisation (with the licence upload), the
organisation, resources, cases and evidence uploads — happy paths and their errors."""

from __future__ import annotations

import hashlib
import json

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from api.app import create_app
from api.settings import Settings
from registry.models import AuditEntry, Organisation
from tests.api.conftest import BASE_URL, Tokens, error_types
from tests.api.world import ApiWorld, to_municipal_review
from tests.db.factories import uscc

ORG = {
    "uscc": uscc(31),
    "name": "广州新申报科技有限公司",
    "org_type": "企业",
    "scale": "中型",
    "city": "广州市",
    "address": "广州市天河区 1 号",
    "guangdong_operations": "总部位于广州",
    "established_on": "2016-01-01",
    "business_since": "2016-06-01",
    "employees": 80,
    "contact_name": "李工",
    "contact_phone": "020-88888888",
    "contact_email": "li@example.cn",
    "revenue": [{"year": 2023, "amount_cny": 20000000}, {"year": 2024, "amount_cny": 25000000}],
}
LICENCE = ("营业执照.pdf", b"%PDF-1.4 licence of a new applicant", "application/pdf")
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


def csrf(client: TestClient) -> dict[str, str]:
    """The CSRF header of the visitor's (possibly anonymous) page session."""
    return {"X-CSRF-Token": client.get("/api/v1/auth/csrf").json()["csrf_token"]}


def register(
    client: TestClient,
    headers: dict[str, str],
    org: dict[str, object] | None = None,
    licence: tuple[str, bytes, str] = LICENCE,
    **form: str,
) -> object:
    return client.post(
        "/api/v1/provider/registrations",
        data={"data": json.dumps(org or ORG), **form},
        files={"licence": licence},
        headers=headers,
    )


def test_an_applicant_without_an_account_registers(
    client: TestClient, world: ApiWorld, sessions: sessionmaker[Session]
) -> None:
    response = register(client, csrf(client))
    assert response.status_code == 201, response.text  # type: ignore[attr-defined]
    body = response.json()  # type: ignore[attr-defined]
    assert body["uscc"] == ORG["uscc"] and body["revenues"][1]["amount_cny"] == 25000000
    with sessions() as session:
        org = session.scalar(select(Organisation).where(Organisation.uscc == ORG["uscc"]))
        assert org is not None and org.licence_file_id is not None
        audit = session.scalar(
            select(AuditEntry).where(
                AuditEntry.action == "organisation.register", AuditEntry.object_id == str(org.id)
            )
        )
        assert audit is not None and audit.actor_user_id is None


def test_staff_may_register_for_an_applicant(
    client: TestClient, world: ApiWorld, as_user: Tokens
) -> None:
    response = register(client, as_user("staff"))
    assert response.status_code == 201, response.text  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("username", "status", "code"),
    [
        ("provider-1", 409, "already_registered"),
        ("organiser", 403, "role_not_allowed"),
        ("gz-reviewer", 403, "role_not_allowed"),
    ],
)
def test_accounts_that_may_not_register(
    client: TestClient, world: ApiWorld, as_user: Tokens, username: str, status: int, code: str
) -> None:
    response = register(client, as_user(username))
    assert response.status_code == status  # type: ignore[attr-defined]
    assert error_types(response.json()) == [code]  # type: ignore[attr-defined]


def test_a_wrong_credit_code_cites_article_8(client: TestClient, world: ApiWorld) -> None:
    bad = {**ORG, "uscc": ORG["uscc"][:-1] + ("0" if ORG["uscc"][-1] != "0" else "1")}
    response = register(client, csrf(client), bad)
    assert response.status_code == 422  # type: ignore[attr-defined]
    (item,) = response.json()["detail"]  # type: ignore[attr-defined]
    assert item["type"] == "art8.uscc_invalid"
    assert item["ctx"] == {"article": "Art.8", "article_zh": "第八条"}
    assert item["loc"] == ["uscc"]


def test_an_organisation_registers_once(client: TestClient, world: ApiWorld) -> None:
    assert register(client, csrf(client)).status_code == 201  # type: ignore[attr-defined]
    again = register(client, csrf(client))
    assert again.status_code == 409  # type: ignore[attr-defined]
    assert error_types(again.json()) == ["organisation_exists"]  # type: ignore[attr-defined]


def test_malformed_organisation_json_points_into_the_field(
    client: TestClient, world: ApiWorld
) -> None:
    response = register(client, csrf(client), {**ORG, "employees": "many", "extra": 1})
    assert response.status_code == 422  # type: ignore[attr-defined]
    locs = [item["loc"] for item in response.json()["detail"]]  # type: ignore[attr-defined]
    assert ["body", "data", "employees"] in locs and ["body", "data", "extra"] in locs
    broken = client.post(
        "/api/v1/provider/registrations",
        data={"data": "{not json"},
        files={"licence": LICENCE},
        headers=csrf(client),
    )
    assert broken.status_code == 422
    assert error_types(broken.json()) == ["json_invalid"]


def test_the_licence_checksum_is_checked(client: TestClient, world: ApiWorld) -> None:
    wrong = register(client, csrf(client), licence_sha256="0" * 64)
    assert wrong.status_code == 422  # type: ignore[attr-defined]
    assert error_types(wrong.json()) == ["checksum_mismatch"]  # type: ignore[attr-defined]
    right = register(client, csrf(client), licence_sha256=hashlib.sha256(LICENCE[1]).hexdigest())
    assert right.status_code == 201  # type: ignore[attr-defined]


def test_an_empty_licence_is_refused(client: TestClient, world: ApiWorld) -> None:
    response = register(client, csrf(client), licence=("empty.pdf", b"", "application/pdf"))
    assert response.status_code == 422  # type: ignore[attr-defined]
    assert error_types(response.json()) == ["empty_file"]  # type: ignore[attr-defined]


def test_uploads_over_the_limit_are_413(settings: Settings, world: ApiWorld) -> None:
    small = settings.model_copy(
        update={"server": settings.server.model_copy(update={"max_upload_mb": 0.01})}
    )
    with TestClient(create_app(small), base_url=BASE_URL) as client:
        big_file = ("big.pdf", b"x" * 20_000, "application/pdf")  # over 10 KB, under the body cap
        response = register(client, csrf(client), licence=big_file)
        assert response.status_code == 413  # type: ignore[attr-defined]
        assert error_types(response.json()) == ["file_too_large"]  # type: ignore[attr-defined]
        huge_body = ("huge.pdf", b"x" * 400_000, "application/pdf")  # over the body cap
        response = register(client, csrf(client), licence=huge_body)
        assert response.status_code == 413  # type: ignore[attr-defined]
        assert error_types(response.json()) == ["request_too_large"]  # type: ignore[attr-defined]


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
