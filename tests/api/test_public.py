"""Public routes: the certified library with facets and paging, a resource with its cases,
batches, the publicity list — and nothing unpublished, no files, finances or contacts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from registry.services import library_admin
from tests.api.conftest import Clock, error_types
from tests.api.world import CERTIFIED_AT, ApiWorld, to_library, to_publicity
from tests.db.factories import at

# What must never appear in a public answer: contacts, finances, files, the licence.
PRIVATE = (
    "zhang@example.cn",
    "020-12345678",
    "contact",
    "revenue",
    "amount_cny",
    "sha256",
    "storage_key",
    "licence",
    "audit",
    "财务审计报告",
    "uscc",
)


def assert_public(text: str) -> None:
    leaked = [word for word in PRIVATE if word in text]
    assert not leaked, leaked


@pytest.fixture
def library(sessions: sessionmaker[Session], world: ApiWorld) -> ApiWorld:
    """A's resource (广州) and B's resource (深圳) certified."""
    to_library(sessions, world, world.application_a)
    to_library(sessions, world, world.application_b)
    return world


def test_an_empty_library(client: TestClient, world: ApiWorld) -> None:
    body = client.get("/api/v1/library/resources").json()
    assert (body["items"], body["total"]) == ([], 0)
    assert set(body["facets"]) == {
        "direction",
        "form",
        "industry",
        "city",
        "provider_type",
        "status",
    }


def test_the_library_lists_certified_resources_with_facets(
    client: TestClient, library: ApiWorld
) -> None:
    response = client.get("/api/v1/library/resources")
    assert response.status_code == 200
    body = response.json()
    assert body["total"] == 2
    assert [item["code"] for item in body["items"]] == ["AI-001", "AI-002"]
    first = body["items"][0]
    assert first["provider_city"] == "广州市" and first["case_count"] == 3
    assert first["industries"][0] == {"code": "C39", "name": "计算机、通信和其他电子设备制造业"}
    cities = {v["value"]: v["count"] for v in body["facets"]["city"]}
    assert cities == {"广州市": 1, "深圳市": 1}
    assert_public(response.text)


def test_filters_keep_the_other_values_of_a_facet_countable(
    client: TestClient, library: ApiWorld
) -> None:
    body = client.get("/api/v1/library/resources", params={"city": "深圳市"}).json()
    assert [item["code"] for item in body["items"]] == ["AI-002"]
    cities = {v["value"]: (v["count"], v["selected"]) for v in body["facets"]["city"]}
    assert cities == {"深圳市": (1, True), "广州市": (1, False)}
    both = client.get("/api/v1/library/resources", params=[("city", "深圳市"), ("city", "广州市")])
    assert both.json()["total"] == 2
    none = client.get("/api/v1/library/resources", params={"direction": "品牌建设"}).json()
    assert none["total"] == 0
    assert {v["value"] for v in none["facets"]["direction"]} == {"人工智能应用", "制造生产"}


def test_paging_and_priority_order(
    client: TestClient, library: ApiWorld, sessions: sessionmaker[Session]
) -> None:
    with sessions() as session:
        library_admin.set_priority(
            session=session,
            actor=library.base.staff,
            now=CERTIFIED_AT,
            resource_code="AI-002",
            priority=True,
        )
        session.commit()
    body = client.get("/api/v1/library/resources", params={"limit": 1, "offset": 0}).json()
    assert [i["code"] for i in body["items"]] == ["AI-002"] and body["items"][0]["priority"]
    assert (body["total"], body["limit"], body["offset"]) == (2, 1, 0)
    second = client.get("/api/v1/library/resources", params={"limit": 1, "offset": 1}).json()
    assert [i["code"] for i in second["items"]] == ["AI-001"]
    by_code = client.get("/api/v1/library/resources", params={"sort": "code"}).json()
    assert [i["code"] for i in by_code["items"]] == ["AI-001", "AI-002"]


@pytest.mark.parametrize(
    "params",
    [{"limit": 0}, {"limit": 201}, {"offset": -1}, {"sort": "random"}],
)
def test_bad_paging_is_a_validation_error(
    client: TestClient, world: ApiWorld, params: dict[str, int | str]
) -> None:
    response = client.get("/api/v1/library/resources", params=params)
    assert response.status_code == 422
    assert error_types(response.json())


def test_the_list_follows_certification_at_once(
    client: TestClient, world: ApiWorld, sessions: sessionmaker[Session]
) -> None:
    to_library(sessions, world, world.application_a)
    assert client.get("/api/v1/library/resources").json()["total"] == 1
    to_library(sessions, world, world.application_b)
    assert client.get("/api/v1/library/resources").json()["total"] == 2


def test_resource_detail_has_its_cases_and_nothing_private(
    client: TestClient, library: ApiWorld
) -> None:
    response = client.get("/api/v1/library/resources/AI-001")
    assert response.status_code == 200
    body = response.json()
    assert body["title"] == "机器视觉缺陷检测系统"
    clients = [case["client"] for case in body["cases"]]
    assert clients == [f"东莞某电子有限公司{i}" for i in (1, 2, 3)]
    assert body["cases"][0]["client_industry"]["code"] == "C39"
    assert body["certified_on"] == "2025-11-21"
    assert_public(response.text)


def test_uncertified_or_unknown_resources_are_not_found(
    client: TestClient, world: ApiWorld
) -> None:
    for code in ("AI-001", "NOPE-1"):  # AI-001 is still a draft here
        response = client.get(f"/api/v1/library/resources/{code}")
        assert response.status_code == 404
        assert error_types(response.json()) == ["resource_not_in_library"]


def test_batches_say_whether_they_accept_applications(
    client: TestClient, world: ApiWorld, clock: Clock
) -> None:
    (batch,) = client.get("/api/v1/batches").json()
    assert batch == {
        "code": "2025Q4",
        "title": "2025年第四季度",
        "opens_on": "2025-10-09",
        "deadline_on": "2025-11-28",
        "accepting": True,
    }
    clock.now = at(2025, 11, 28, 23, 59)
    assert client.get("/api/v1/batches").json()[0]["accepting"] is True
    clock.now += timedelta(minutes=2)
    assert client.get("/api/v1/batches").json()[0]["accepting"] is False


def test_publicity_lists_only_applications_in_publicity(
    client: TestClient, world: ApiWorld, sessions: sessionmaker[Session]
) -> None:
    assert client.get("/api/v1/publicity").json()["items"] == []
    to_publicity(sessions, world, world.application_a)
    response = client.get("/api/v1/publicity")
    (item,) = response.json()["items"]
    assert item["application_id"] == world.application_a
    assert item["provider_name"] == "广州测试智能科技有限公司1"
    assert item["publicity_due_at"] == "2025-11-20T23:59:59+08:00"
    assert_public(response.text)
