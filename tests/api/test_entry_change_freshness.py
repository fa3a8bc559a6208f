"""An approved entry change reaches the running app's live index within seconds: the province
approves a new summary with a distinctive term, and a need naming that term finds the entry
(the `updated` outbox event makes the index re-read it); a rejected change changes nothing.
The fixture library behind a real app with the keyword encoder; deadline loops, so the
assertion is the behaviour, not a timing of the machine."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from api.deps import current_time
from tests.api.test_lifecycle_freshness import NOW, bearer, results, within_deadline
from tests.pages.library_world import LibraryApp, library_app

# The keyword encoder needs a keyword (注塑) for dense evidence, so the need names the new term
# in an injection-moulding context; before the change FX-002 matches it on 注塑 alone.
NEED = "液态硅胶制品的注塑成型工艺"
TERM = "硅胶"  # the tokenizer cuts 液态硅胶 into 液态 / 硅胶
SUMMARY = (
    "面向塑料制品和五金企业的制造执行系统，覆盖生产排程、注塑机联网、模具管理、质量追溯和"
    "设备点检；新增液态硅胶注射成型的工艺参数管理与追溯。"
)


@pytest.fixture
def world(tmp_path: Path) -> Iterator[LibraryApp]:
    with library_app(tmp_path) as running:
        running.app.dependency_overrides[current_time] = lambda: NOW
        yield running


def propose(world: LibraryApp) -> int:
    made = world.client.post(
        "/api/v1/provider/library/FX-002/changes",
        json={"summary": SUMMARY, "explanation": "新增液态硅胶工艺（测试）"},
        headers=bearer(world, "fx-zhiyun"),
    )
    assert made.status_code == 201, made.text
    return int(made.json()["id"])


def matched_terms(world: LibraryApp) -> set[str]:
    found = results(world, NEED).get("FX-002")
    return set(found["matched_terms"]) if found else set()


def test_an_approved_change_is_searchable_a_rejected_one_is_not(world: LibraryApp) -> None:
    assert TERM not in matched_terms(world)
    staff = bearer(world, "province-staff")
    rejected = world.client.post(
        f"/api/v1/province/entry-changes/{propose(world)}/rejection",
        json={"reason": "缺少佐证（测试）"},
        headers=staff,
    )
    assert rejected.status_code == 200, rejected.text
    time.sleep(0.3)  # what an event would have taken to arrive
    assert TERM not in matched_terms(world)
    assert TERM not in world.client.get("/api/v1/library/resources/FX-002").json()["summary"]
    approved = world.client.post(
        f"/api/v1/province/entry-changes/{propose(world)}/approval", json={}, headers=staff
    )
    assert approved.status_code == 200, approved.text
    seconds = within_deadline(lambda: TERM in matched_terms(world))
    print(f"approved change searchable after {seconds:.3f} s")  # -s shows it
    assert world.client.get("/api/v1/library/resources/FX-002").json()["summary"] == SUMMARY
