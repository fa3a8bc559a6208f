"""The write paths of the events, catalog and relevance routes again, on SQLite and on
PostgreSQL (no search index: what needs one is tested on the fixture library): an organiser's
event with a need whose shortlist is added to, reordered, annotated, trimmed and exported; a
judgment recorded, changed, exported as qrels and withdrawn; the catalog of the library."""

from __future__ import annotations

from io import BytesIO

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy.orm import Session, sessionmaker

from tests.api.conftest import Clock, Tokens, error_types
from tests.api.world import ApiWorld, new_resource, start, to_library
from tests.db.factories import at

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True),
]


@pytest.fixture
def library(sessions: sessionmaker[Session], world: ApiWorld) -> list[str]:
    """Two of provider A's resources certified into the library; their codes."""
    to_library(sessions, world)
    to_library(sessions, world, start(sessions, world, new_resource(sessions, world, "AI-302")))
    with sessions() as session:
        from registry.library import entries

        return [v.resource_code for v in entries(session=session)]


def test_an_event_s_shortlist_is_built_and_exported(
    client: TestClient, as_user: Tokens, library: list[str]
) -> None:
    organiser = as_user("organiser")
    event = {"title": "广州数字化转型对接会", "event_type": "专场推介会", "held_on": "2026-01-15",
             "city": "广州市"}  # fmt: skip
    created = client.post("/api/v1/events", json=event, headers=organiser)
    assert created.status_code == 201, created.text
    base = f"/api/v1/events/{created.json()['id']}"
    need = client.post(f"{base}/needs", json={"company": "某厂", "text": "数字孪生"},
                       headers=organiser).json()  # fmt: skip
    items = f"{base}/needs/{need['id']}/items"
    for code in library:
        added = client.post(items, json={"resource_code": code}, headers=organiser)
        assert added.status_code == 201, added.text
    twice = client.post(items, json={"resource_code": library[0]}, headers=organiser)
    assert twice.status_code == 409 and error_types(twice.json()) == ["shortlist_duplicate"]
    reordered = client.put(f"{base}/needs/{need['id']}/order", json={"codes": library[::-1]},
                           headers=organiser)  # fmt: skip
    assert [i["resource_code"] for i in reordered.json()["items"]] == library[::-1]
    noted = client.patch(f"{items}/{library[0]}", json={"note": "备注"}, headers=organiser)
    assert noted.json()["note"] == "备注"
    assert client.delete(f"{items}/{library[1]}", headers=organiser).status_code == 204
    book = load_workbook(BytesIO(client.get(f"{base}/export.xlsx", headers=organiser).content))
    rows = list(book[book.sheetnames[1]].iter_rows(min_row=4, values_only=True))
    assert [(r[0], r[1], r[9]) for r in rows] == [(1, library[0], "备注")]
    other = client.get(base, headers=as_user("staff"))
    assert other.status_code == 200  # provincial staff see every event


def test_judgments_are_recorded_and_exported(
    client: TestClient, as_user: Tokens, library: list[str]
) -> None:
    judge = as_user("relevance")
    body = {"query_text": "数字孪生产线", "resource_code": library[0], "grade": 1}
    first = client.post("/api/v1/relevance/judgments", json=body, headers=judge)
    assert first.status_code == 201, first.text
    changed = client.post("/api/v1/relevance/judgments", json=body | {"grade": 3}, headers=judge)
    assert changed.json()["grade"] == 3
    qrels = client.get("/api/v1/relevance/qrels.tsv", headers=judge).text.splitlines()
    assert qrels == ["query_id\tresource_id\tgrade", f"{first.json()['query_id']}\t{library[0]}\t3"]
    gone = client.delete(f"/api/v1/relevance/judgments/{first.json()['query_id']}/{library[0]}",
                         headers=judge)  # fmt: skip
    assert gone.status_code == 204
    assert client.get("/api/v1/relevance/judgments", headers=judge).json() == []


def test_the_catalog_lists_the_library(
    client: TestClient, clock: Clock, library: list[str]
) -> None:
    clock.now = at(2026, 1, 5, 10)  # after the certifications (2025-11-21)
    found = client.get("/api/v1/catalog", params={"as_of": "2025-12-31"})
    assert found.status_code == 200, found.text
    assert found.json()["title"] == "广东省制造业赋能资源目录（2026年）"
    assert sorted(r["resource_code"] for r in found.json()["rows"]) == sorted(library)
    before = client.get("/api/v1/catalog", params={"as_of": "2025-11-20"}).json()
    assert before["rows"] == []  # certified on 2025-11-21
