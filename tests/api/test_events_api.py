"""Matchmaking events over HTTP (Art.20(2)): an organiser creates an event, adds needs, computes
shortlists on the live index (MMR, one resource per provider unless asked; bundles with the
aspects each resource covers), orders, annotates and exports them; organiser B never sees A's
event; every error in the one body."""

from __future__ import annotations

from io import BytesIO
from typing import Any

import pytest
from openpyxl import load_workbook

from tests.api.conftest import error_types
from tests.api.test_events_world import OTHER_ORGANISER, SAME_PROVIDER, bearer, world
from tests.pages.library_world import LibraryApp

__all__ = ["world"]  # the module's world fixture

EVENT = {"title": "佛山注塑行业供需对接会", "event_type": "供需对接会", "held_on": "2026-12-10",
         "city": "佛山市", "industry_focus": ["C29", "C39"],
         "description": "注塑与家电"}  # fmt: skip
VISION = {"company": "佛山市甲塑胶有限公司", "text": "想用机器视觉做注塑件外观缺陷检测"}
MES = {"company": "佛山市乙五金有限公司", "text": "上线MES做生产排程和质量追溯"}
EXPORT = {"company": "中山市丙电器有限公司", "text": "通过跨境电商独立站和海外社交媒体拓展海外市场"}
BUNDLE = {"company": "东莞市丁电子有限公司",
          "text": "想用机器视觉做缺陷检测，同时上线MES，并通过跨境电商拓展海外市场"}  # fmt: skip


class Organiser:
    """Calls as one user of the world, asserting the status."""

    def __init__(self, world: LibraryApp, username: str = "organiser") -> None:
        self.client = world.client
        self.headers = bearer(world, username)

    def __call__(self, method: str, url: str, status: int = 200, **kwargs: Any) -> Any:
        response = self.client.request(method, f"/api/v1{url}", headers=self.headers, **kwargs)
        assert response.status_code == status, response.text
        if status == 204 or not response.content:
            return None
        if response.headers["content-type"].startswith("application/json"):
            return response.json()
        return response


def new_event(call: Organiser, *needs: dict[str, Any]) -> tuple[int, list[int]]:
    """An event with these needs; its id and the needs' ids."""
    event_id = call("POST", "/events", 201, json=EVENT)["id"]
    ids = [call("POST", f"/events/{event_id}/needs", 201, json=n)["id"] for n in needs]
    return event_id, ids


def codes(need: dict[str, Any]) -> list[str]:
    return [item["resource_code"] for item in need["items"]]


@pytest.fixture
def call(world: LibraryApp) -> Organiser:
    return Organiser(world)


def test_create_list_and_get(call: Organiser) -> None:
    event_id, (need_id,) = new_event(call, VISION | {"filters": {"city": ["东莞市"]}})
    event = call("GET", f"/events/{event_id}")
    assert event["title"] == EVENT["title"] and event["event_type"] == "供需对接会"
    assert event["industry_focus"] == ["C29", "C39"] and event["city"] == "佛山市"
    assert event["export_url"] == f"/api/v1/events/{event_id}/export.xlsx"
    assert [(n["id"], n["position"], n["filters"]) for n in event["needs"]] == [
        (need_id, 1, {"city": ["东莞市"]})
    ]
    listed = {e["id"]: e for e in call("GET", "/events")}
    assert listed[event_id]["need_count"] == 1 and listed[event_id]["item_count"] == 0


def test_organiser_b_never_sees_a_s_event(world: LibraryApp, call: Organiser) -> None:
    event_id, (need_id,) = new_event(call, VISION)
    call("POST", f"/events/{event_id}/needs/{need_id}/shortlist", json={})
    other = Organiser(world, OTHER_ORGANISER)
    assert event_id not in {e["id"] for e in other("GET", "/events")}
    attempts: list[tuple[str, str, dict[str, Any]]] = [
        ("GET", f"/events/{event_id}", {}),
        ("GET", f"/events/{event_id}/export.xlsx", {}),
        ("GET", f"/events/{event_id}/shortlist", {}),
        ("POST", f"/events/{event_id}/needs", {"json": MES}),
        ("POST", f"/events/{event_id}/needs/{need_id}/shortlist", {"json": {}}),
        ("PATCH", f"/events/{event_id}/needs/{need_id}/items/FX-001", {"json": {"note": "x"}}),
        ("DELETE", f"/events/{event_id}/needs/{need_id}", {}),
    ]
    for method, url, body in attempts:
        found = other(method, url, 404, **body)
        assert error_types(found) == ["event_not_found"], (method, url)
    staff = Organiser(world, "province-staff")  # provincial staff see every event
    assert staff("GET", f"/events/{event_id}")["id"] == event_id


def test_roles_outside_the_table_are_refused(world: LibraryApp) -> None:
    assert error_types(world.client.get("/api/v1/events").json()) == ["not_authenticated"]
    provider = Organiser(world, "fx-mingshi")
    assert error_types(provider("GET", "/events", 403)) == ["role_not_allowed"]
    assert error_types(provider("POST", "/events", 403, json=EVENT)) == ["role_not_allowed"]


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"event_type": "茶话会"}, "enum"),
        ({"city": "香港"}, "unknown_city"),
        ({"industry_focus": ["C99"]}, "unknown_industry"),
        ({"title": " "}, "string_too_short"),
        ({"held_on": "明年"}, "date_from_datetime_parsing"),
    ],
)
def test_an_invalid_event_is_refused(call: Organiser, change: dict[str, Any], code: str) -> None:
    assert error_types(call("POST", "/events", 422, json=EVENT | change)) == [code]


def test_an_invalid_need_is_refused(call: Organiser) -> None:
    event_id, _ = new_event(call)
    bad_city = MES | {"filters": {"city": ["东莞"]}}
    assert error_types(call("POST", f"/events/{event_id}/needs", 422, json=bad_city)) == [
        "filter_value_invalid"
    ]
    assert error_types(call("POST", f"/events/{event_id}/needs", 422, json={"company": "c"})) == [
        "missing"
    ]
    assert error_types(call("POST", "/events/999999/needs", 404, json=MES)) == ["event_not_found"]


def test_one_resource_per_provider_unless_asked(call: Organiser) -> None:
    event_id, (need_id,) = new_event(call, VISION)
    url = f"/events/{event_id}/needs/{need_id}/shortlist"
    diverse = call("POST", url, json={"k": 5})
    assert diverse["computed"] == {"bundle": False, "no_suitable_resource": False, "reason": "ok",
                                   "aspects": [], "uncovered": [], "kept_by_hand": []}  # fmt: skip
    first = codes(diverse["need"])
    assert first[0] == "FX-001" and "FX-005" not in first  # FX-005: FX-001's provider
    providers = [i["provider"] for i in diverse["need"]["items"]]
    assert len(providers) == len(set(providers))
    assert [i["match_rank"] for i in diverse["need"]["items"]] == list(range(1, len(first) + 1))
    same = call("POST", url, json={"k": 5, "allow_same_provider": True, "mmr_lambda": 1.0})
    assert {"FX-001", SAME_PROVIDER["FX-001"]} <= set(codes(same["need"]))


def test_the_builder_orders_annotates_adds_and_removes(call: Organiser) -> None:
    event_id, (need_id,) = new_event(call, EXPORT)
    base = f"/events/{event_id}/needs/{need_id}"
    computed = codes(call("POST", f"{base}/shortlist", json={"allow_same_provider": True})["need"])
    assert computed[:2] == ["FX-003", "FX-006"]
    added = call("POST", f"{base}/items", 201, json={"resource_code": "FX-004", "note": "备选"})
    assert added["match_rank"] is None and added["position"] == len(computed) + 1
    order = ["FX-004", *reversed(computed)]
    assert codes(call("PUT", f"{base}/order", json={"codes": order})) == order
    noted = call("PATCH", f"{base}/items/FX-006", json={"note": "  重点推荐：已服务同类企业  "})
    assert noted["note"] == "重点推荐：已服务同类企业"
    call("DELETE", f"{base}/items/FX-003", 204)
    need = call("GET", f"/events/{event_id}")["needs"][0]
    assert codes(need) == [c for c in order if c != "FX-003"]
    assert [i["position"] for i in need["items"]] == list(range(1, len(order)))
    # Computing again: the note of a kept resource survives, the hand-added one stays at the end.
    again = call("POST", f"{base}/shortlist", json={"allow_same_provider": True})
    assert again["computed"]["kept_by_hand"] == ["FX-004"]
    items = {i["resource_code"]: i for i in again["need"]["items"]}
    assert codes(again["need"])[-1] == "FX-004" and items["FX-004"]["note"] == "备选"
    assert items["FX-006"]["note"] == "重点推荐：已服务同类企业"


def test_builder_errors(call: Organiser) -> None:
    event_id, (need_id, other_need) = new_event(call, VISION, MES)
    base = f"/events/{event_id}/needs/{need_id}"
    call("POST", f"{base}/items", 201, json={"resource_code": "FX-002"})
    cases = [
        ("POST", f"{base}/items", {"resource_code": "FX-002"}, 409, "shortlist_duplicate"),
        ("POST", f"{base}/items", {"resource_code": "FX-007"}, 422, "resource_not_in_library"),
        ("POST", f"{base}/items", {"resource_code": "../x"}, 422, "string_pattern_mismatch"),
        ("PUT", f"{base}/order", {"codes": ["FX-001"]}, 422, "order_mismatch"),
        ("PUT", f"{base}/order", {"codes": []}, 422, "too_short"),
        ("PATCH", f"{base}/items/FX-004", {"note": "x"}, 404, "shortlist_item_not_found"),
        ("DELETE", f"{base}/items/FX-004", None, 404, "shortlist_item_not_found"),
        ("POST", f"{base}/shortlist", {"k": 0}, 422, "greater_than_equal"),
        ("POST", f"{base}/shortlist", {"mmr": 1}, 422, "extra_forbidden"),
    ]
    for method, url, body, status, code in cases:
        assert error_types(call(method, url, status, json=body)) == [code], (method, url, body)
    # A need is addressed through its own event only.
    other_event, _ = new_event(call)
    for method, url in (("DELETE", ""), ("POST", "/items"), ("PUT", "/order")):
        body = {"resource_code": "FX-003"} if method == "POST" else {"codes": ["FX-002"]}
        wrong = call(method, f"/events/{other_event}/needs/{need_id}{url}", 404, json=body)
        assert error_types(wrong) == ["need_not_found"], (method, url)
    call("DELETE", f"/events/{event_id}/needs/{need_id}", 204)
    event = call("GET", f"/events/{event_id}")
    assert [(n["id"], n["position"]) for n in event["needs"]] == [(other_need, 1)]


def test_a_bundle_shows_which_resource_covers_which_aspect(call: Organiser) -> None:
    event_id, (need_id,) = new_event(call, BUNDLE)
    found = call("POST", f"/events/{event_id}/needs/{need_id}/shortlist", json={"bundle": True})
    computed = found["computed"]
    assert computed["bundle"] is True and len(computed["aspects"]) == 3
    assert computed["uncovered"] == []
    covers = {i["resource_code"]: i["aspects"] for i in found["need"]["items"]}
    assert set(covers) == {"FX-001", "FX-002", "FX-003"}
    assert sorted(a for aspects in covers.values() for a in aspects) == sorted(
        computed["aspects"]
    )
    assert any("机器视觉" in a for a in covers["FX-001"])
    assert any("MES" in a for a in covers["FX-002"])
    assert any("跨境电商" in a for a in covers["FX-003"])


def test_the_event_list_serves_every_need_and_no_provider_twice(call: Organiser) -> None:
    event_id, needs = new_event(call, VISION, MES, EXPORT)
    found = call("GET", f"/events/{event_id}/shortlist", params={"k": 10})
    entries = found["entries"]
    assert found["no_suitable_resource"] is False and found["reason"] == "ok"
    providers = [e["provider_id"] for e in entries]
    assert len(providers) == len(set(providers))
    served = {n["need_id"] for e in entries for n in e["needs"]}
    assert served == set(needs)
    assert {e["resource_code"] for e in entries} >= {"FX-001", "FX-002", "FX-003"}
    both = call("GET", f"/events/{event_id}/shortlist",
                params={"k": 10, "allow_same_provider": "true"})  # fmt: skip
    assert {"FX-005", "FX-006"} & {e["resource_code"] for e in both["entries"]}
    empty, _ = new_event(call)
    nothing = call("GET", f"/events/{empty}/shortlist")
    assert nothing["entries"] == [] and nothing["no_suitable_resource"] is True


def test_the_index_not_serving_is_a_503(world: LibraryApp, call: Organiser) -> None:
    event_id, (need_id,) = new_event(call, VISION)
    runtime = world.app.state.index_runtime
    world.app.state.index_runtime = None
    try:
        found = call("POST", f"/events/{event_id}/needs/{need_id}/shortlist", 503, json={})
    finally:
        world.app.state.index_runtime = runtime
    assert error_types(found) == ["index_not_configured"]


def test_export_is_the_organisers_workbook(call: Organiser) -> None:
    event_id, (vision, mes) = new_event(call, VISION, MES)
    call("POST", f"/events/{event_id}/needs/{vision}/shortlist", json={})
    call("POST", f"/events/{event_id}/needs/{mes}/items", 201,
         json={"resource_code": "FX-002", "note": "请准备MES演示"})  # fmt: skip
    call("POST", f"/events/{event_id}/needs/{mes}/items", 201, json={"resource_code": "FX-004"})
    call("PUT", f"/events/{event_id}/needs/{mes}/order", json={"codes": ["FX-004", "FX-002"]})
    response = call("GET", f"/events/{event_id}/export.xlsx")
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response.headers["content-disposition"]
    book = load_workbook(BytesIO(response.content))
    assert book.sheetnames == ["活动概况", f"需求1 {VISION['company']}", f"需求2 {MES['company']}"]
    rows = list(book[book.sheetnames[2]].iter_rows(min_row=4, values_only=True))
    expected = [(1, "FX-004", None), (2, "FX-002", "请准备MES演示")]
    assert [(r[0], r[1], r[9]) for r in rows] == expected
    assert book["活动概况"]["A1"].value == EVENT["title"]
