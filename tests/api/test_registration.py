"""Registering an organisation (Art.8) with its licence: anonymous applicants and staff, the
registry's refusals with their articles, malformed JSON, checksums and size limits."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from api.app import create_app
from api.settings import Settings
from registry.models import AuditEntry, Organisation
from tests.api.conftest import BASE_URL, Tokens, error_types
from tests.api.world import ApiWorld
from tests.db.factories import uscc

ORG: dict[str, Any] = {
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


def csrf(client: TestClient) -> dict[str, str]:
    """The CSRF header of the visitor's (possibly anonymous) page session."""
    return {"X-CSRF-Token": client.get("/api/v1/auth/csrf").json()["csrf_token"]}


def register(
    client: TestClient,
    headers: dict[str, str],
    org: dict[str, object] | None = None,
    licence: tuple[str, bytes, str] = LICENCE,
    **form: str,
) -> Any:
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
    assert response.status_code == 201, response.text
    body = response.json()
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
    assert response.status_code == 201, response.text


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
    assert response.status_code == status
    assert error_types(response.json()) == [code]


def test_a_wrong_credit_code_cites_article_8(client: TestClient, world: ApiWorld) -> None:
    bad = {**ORG, "uscc": ORG["uscc"][:-1] + ("0" if ORG["uscc"][-1] != "0" else "1")}
    response = register(client, csrf(client), bad)
    assert response.status_code == 422
    (item,) = response.json()["detail"]
    assert item["type"] == "art8.uscc_invalid"
    assert item["ctx"] == {"article": "Art.8", "article_zh": "第八条"}
    assert item["loc"] == ["uscc"]


def test_an_organisation_registers_once(client: TestClient, world: ApiWorld) -> None:
    assert register(client, csrf(client)).status_code == 201
    again = register(client, csrf(client))
    assert again.status_code == 409
    assert error_types(again.json()) == ["organisation_exists"]


def test_malformed_organisation_json_points_into_the_field(
    client: TestClient, world: ApiWorld
) -> None:
    response = register(client, csrf(client), {**ORG, "employees": "many", "extra": 1})
    assert response.status_code == 422
    locs = [item["loc"] for item in response.json()["detail"]]
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
    assert wrong.status_code == 422
    assert error_types(wrong.json()) == ["checksum_mismatch"]
    right = register(client, csrf(client), licence_sha256=hashlib.sha256(LICENCE[1]).hexdigest())
    assert right.status_code == 201


def test_an_empty_licence_is_refused(client: TestClient, world: ApiWorld) -> None:
    response = register(client, csrf(client), licence=("empty.pdf", b"", "application/pdf"))
    assert response.status_code == 422
    assert error_types(response.json()) == ["empty_file"]


def test_uploads_over_the_limit_are_413(settings: Settings, world: ApiWorld) -> None:
    small = settings.model_copy(
        update={"server": settings.server.model_copy(update={"max_upload_mb": 0.01})}
    )
    with TestClient(create_app(small), base_url=BASE_URL) as client:
        big_file = ("big.pdf", b"x" * 20_000, "application/pdf")  # over 10 KB, under the body cap
        response = register(client, csrf(client), licence=big_file)
        assert response.status_code == 413
        assert error_types(response.json()) == ["file_too_large"]
        huge_body = ("huge.pdf", b"x" * 400_000, "application/pdf")  # over the body cap
        response = register(client, csrf(client), licence=huge_body)
        assert response.status_code == 413
        assert error_types(response.json()) == ["request_too_large"]
